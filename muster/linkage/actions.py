"""Writes of record linkage: a linking run and review decisions, each atomic and audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.core.errors import InvalidInput, NotFound
from muster.core.exports import machine_csv_write, neutralise_frame
from muster.linkage import engine, rules
from muster.linkage.addresses import LegacyGeo, commune_ids, legacy_geo_load
from muster.linkage.legacy_io import Reject, read_legacy
from muster.linkage.models import CaseStatus, LegacyLink, LinkMethod, LinkRun, ReviewCase
from muster.linkage.queries import remembered_for
from muster.people.models import Person

BATCH = 2000


def default_thresholds() -> rules.Thresholds:
    """`LINKAGE_LINK_THRESHOLD` / `LINKAGE_REVIEW_THRESHOLD` settings, else 0.95 / 0.6."""
    return rules.Thresholds(
        link=float(getattr(settings, "LINKAGE_LINK_THRESHOLD", 0.95)),
        review=float(getattr(settings, "LINKAGE_REVIEW_THRESHOLD", 0.6)),
    )


@dataclass
class LinkOutcome:
    run: LinkRun | None  # None for a dry run
    matches: pl.DataFrame
    rejects: list[Reject] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def people_frame() -> pl.DataFrame:
    """The registry's people in features.PEOPLE_COLUMNS (living and dead: old records name both)."""
    rows = Person.objects.values_list(
        "personal_id",
        "full_name",
        "sex",
        "birth_date",
        "residence_commune__code",
        "household_id",
        "address",
    ).order_by("id")
    return pl.DataFrame(
        list(rows.iterator(chunk_size=20_000)),
        schema={
            "personal_id": pl.Utf8,
            "full_name": pl.Utf8,
            "sex": pl.Utf8,
            "birth_date": pl.Date,
            "commune": pl.Utf8,
            "household_id": pl.Utf8,
            "address": pl.Utf8,
        },
        orient="row",
    )


def write_matches(matches: pl.DataFrame, out: Path) -> None:
    """The matches as a machine CSV (legacy IDs from the file itself, formula-safe)."""
    neutralise_frame(matches.select(rules.OUTPUT_COLUMNS)).write_csv(out)


