"""Writes of reserve technical means: the yearly registry import and the assignment to units
(LLDBĐV Art. 13, 18), each permitted, atomic and audited.

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
from muster.geo.models import AdminUnit, Edition, Level
from muster.reserve import means_rules
from muster.reserve.models_units import MeansAssignment, MeansNeed, ReserveUnit, TechnicalMeans
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
    pool = TechnicalMeans.objects.filter(commune_id__in=list(area_of))
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
