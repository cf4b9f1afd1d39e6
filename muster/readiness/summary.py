"""Reads of the readiness summary tables for the pages, reports and API: the latest snapshot on
or before a day, of a unit, of the units below it and of its communes. Nothing is computed
here (the figures are the refresh's, `readiness.bulk`); nothing names a person.

Scope: the caller passes a unit it reached through `dashboard.access_unit` (the user's
jurisdiction or a unit below it, else NotFound), so every figure read is inside it.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Subquery

from muster.orgs.models import OrgKind, OrgUnit
from muster.readiness import rules
from muster.readiness.models import CommuneSnapshot, UnitSnapshot
from muster.readiness.places import Place


def unit_snapshot(unit: OrgUnit, day: date) -> UnitSnapshot | None:
    """The unit's latest snapshot on or before `day` (None: never computed by then)."""
    return UnitSnapshot.objects.filter(org_unit=unit, as_of__lte=day).order_by("-as_of").first()


@dataclass(frozen=True)
class Row:
    """A unit below, or a commune, with its snapshot (None: none computed by the day)."""

    code: str
    name: str
    snapshot: UnitSnapshot | CommuneSnapshot | None
    unit: OrgUnit | None = None


def unit_snapshots(unit_ids: Collection[int], day: date) -> dict[int, UnitSnapshot]:
    """unit id → its latest snapshot on or before `day`, all in one query."""
    latest = (
        UnitSnapshot.objects.filter(org_unit_id=OuterRef("org_unit_id"), as_of__lte=day)
        .order_by("-as_of")
        .values("as_of")[:1]
    )
    return {
        s.org_unit_id: s
        for s in UnitSnapshot.objects.filter(
            org_unit_id__in_array=sorted(unit_ids), as_of__lte=day, as_of=Subquery(latest)
        )
    }


def page(found: Place, day: date) -> tuple[UnitSnapshot | None, list[Row]]:
    """A unit's page: its latest snapshot on or before `day` and its table's rows — the units
    below it, or a commune command's communes, each with its latest snapshot. One read of the
    unit snapshots (the unit's and those below it together); a commune command's page reads
    its communes' snapshots beside its own."""
    unit = found.unit
    if unit.kind == OrgKind.COMMUNE_COMMAND:
        snaps = commune_snapshots([c.id for c in found.communes], day)
        rows = [Row(c.code, c.name, snaps.get(c.id)) for c in found.communes]
        return unit_snapshot(unit, day), rows
    units = unit_snapshots([unit.pk, *(u.pk for u in found.below)], day)
    return units.get(unit.pk), [Row(u.code, u.name, units.get(u.pk), u) for u in found.below]


def commune_snapshots(commune_ids: Collection[int], day: date) -> dict[int, CommuneSnapshot]:
    """commune id → its latest snapshot on or before `day`."""
    latest = (
        CommuneSnapshot.objects.filter(commune_id=OuterRef("commune_id"), as_of__lte=day)
        .order_by("-as_of")
        .values("as_of")[:1]
    )
    return {
        s.commune_id: s
        for s in CommuneSnapshot.objects.filter(
            commune_id__in_array=sorted(commune_ids), as_of__lte=day, as_of=Subquery(latest)
        )
    }


# Indicators a choropleth colours communes by, and shares derived from the counts.
def indicator(snapshot: UnitSnapshot | CommuneSnapshot, name: str) -> float | int | None:
    """A snapshot's figure `name`: a count, or one of the shares of `SHARES`."""
    if name in SHARES:
        part, whole = SHARES[name]
        share = rules.share(getattr(snapshot, part), getattr(snapshot, whole))
        return None if share is None else round(share * 100, 1)
    value: int = getattr(snapshot, name)
    return value


SHARES: dict[str, tuple[str, str]] = {
    "callup_issued_share": ("callup_issued", "callup_quota"),
    "militia_share": ("militia_members", "militia_target"),
    "reservists_assigned_share": ("reservists_assigned", "reservists"),
    "positions_filled_share": ("positions_filled", "positions"),
    "positions_qualified_share": ("positions_qualified", "positions"),
}