def write_rejects(rejects: list[Reject], path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        machine_csv_write(
            fh,
            [*rules.REJECT_COLUMNS, "action"],
            ((r.line, r.legacy_id, r.field, r.reason, r.action) for r in rejects),
        )


def legacy_file_link(
    *,
    path: Path,
    source: str,
    thresholds: rules.Thresholds,
    acting_user: User | None,
    dry_run: bool = False,
    geo: LegacyGeo | None = None,
    engine_name: str = "duckdb",
) -> LinkOutcome:
    """Link a legacy CSV to the registry and remember the result.

    Decisions of earlier runs of the same `source` hold: a linked legacy record keeps its
    person, accepted pairs link, rejected / not-duplicate pairs are never proposed again.
    Linked records become LegacyLinks, review records open ReviewCases in the candidate
    person's commune. A dry run computes everything and writes nothing.
    """
    geo = geo or legacy_geo_load()
    legacy = read_legacy(path, geo)
    remembered = remembered_for(source)
    result = engine.link(
        people_frame(),
        legacy.frame,
        thresholds=thresholds,
        districts_of=geo.districts_of,
        remembered=remembered,
        engine=engine_name,
    )
    matches = result.matches
    counts = {d.value: 0 for d in rules.Decision}
    counts.update(dict(matches.group_by("decision").len().iter_rows()))
    counts["read"] = legacy.read
    counts["rejected"] = len({r.line for r in legacy.rejects if r.action == "rejected"})
    if dry_run:
        return LinkOutcome(None, matches, legacy.rejects, counts, result.timings)
    with transaction.atomic():
        run = LinkRun.objects.create(
            source=source,
            file_name=path.name,
            link_threshold=thresholds.link,
            review_threshold=thresholds.review,
            read=legacy.read,
            linked=counts["linked"],
            review=counts["review"],
            unmatched=counts["unmatched"],
            rejected=counts["rejected"],
        )
        _store(run, matches, legacy.frame, remembered.links)
        audit.record(
            "linkage.run.completed",
            actor=acting_user,
            target=run,
            data={"source": source, "file": path.name, **counts},
        )
    return LinkOutcome(run, matches, legacy.rejects, counts, result.timings)


def _store(run: LinkRun, matches: pl.DataFrame, legacy: pl.DataFrame, kept: dict[str, str]) -> None:
    """New LegacyLinks for linked records, ReviewCases for review records (set-based)."""
    wanted = matches.filter(pl.col("decision") != rules.Decision.UNMATCHED.value)
    pids = set(wanted.get_column("personal_id").to_list())
    persons: dict[str, tuple[int, int]] = {}
    ids = sorted(pids)
    for start in range(0, len(ids), BATCH):
        for pk, pid, commune_id in Person.objects.filter(
            personal_id__in=ids[start : start + BATCH]
        ).values_list("id", "personal_id", "residence_commune_id"):
            persons[pid] = (pk, commune_id)
    legacy_rows = {
        row["legacy_id"]: row
        for row in legacy.filter(
            pl.col("legacy_id").is_in(wanted.get_column("legacy_id").implode())
        ).iter_rows(named=True)
    }
    communes = commune_ids({r["commune"] for r in legacy_rows.values() if r["commune"]})
    links: list[LegacyLink] = []
    cases: list[ReviewCase] = []
    for lid, pid, prob, decision, method in wanted.iter_rows():
        if lid in kept or pid not in persons:
            continue
        person_pk, commune_pk = persons[pid]
        if decision == rules.Decision.LINKED.value:
            links.append(
                LegacyLink(
                    source=run.source,
                    legacy_id=lid,
                    person_id=person_pk,
                    probability=prob,
                    run=run,
                    method=LinkMethod(method) if method in LinkMethod.values else LinkMethod.MODEL,
                )
            )
        else:
            row = legacy_rows[lid]
            cases.append(
                ReviewCase(
                    source=run.source,
                    legacy_id=lid,
                    legacy={k: _text(row[k]) for k in rules.LEGACY_COLUMNS},
                    person_id=person_pk,
                    commune_id=commune_pk,
                    legacy_commune_id=communes.get(row["commune"] or ""),
                    probability=prob,
                    run=run,
                )
            )
    LegacyLink.objects.bulk_create(links, batch_size=BATCH, ignore_conflicts=True)
    ReviewCase.objects.bulk_create(cases, batch_size=BATCH, ignore_conflicts=True)


def _text(value: object) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


_DECISION_ACTIONS = {
    CaseStatus.ACCEPTED: "linkage.case.accepted",
    CaseStatus.REJECTED: "linkage.case.rejected",
    CaseStatus.NOT_DUPLICATE: "linkage.case.not_duplicate",
}


@transaction.atomic
def review_case_decide(*, case: ReviewCase, status: str, acting_user: User) -> ReviewCase:
    """Record a reviewer's decision on an open case (accept → the legacy record is linked to
    the person). Decisions are final for the pair: re-runs of the source do not ask again."""
    permissions.require(acting_user, "linkage.review.decide")
    case = (
        ReviewCase.objects.select_for_update().select_related("person", "commune").get(pk=case.pk)
    )
    if not permissions.covers(acting_user, commune_id=case.commune_id):
        raise NotFound("REVIEW_CASE_NOT_FOUND", {"id": case.pk})
    if status not in _DECISION_ACTIONS:
        raise InvalidInput.single("status", "NOT_ONE_OF", {"choices": sorted(_DECISION_ACTIONS)})
    if case.status != CaseStatus.OPEN:
        raise InvalidInput.single("status", "REVIEW_CASE_DECIDED")
    if status == CaseStatus.ACCEPTED:
        existing = LegacyLink.objects.filter(source=case.source, legacy_id=case.legacy_id).first()
        if existing is not None and existing.person_id != case.person_id:
            raise InvalidInput.single("status", "LEGACY_LINKED_ELSEWHERE")
        if existing is None:
            LegacyLink.objects.create(
                source=case.source,
                legacy_id=case.legacy_id,
                person=case.person,
                probability=case.probability,
                method=LinkMethod.REVIEW,
                run=case.run,
            )
    case.status = status
    case.decided_by = acting_user
    case.decided_on = timezone.now()
    case.save(update_fields=["status", "decided_by", "decided_on"])
    audit.record(
        _DECISION_ACTIONS[CaseStatus(status)],
        actor=acting_user,
        target=case,
        data={
            "source": case.source,
            "legacy_id": case.legacy_id,
            "personal_id": case.person.personal_id,
            "probability": case.probability,
        },
        commune_code=case.commune.code,
    )
    return case
