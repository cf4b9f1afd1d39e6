"""Writes of reserve technical means: the yearly registry import, staff's registration,
changes and retirement of one item, and the assignment to units (LLDBĐV Art. 13, 18), each
permitted, atomic and audited.

The import reads a registry's CSV (header exactly `means_rules.MEANS_COLUMNS`); a row with a
problem goes to the rejects with its line and codes, the others are upserted by kind and
registration number, so running the same file again changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.accounts.models import User
from muster.accounts.permissions import require
from muster.core.errors import FieldError, InvalidInput
from muster.core.text import nfc
from muster.geo.models import AdminUnit, Edition, Level
from muster.reserve import means_rules
from muster.reserve.models_units import (
    MeansAssignment,
    MeansNeed,
    MeansRetired,
    ReserveUnit,
    TechnicalMeans,
)
from muster.reserve.unit_queries import Province, area_of_communes

_DAY = timedelta(days=1)


@dataclass
class MeansImport:
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: list[tuple[int, list[FieldError]]] = field(default_factory=list)


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        header = [h.strip() for h in reader.fieldnames or []]
        return header, [
            {k.strip(): (v or "").strip() for k, v in row.items() if k} for row in reader
        ]


@transaction.atomic
def means_import(*, path: Path, year: int, acting_user: User | None) -> MeansImport:
    """Upsert the registry file's means as registered in `year` (re-run safe); the system
    (`acting_user` None) or a user allowed `reserve.means.edit` nationwide imports."""
    require(acting_user, "reserve.means.edit")
    header, rows = _rows(path)
    if tuple(header) != means_rules.MEANS_COLUMNS:
        raise InvalidInput.single(
            "file", "MEANS_HEADER", {"expected": ", ".join(means_rules.MEANS_COLUMNS)}
        )
    communes = {
        u.code: u
        for u in AdminUnit.objects.filter(
            edition=Edition.V2025, level=Level.COMMUNE, valid_to__isnull=True
        )
    }
    known = frozenset(communes)
    existing = {(m.kind, m.registration): m for m in TechnicalMeans.objects.all()}
    outcome = MeansImport()
    fields = ("capability", "capacity", "owner", "state", "registry")
    for line, row in enumerate(rows, start=2):
        outcome.read += 1
        problems = means_rules.means_row_problems(row, known)
        if problems:
            outcome.rejects.append((line, problems))
            continue
        key = (row["kind"], row["registration"])
        current = existing.get(key)
        commune = communes[row["commune"]]
        if current is None:
            existing[key] = TechnicalMeans.objects.create(
                kind=row["kind"],
                registration=row["registration"],
                commune=commune,
                registered_year=year,
                **{f: row[f] for f in fields},
            )
            outcome.created += 1
        elif all(getattr(current, f) == row[f] for f in fields) and (
            current.commune_id == commune.pk and current.registered_year >= year
        ):
            outcome.unchanged += 1
        else:
            for f in fields:
                setattr(current, f, row[f])
            current.commune = commune
            current.registered_year = max(current.registered_year, year)
            current.updated_at = timezone.now()
            current.save()
            outcome.updated += 1
    if outcome.created or outcome.updated:
        audit.record(
            "reserve.means.imported",
            actor=acting_user,
            target=("reserve.technicalmeans", path.name),
            data={
                "file": path.name,
                "year": year,
                "read": outcome.read,
                "created": outcome.created,
                "updated": outcome.updated,
                "rejected": len(outcome.rejects),
            },
        )
    return outcome


@transaction.atomic
def means_need_set(
    *, unit: ReserveUnit, capability: str, count: int, acting_user: User | None
) -> MeansNeed | None:
    """How many means of `capability` the unit needs (0 removes the need)."""
    require(acting_user, "reserve.unit.edit", unit=unit.command)
    if capability not in means_rules.CAPABILITIES:
        raise InvalidInput.single(
            "capability", "MEANS_CAPABILITY", {"capability": capability, "kind": ""}
        )
    audit.record(
        "reserve.means.need_set",
        actor=acting_user,
        target=unit,
        data={"capability": capability, "count": count},
    )
    if count <= 0:
        MeansNeed.objects.filter(unit=unit, capability=capability).delete()
        return None
    need, _created = MeansNeed.objects.update_or_create(
        unit=unit, capability=capability, defaults={"count": count}
    )
    return need


@transaction.atomic
def means_assign(*, province: Province, day: date, acting_user: User | None) -> dict[str, int]:
    """Assign the province's means in working order to its units' needs from `day` (Art. 18,
    `means_rules.assign_means`): assignments that stand stay, the others close the day before."""
    require(acting_user, "reserve.means.edit", unit=province.command)
    units = {u.pk: u for u in ReserveUnit.objects.as_of(day).filter(command=province.command)}
    needs = [
        means_rules.Need(
            n.unit_id, n.capability, n.count, units[n.unit_id].force, units[n.unit_id].area_id
        )
        for n in MeansNeed.objects.filter(unit_id__in=list(units)).order_by("unit_id", "capability")
    ]
    area_of = area_of_communes(province.command, day)
    pool = TechnicalMeans.objects.filter(commune_id__in=list(area_of), retired_on__isnull=True)
    placements = means_rules.assign_means(
        needs,
        (
            means_rules.Means(m.pk, m.capability, area_of.get(m.commune_id), m.state == "ready")
            for m in pool
        ),
    )
    return _commit_means(units, placements, day, acting_user, province)


def _commit_means(
    units: dict[int, ReserveUnit],
    placements: Iterable[means_rules.MeansPlacement],
    day: date,
    acting_user: User | None,
    province: Province,
) -> dict[str, int]:
    wanted = {p.means_id: p for p in placements}
    current = {
        a.means_id: a
        for a in MeansAssignment.objects.filter(valid_to__isnull=True, unit_id__in=list(units))
    }
    closed = 0
    kept: set[int] = set()
    for means_id, held in current.items():
        p = wanted.get(means_id)
        if p is not None and (p.unit_id, p.capability, p.match) == (
            held.unit_id,
            held.capability,
            held.match,
        ):
            kept.add(means_id)
            continue
        if held.valid_from is not None and held.valid_from >= day:
            held.delete()  # began on the day itself: replaced, nothing before the day changes
        else:
            held.valid_to = day - _DAY
            held.save(update_fields=["valid_to"])
        closed += 1
    fresh = [
        MeansAssignment(
            means_id=p.means_id,
            unit_id=p.unit_id,
            capability=p.capability,
            match=p.match,
            valid_from=day,
        )
        for means_id, p in sorted(wanted.items())
        if means_id not in kept
    ]
    MeansAssignment.objects.bulk_create(fresh)
    counts = {"assigned": len(wanted), "kept": len(kept), "opened": len(fresh), "closed": closed}
    audit.record(
        "reserve.means.assigned",
        actor=acting_user,
        target=("reserve.technicalmeans", province.command.code),
        data={"command": province.command.code, "day": day.isoformat(), **counts},
    )
    return counts


# Lengths of the register's text columns (models_units.TechnicalMeans).
_LIMITS = {"registration": 40, "capacity": 40, "owner": 200, "registry": 60}
FIRST_YEAR = 2000


def _in_force(commune: AdminUnit) -> frozenset[str]:
    """The commune's code when it is a 2025 commune in force (what `means_row_problems` asks)."""
    ok = (
        commune.edition == Edition.V2025
        and commune.level == Level.COMMUNE
        and commune.valid_to is None
    )
    return frozenset({commune.code}) if ok else frozenset()


