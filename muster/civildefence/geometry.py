"""Hazard zone geometry with shapely: reading a GeoJSON file into one (Multi)Polygon with
coded errors naming the feature and field at fault, and the communes a zone touches with the
share of each commune's drawn shape inside it. No ORM.

Shapes are WGS 84 longitude/latitude; shares are ratios of areas in degrees², which over a
commune differ from true areas by far less than the shapes themselves (approximations,
`geo.UnitShape`) do. Areas in km² use a local equal-area scale at the zone's latitude.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from shapely import STRtree
from shapely.geometry import MultiPolygon, Polygon, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union
from shapely.validation import explain_validity

from muster.core.errors import FieldError, InvalidInput

AREAL = ("Polygon", "MultiPolygon")
MAX_BYTES = 20_000_000


def _coordinates_ok(geometry: dict[str, Any]) -> bool:
    def walk(node: Any) -> bool:
        if (
            isinstance(node, list | tuple)
            and len(node) >= 2
            and all(isinstance(v, int | float) and not isinstance(v, bool) for v in node[:2])
        ):
            lon, lat = node[0], node[1]
            return bool(-180 <= lon <= 180 and -90 <= lat <= 90)
        if isinstance(node, list | tuple):
            return all(walk(child) for child in node)
        return False

    return walk(geometry.get("coordinates"))


def _geometries(data: Any) -> list[tuple[str, Any]]:
    """(where, geometry object) of a FeatureCollection, a Feature or a bare geometry."""
    if not isinstance(data, dict):
        raise InvalidInput.single("file", "HAZARD_GEOJSON_TYPE", {"where": "file"})
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or not features:
            raise InvalidInput.single("features", "HAZARD_GEOJSON_EMPTY", {})
        found = []
        for index, feature in enumerate(features):
            where = f"features[{index}]"
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                raise InvalidInput.single(where, "HAZARD_GEOJSON_TYPE", {"where": where})
            found.append((f"{where}.geometry", feature.get("geometry")))
        return found
    if kind == "Feature":
        return [("geometry", data.get("geometry"))]
    return [("file", data)]


def read_zone(text: str | bytes) -> BaseGeometry:
    """One valid (Multi)Polygon from GeoJSON text: the union of every feature's polygons.

    Refusals (`InvalidInput`, the field naming the feature): `HAZARD_FILE_UNREADABLE` (not
    JSON), `HAZARD_GEOJSON_TYPE` (not a feature, collection, Polygon or MultiPolygon),
    `HAZARD_GEOJSON_EMPTY`, `HAZARD_COORDINATES` (not longitude/latitude in range),
    `HAZARD_GEOMETRY_INVALID` (e.g. a ring crossing itself, with shapely's reason)."""
    if len(text) > MAX_BYTES:
        raise InvalidInput.single("file", "HAZARD_FILE_TOO_LARGE", {"limit": MAX_BYTES})
    try:
        data = json.loads(text)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput.single("file", "HAZARD_FILE_UNREADABLE", {"reason": str(exc)}) from None
    parts: list[BaseGeometry] = []
    errors: list[FieldError] = []
    for where, geometry in _geometries(data):
        if not isinstance(geometry, dict) or geometry.get("type") not in AREAL:
            found = geometry.get("type") if isinstance(geometry, dict) else None
            errors.append(
                FieldError(where, "HAZARD_GEOJSON_TYPE", {"where": where, "found": str(found)})
            )
            continue
        if not _coordinates_ok(geometry):
            errors.append(FieldError(where, "HAZARD_COORDINATES", {"where": where}))
            continue
        try:
            geom = shape(geometry)
        except (ValueError, TypeError, IndexError, AttributeError) as exc:
            errors.append(
                FieldError(where, "HAZARD_GEOMETRY_INVALID", {"where": where, "reason": str(exc)})
            )
            continue
        if geom.is_empty or not geom.is_valid:
            reason = "empty" if geom.is_empty else explain_validity(geom)
            errors.append(
                FieldError(where, "HAZARD_GEOMETRY_INVALID", {"where": where, "reason": reason})
            )
            continue
        parts.append(geom)
    if errors:
        raise InvalidInput(errors)
    zone = unary_union(parts)
    if not isinstance(zone, Polygon | MultiPolygon) or zone.area <= 0:
        raise InvalidInput.single("file", "HAZARD_GEOJSON_EMPTY", {})
    return zone


def to_geojson(geom: BaseGeometry) -> str:
    """The geometry as GeoJSON text, coordinates rounded to 6 decimals (about 0.1 m)."""
    from shapely import set_precision

    return json.dumps(_mapping(set_precision(geom, 1e-6)), separators=(",", ":"))


def _mapping(geom: BaseGeometry) -> dict[str, Any]:
    from shapely.geometry import mapping

    found: dict[str, Any] = json.loads(json.dumps(mapping(geom)))
    return found


def area_km2(geom: BaseGeometry) -> float:
    """Approximate area in km² (degrees² scaled at the geometry's mean latitude)."""
    lat = geom.centroid.y if not geom.is_empty else 0.0
    km_per_deg = 111.32
    return float(geom.area * km_per_deg * km_per_deg * math.cos(math.radians(lat)))


@dataclass(frozen=True)
class Touched:
    commune_id: int
    share: float  # of the commune's drawn shape inside the zone, 0 < share ≤ 1
    lat: float  # a point of the part inside the zone (its representative point)
    lon: float


def touched(zone: BaseGeometry, shapes: Iterable[tuple[int, str]]) -> list[Touched]:
    """Every commune of `shapes` ((commune id, GeoJSON geometry text)) whose shape overlaps
    `zone` by a positive area, with its share inside; an unreadable shape is skipped."""
    ids: list[int] = []
    geoms: list[BaseGeometry] = []
    for commune_id, text in shapes:
        try:
            geom = shape(json.loads(text))
        except (ValueError, TypeError, KeyError, AttributeError):
            continue
        if not geom.is_valid:
            geom = geom.buffer(0)
        if geom.is_empty or geom.area <= 0:
            continue
        ids.append(commune_id)
        geoms.append(geom)
    if not geoms:
        return []
    tree = STRtree(geoms)
    found = []
    for index in tree.query(zone, predicate="intersects"):
        geom = geoms[int(index)]
        part = geom.intersection(zone)
        if part.is_empty or part.area <= 0:
            continue
        point = part.representative_point()
        share = min(1.0, part.area / geom.area)
        found.append(Touched(ids[int(index)], share, float(point.y), float(point.x)))
    return sorted(found, key=lambda t: t.commune_id)


def bbox(geom: BaseGeometry) -> tuple[float, float, float, float]:
    """(min lon, min lat, max lon, max lat)."""
    minx, miny, maxx, maxy = geom.bounds
    return float(minx), float(miny), float(maxx), float(maxy)
