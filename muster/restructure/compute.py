"""`plan_compute`: what a plan would do, without touching a single registry record.

Coverage (orphans) and the records that would move (old unit → new unit, by record type) are
counted by the participants that keep those records (`core.restructuring`); a proposal for
every person of a split ward and the gaps left after the change (`gaps.py`) are the engine's.
With `record_cases` the split proposals are stored as `SplitCase` rows (the review queue);
nothing else is kept.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.core.restructuring import PlanCounts, participants
from muster.geo.models import AdminUnit
from muster.linkage.addresses import legacy_geo_load
from muster.orgs.models import OrgUnit
from muster.people.models import Person
from muster.restructure import rules
from muster.restructure.gaps import Gap, plan_gaps
from muster.restructure.journal import PlanJournal, mapping_build
from muster.restructure.models import Plan, PlanStatus, SplitCase, SplitStatus
from muster.restructure.resolve import Resolved, plan_resolve

__all__ = ["Gap", "Move", "Orphan", "PlanSummary", "plan_compute", "stored_summary"]


@dataclass(frozen=True)
class Orphan:
    unit_type: str  # "admin" | "org"
    code: str
    name: str
    records: int  # persons living there / users holding it / militia members kept there


@dataclass(frozen=True)
class Move:
    record_type: str  # "person" | "user" | "territory" | "militia"
    old_code: str
    old_name: str
    new_code: str
    new_name: str
    count: int
    new_commune_id: int | None = None  # for scoping the page


@dataclass
class PlanSummary:
    key: str
    effective_on: str
    steps: int
    affected_units: int
    orphans: list[Orphan]
    moves: list[Move]
    split_persons: int
    split_open: int
    gaps: list[Gap]

    @property
    def covered(self) -> bool:
        return not self.orphans

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlanSummary:
        """The summary `as_dict` stored (`Plan.summary`)."""
        return cls(
            **{
                **data,
                "orphans": [Orphan(**o) for o in data["orphans"]],
                "moves": [Move(**m) for m in data["moves"]],
                "gaps": [Gap(**g) for g in data["gaps"]],
            }
        )


def stored_summary(plan: Plan) -> PlanSummary | None:
    """The plan's last computed summary, or None when it was never computed (or its steps
    changed since)."""
    return PlanSummary.from_dict(plan.summary) if plan.summary else None


@dataclass(frozen=True)
class _Proposal:
    person_id: int
    ward_id: int
    commune_id: int
    confidence: float
    evidence: dict[str, Any]


def _split_proposals(resolved: Resolved) -> list[_Proposal]:
    splits = resolved.split_wards()
    if not splits:
        return []
    codes = {resolved.admin[n].code for new in splits.values() for n in new}
    geo = legacy_geo_load(codes)
    proposals: list[_Proposal] = []
    rows = Person.objects.filter(residence_commune_id__in=sorted(splits)).values_list(
        "id", "residence_commune_id", "address"
    )
    for person_id, ward_id, address in rows.order_by("id").iterator(chunk_size=5000):
        successors = [
            rules.Successor(
                id=n,
                code=resolved.admin[n].code,
                short_name=resolved.admin[n].short_name,
                is_default=i == 0,
            )
            for i, n in enumerate(splits[ward_id])
        ]
        parts = [p.strip() for p in (address or "").split(",") if p.strip()]
        _default, found, _district = geo.resolve(address or "")
        parsed = bool(set(found) & {s.code for s in successors})
        village = (
            ", ".join(parts[:-3])
            if len(parts) >= 4
            else (parts[0] if parsed is False and parts else "")
        )
        proposal = rules.split_proposal(
            address=address or "", village=village, parsed_ward=parsed, successors=successors
        )
        proposals.append(
            _Proposal(
                person_id, ward_id, proposal.commune_id, proposal.confidence, proposal.evidence
            )
        )
    return proposals


def _record_cases(plan: Plan, proposals: list[_Proposal]) -> None:
    """Store proposals as split cases; a reviewer's decision is never overwritten."""
    decided = set(
        SplitCase.objects.filter(plan=plan, decided_by__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    SplitCase.objects.filter(plan=plan, decided_by__isnull=True).delete()
    SplitCase.objects.bulk_create(
        [
            SplitCase(
                plan=plan,
                person_id=p.person_id,
                legacy_ward_id=p.ward_id,
                proposed_commune_id=p.commune_id,
                confidence=p.confidence,
                evidence=p.evidence,
                status=SplitStatus.OPEN
                if p.confidence < rules.REVIEW_BELOW
                else SplitStatus.ACCEPTED,
                decided_commune_id=None if p.confidence < rules.REVIEW_BELOW else p.commune_id,
            )
            for p in proposals
            if p.person_id not in decided
        ],
        batch_size=5000,
    )


def _participant_counts(
    plan: Plan, resolved: Resolved, proposals: list[_Proposal], *, cases_recorded: bool
) -> list[PlanCounts]:
    """What each participant would move and orphan. They join the mapping and the split
    decisions, so those are written (the proposals too, when not recorded) and rolled back."""
    with transaction.atomic():
        if plan.status != PlanStatus.APPLIED:
            mapping_build(plan, resolved)
            if not cases_recorded:
                _record_cases(plan, proposals)
        journal = PlanJournal.of(plan)
        counts = [participant.plan(journal) for participant in participants()]
        transaction.set_rollback(True)
    return counts


def _moves(resolved: Resolved, counts: list[PlanCounts]) -> list[Move]:
    """Each participant's moves with the units' codes and names, in participant order."""
    moves = []
    for part in counts:
        for move in part.moves:
            units: dict[int, Any] = resolved.org if move.unit_type == "org" else resolved.admin
            old, new = units[move.old_id], units[move.new_id]
            moves.append(
                Move(
                    move.record_type,
                    old.code,
                    old.name,
                    new.code,
                    new.name,
                    move.count,
                    move.commune_id,
                )
            )
    return moves


def _orphans(counts: list[PlanCounts]) -> list[Orphan]:
    """Units ending before the day that still hold records and have no successor."""
    held: Counter[tuple[str, int]] = Counter()
    for part in counts:
        for orphan in part.orphans:
            held[(orphan.unit_type, orphan.unit_id)] += orphan.count
    orphans: list[Orphan] = []
    for (unit_type, unit_id), n in held.items():
        unit: AdminUnit | OrgUnit = (
            OrgUnit.objects.get(pk=unit_id)
            if unit_type == "org"
            else AdminUnit.objects.get(pk=unit_id)
        )
        orphans.append(Orphan(unit_type, unit.code, unit.name, n))
    return sorted(orphans, key=lambda o: (o.unit_type, o.code))


def plan_compute(plan: Plan, *, record_cases: bool = True, acting_user: Any = None) -> PlanSummary:
    """What applying `plan` would do; changes no registry record.

    With `record_cases` the split proposals are stored as the plan's split cases (those below
    `rules.REVIEW_BELOW` open for review; decided ones are kept) and the computation audited.
    """
    resolved = plan_resolve(plan)
    proposals = _split_proposals(resolved)
    with transaction.atomic():
        recorded = record_cases and plan.status != PlanStatus.APPLIED
        if recorded:
            _record_cases(plan, proposals)
        counts = _participant_counts(plan, resolved, proposals, cases_recorded=recorded)
        summary = PlanSummary(
            key=plan.key,
            effective_on=plan.effective_on.isoformat(),
            steps=plan.steps.count(),
            affected_units=len(resolved.admin_successors) + len(resolved.org_successors),
            orphans=_orphans(counts),
            moves=_moves(resolved, counts),
            split_persons=len(proposals),
            split_open=SplitCase.objects.filter(plan=plan, status=SplitStatus.OPEN).count(),
            gaps=plan_gaps(resolved, counts),
        )
        if recorded:
            Plan.objects.filter(pk=plan.pk).update(
                summary=summary.as_dict(), computed_at=timezone.now()
            )
            audit.record(
                "restructure.plan.computed",
                actor=acting_user,
                target=plan,
                data={
                    "orphans": len(summary.orphans),
                    "moves": sum(m.count for m in summary.moves),
                    "split_persons": summary.split_persons,
                    "split_open": summary.split_open,
                    "gaps": len(summary.gaps),
                },
            )
    return summary