def _problems(row: dict[str, str], commune: AdminUnit, year: int) -> list[FieldError]:
    problems = means_rules.means_row_problems(row, _in_force(commune))
    for name, limit in _LIMITS.items():
        if len(row.get(name, "")) > limit:
            problems.append(FieldError(name, "TOO_LONG", {"limit": limit}))
    this_year = timezone.localdate().year
    if not FIRST_YEAR <= year <= this_year:
        problems.append(
            FieldError("registered_year", "MEANS_YEAR", {"first": FIRST_YEAR, "last": this_year})
        )
    return problems


def _clean(**texts: str) -> dict[str, str]:
    return {name: nfc(value).strip() for name, value in texts.items()}


@transaction.atomic
def means_register(
    *,
    kind: str,
    registration: str,
    capability: str,
    capacity: str,
    owner: str,
    commune: AdminUnit,
    state: str,
    registry: str,
    registered_year: int,
    acting_user: User | None,
) -> TechnicalMeans:
    """Register one item of technical means by hand (LLDBĐV Art. 13: what the yearly file
    would bring), checked like a file's row (`means_rules.means_row_problems`); one item per
    kind and registration number (MEANS_DUPLICATE). Staff allowed `reserve.means.edit` over the
    commune register it."""
    require(acting_user, "reserve.means.edit", commune_id=commune.pk)
    row = _clean(
        kind=kind,
        registration=registration,
        capability=capability,
        capacity=capacity,
        owner=owner,
        commune=commune.code,
        state=state,
        registry=registry,
    )
    problems = _problems(row, commune, registered_year)
    if TechnicalMeans.objects.filter(kind=row["kind"], registration=row["registration"]).exists():
        problems.append(
            FieldError("registration", "MEANS_DUPLICATE", {"registration": row["registration"]})
        )
    if problems:
        raise InvalidInput(problems)
    means = TechnicalMeans.objects.create(
        commune=commune,
        registered_year=registered_year,
        **{k: v for k, v in row.items() if k != "commune"},
    )
    audit.record(
        "reserve.means.registered",
        actor=acting_user,
        target=means,
        data={**row, "registered_year": registered_year},
        commune_code=commune.code,
    )
    return means


