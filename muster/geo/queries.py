"""Reads of administrative geography. Geography is public, so nothing here is user-scoped."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from django.db.models import QuerySet

from muster.core.errors import NotFound
from muster.geo import rules
from muster.geo.models import AdminUnit, Edition, Level, Succession, UnitShape

# Stay below SQLite's bound-parameter limit on old builds.
_IN_CHUNK = 900


def unit_get(edition: str, code: str) -> AdminUnit:
    """The unit of `edition` with `code` (with its parent), or NotFound."""
    try:
        return AdminUnit.objects.select_related("parent").get(edition=edition, code=code)
    except AdminUnit.DoesNotExist:
        raise NotFound("ADMIN_UNIT_NOT_FOUND", {"edition": edition, "code": code}) from None


def unit_list(
    *,
    edition: str | None = None,
    level: str | None = None,
    parent: AdminUnit | None = None,
    as_of: date | None = None,
) -> QuerySet[AdminUnit]:
    """Units matching every given filter, ordered by code (then edition: codes overlap)."""
    units = AdminUnit.objects.all()
    if edition is not None:
        units = units.filter(edition=edition)
    if level is not None:
        units = units.filter(level=level)
    if parent is not None:
        units = units.filter(parent=parent)
    if as_of is not None:
        units = units.as_of(as_of)
    return units.order_by("code", "edition")


def unit_holding_code_on(code: str, day: date, level: str | None = None) -> AdminUnit | None:
    """The unit that held `code` on `day` (from the edition valid then), or None.

    "00004" is Phường Trúc Bạch on 2025-06-30 and Phường Ba Đình on 2025-07-01.
    """
    units = AdminUnit.objects.as_of(day).filter(code=code)
    if level is not None:
        units = units.filter(level=level)
    return units.order_by("edition").first()


def parent_on(unit: AdminUnit, day: date) -> AdminUnit | None:
    """The unit's parent on `day`; None when the unit (or a parent) did not exist that day.

    Parents always come from the unit's own edition, so a legacy ward has no parent after
    2025-06-30: follow `successors` to reach the 2025 units.
    """
    if not unit.is_valid_on(day) or unit.parent_id is None:
        return None
    parent = unit.parent
    return parent if parent is not None and parent.is_valid_on(day) else None


def successors(unit: AdminUnit) -> list[Succession]:
    """The units that took over `unit`, default first, each with `successor` loaded."""
    return list(
        Succession.objects.filter(predecessor=unit)
        .select_related("successor")
        .order_by("effective_on", "-is_default", "successor__code")
    )


def predecessors(unit: AdminUnit) -> list[Succession]:
    """The units `unit` took over (wholly or in part), each with `predecessor` loaded."""
    return list(
        Succession.objects.filter(successor=unit)
        .select_related("predecessor")
        .order_by("effective_on", "predecessor__code")
    )


def majority_legacy_district(
    communes: Iterable[AdminUnit] | None = None,
) -> dict[int, AdminUnit]:
    """For each 2025 commune (all when None), the legacy district most of it came from.

    "Most" counts predecessor wards (a ward split between communes counts for each);
    ties go to the larger estimated area, then the lowest district code. A legacy island
    district without communes (Côn Đảo, Lý Sơn ...) counts as itself. Communes without a
    legacy predecessor are left out.
    """
    rows = Succession.objects.filter(
        predecessor__edition=Edition.LEGACY,
        successor__edition=Edition.V2025,
        successor__level=Level.COMMUNE,
    )
    fields = (
        "successor_id",
        "predecessor_id",
        "predecessor__level",
        "predecessor__parent_id",
        "predecessor__area_km2",
    )
    found: list[tuple[int, int, str, int | None, float | None]] = []
    if communes is None:
        found = list(rows.values_list(*fields))
    else:
        ids = [c.pk for c in communes]
        for start in range(0, len(ids), _IN_CHUNK):
            chunk = ids[start : start + _IN_CHUNK]
            found.extend(rows.filter(successor_id__in=chunk).values_list(*fields))
    shares: dict[int, dict[int, tuple[int, float]]] = defaultdict(dict)
    for commune_id, pred_id, pred_level, pred_parent_id, area in found:
        district_id = pred_id if pred_level == Level.DISTRICT else pred_parent_id
        if district_id is None:
            continue
        count, total = shares[commune_id].get(district_id, (0, 0.0))
        shares[commune_id][district_id] = (count + 1, total + (area or 0.0))
    district_ids = {d for by_district in shares.values() for d in by_district}
    districts = AdminUnit.objects.in_bulk(list(district_ids))
    result: dict[int, AdminUnit] = {}
    for commune_id, by_district in shares.items():
        by_code = {districts[d].code: value for d, value in by_district.items()}
        winner = rules.majority_choice(by_code)
        result[commune_id] = next(districts[d] for d in by_district if districts[d].code == winner)
    return result


def shapes_geojson(
    unit_ids: Iterable[int], properties: Mapping[int, dict[str, object]] | None = None
) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the units' outlines (units without one are left out).

    Each feature's properties: id, edition, code, name, level, approximate, method, plus
    `properties[unit_id]` when given.
    """
    ids = list(dict.fromkeys(unit_ids))
    extra = properties or {}
    shapes: list[UnitShape] = []
    for start in range(0, len(ids), _IN_CHUNK):
        shapes.extend(
            UnitShape.objects.filter(unit_id__in=ids[start : start + _IN_CHUNK]).select_related(
                "unit"
            )
        )
    order = {unit_id: i for i, unit_id in enumerate(ids)}
    shapes.sort(key=lambda s: order[s.unit_id])
    features = [
        {
            "type": "Feature",
            "id": shape.unit_id,
            "geometry": json.loads(shape.geojson),
            "properties": {
                "id": shape.unit_id,
                "edition": shape.unit.edition,
                "code": shape.unit.code,
                "name": shape.unit.name,
                "level": shape.unit.level,
                "approximate": shape.is_approximate,
                "method": shape.method,
                **extra.get(shape.unit_id, {}),
            },
        }
        for shape in shapes
    ]
    return {"type": "FeatureCollection", "features": features}


_GRIDS: dict[int, Any] = {}  # elevation grids by id, read once per process (they never change)


def elevation_latest() -> Any:
    """The newest imported elevation grid (`geo.elevation.Grid`), or None: the 3D map's
    terrain. A grid is immutable once imported, so it is kept per process by its id."""
    from muster.geo.elevation import from_bytes
    from muster.geo.models import Elevation

    newest = Elevation.objects.order_by("-pk").values_list("pk", flat=True).first()
    if newest is None:
        return None
    if newest not in _GRIDS:
        row = Elevation.objects.get(pk=newest)
        _GRIDS.clear()
        _GRIDS[newest] = from_bytes(
            (row.west, row.south, row.east, row.north), row.rows, row.cols, bytes(row.heights)
        )
    return _GRIDS[newest]
