"""Civil-defence test data: square commune shapes side by side, zones as GeoJSON text."""

from __future__ import annotations

import json
from datetime import date

from muster.accounts.tests.factories import World
from muster.civildefence import actions
from muster.civildefence.models import HazardZone
from muster.geo.models import AdminUnit, UnitShape

WEST, SOUTH, SIDE = 104.0, 22.0, 0.1  # commune i spans lon WEST+i·SIDE … WEST+(i+1)·SIDE


def square(west: float, south: float, east: float, north: float) -> dict[str, object]:
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def shape_communes(world: World) -> list[AdminUnit]:
    """Communes 99001–99003 drawn as 0.1° squares west to east, their centres recorded."""
    for index, commune in enumerate(world.communes):
        west = WEST + index * SIDE
        UnitShape.objects.update_or_create(
            unit=commune,
            defaults={
                "geojson": json.dumps(square(west, SOUTH, west + SIDE, SOUTH + SIDE)),
                "method": "test",
            },
        )
        commune.lat, commune.lon = SOUTH + SIDE / 2, west + SIDE / 2
        commune.save(update_fields=["lat", "lon"])
    return list(world.communes)


def zone_text(west: float, south: float, east: float, north: float) -> str:
    """A FeatureCollection of one rectangle."""
    feature = {"type": "Feature", "properties": {}, "geometry": square(west, south, east, north)}
    return json.dumps({"type": "FeatureCollection", "features": [feature]})


def import_zone(
    key: str = "FLOOD-1",
    *,
    west: float = WEST,
    east: float = WEST + SIDE * 1.5,
    severity: int = 3,
    kind: str = "flood",
    valid_from: date = date(2026, 9, 7),
) -> HazardZone:
    """A zone over all of commune 99001 and the western half of 99002 (by default)."""
    given = actions.HazardInput(
        key=key,
        kind=kind,
        name=f"Lũ {key}",
        valid_from=valid_from,
        severity=severity,
        source="test",
    )
    text = zone_text(west, SOUTH - 0.01, east, SOUTH + SIDE + 0.01)
    return actions.hazard_import(given=given, geojson=text, acting_user=None)