@transaction.atomic
def means_update(
    *,
    means: TechnicalMeans,
    capability: str,
    capacity: str,
    owner: str,
    commune: AdminUnit,
    state: str,
    registry: str,
    acting_user: User | None,
) -> TechnicalMeans:
    """Change what the register says of one item (its kind and registration number name it and
    stay); the user covers both the commune it was in and the one it moves to. A retired item
    is not changed (MEANS_RETIRED). Its assignment stays: the next `means_assign` places means
    by their state and capability again."""
    current = TechnicalMeans.objects.select_for_update().get(pk=means.pk)
    require(acting_user, "reserve.means.edit", commune_id=current.commune_id)
    require(acting_user, "reserve.means.edit", commune_id=commune.pk)
    if current.retired_on is not None:
        raise InvalidInput.single("means", "MEANS_RETIRED", {"day": current.retired_on})
    row = _clean(
        kind=current.kind,
        registration=current.registration,
        capability=capability,
        capacity=capacity,
        owner=owner,
        commune=commune.code,
        state=state,
        registry=registry,
    )
    problems = _problems(row, commune, current.registered_year)
    if problems:
        raise InvalidInput(problems)
    fields = ("capability", "capacity", "owner", "state", "registry")
    changed = {f: row[f] for f in fields if getattr(current, f) != row[f]}
    if current.commune_id != commune.pk:
        changed["commune"] = commune.code
    if not changed:
        return current
    for f in fields:
        setattr(current, f, row[f])
    current.commune = commune
    current.updated_at = timezone.now()
    current.save()
    audit.record(
        "reserve.means.updated",
        actor=acting_user,
        target=current,
        data={"kind": current.kind, "registration": current.registration, **changed},
        commune_code=commune.code,
    )
    return current


@transaction.atomic
def means_retire(
    *, means: TechnicalMeans, retired_on: date, reason: str, acting_user: User | None
) -> TechnicalMeans:
    """Take one item off the register after `retired_on` (its last day), with the reason; its
    assignment to a unit, if one is open, ends the same day (the history stays). Not dated
    ahead of today, nor before the assignment it holds began."""
    current = TechnicalMeans.objects.select_for_update().get(pk=means.pk)
    require(acting_user, "reserve.means.edit", commune_id=current.commune_id)
    problems: list[FieldError] = []
    if current.retired_on is not None:
        problems.append(FieldError("means", "MEANS_RETIRED", {"day": current.retired_on}))
    if reason not in MeansRetired.values:
        problems.append(FieldError("reason", "MEANS_RETIRE_REASON", {"reason": reason}))
    if retired_on > timezone.localdate():
        problems.append(FieldError("retired_on", "DATE_IN_FUTURE", {"day": retired_on}))
    held = MeansAssignment.objects.filter(means=current, valid_to__isnull=True).first()
    if held is not None and held.valid_from is not None and retired_on < held.valid_from:
        problems.append(
            FieldError("retired_on", "MEANS_RETIRED_BEFORE_ASSIGNED", {"day": held.valid_from})
        )
    if problems:
        raise InvalidInput(problems)
    if held is not None:
        held.valid_to = retired_on
        held.save(update_fields=["valid_to"])
    current.retired_on = retired_on
    current.retired_reason = reason
    current.updated_at = timezone.now()
    current.save(update_fields=["retired_on", "retired_reason", "updated_at"])
    audit.record(
        "reserve.means.retired",
        actor=acting_user,
        target=current,
        data={
            "kind": current.kind,
            "registration": current.registration,
            "on": retired_on.isoformat(),
            "reason": reason,
            "assignment_closed": held.pk if held is not None else None,
        },
        commune_code=current.commune.code,
    )
    return current
