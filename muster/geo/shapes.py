"""Approximate outlines from centroids and areas (no package ships commune polygons).

Within one province, each commune gets the Voronoi cell of its centroid, clipped to a disc
whose area is a little more than the commune's, so cells reflect size and the coast or a
border does not stretch a cell across the sea. A parent's outline is the union of its
children's cells. Pure geometry: no ORM.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any, TypeVar

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

METHOD = "voronoi-clipped-by-area"

# A disc of radius DISC_FACTOR·sqrt(area/π): 1.0 would give the exact area to a lone cell,
# but neighbours cut every cell, so a little more keeps the drawn area close to the real one.
DISC_FACTOR = 1.3
KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON_AT_EQUATOR = 111.320
# Tolerances in km; the GeoJSON grid is 1e-4 degrees (about 11 m).
CELL_SIMPLIFY_KM = 0.08
PARENT_SIMPLIFY_KM = 0.4
DEGREE_GRID = 1e-4
FALLBACK_AREA_KM2 = 30.0

T = TypeVar("T", bound=Hashable)


@dataclass(frozen=True)
class Site:
    key: Hashable
    lat: float
    lon: float
    area_km2: float | None


class _Plane:
    """An equirectangular plane in km around a province's mean latitude."""

    def __init__(self, lat0: float) -> None:
        self.kx = KM_PER_DEG_LON_AT_EQUATOR * math.cos(math.radians(lat0))

    def to_km(self, coords: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        scaled: np.ndarray[Any, Any] = coords * np.array([self.kx, KM_PER_DEG_LAT])
        return scaled

    def to_deg(self, coords: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        scaled: np.ndarray[Any, Any] = coords / np.array([self.kx, KM_PER_DEG_LAT])
        return scaled


def cells(sites: Sequence[Site]) -> dict[Hashable, BaseGeometry]:
    """Each site's clipped Voronoi cell, in km on a local plane (see `to_degrees`)."""
    if not sites:
        return {}
    lat0 = sum(s.lat for s in sites) / len(sites)
    plane = _Plane(lat0)
    known = [s.area_km2 for s in sites if s.area_km2]
    default_area = median(known) if known else FALLBACK_AREA_KM2
    points = plane.to_km(np.array([[s.lon, s.lat] for s in sites], dtype=float))
    # Two sites on the same spot would share one cell: nudge repeats apart by 50 m.
    seen: dict[tuple[float, float], int] = {}
    for i, (x, y) in enumerate(points):
        n = seen.get((x, y), 0)
        seen[(x, y)] = n + 1
        if n:
            points[i] = (x + 0.05 * n, y + 0.05 * n)
    radii = [DISC_FACTOR * math.sqrt((s.area_km2 or default_area) / math.pi) for s in sites]
    discs = shapely.buffer(shapely.points(points), radii, quad_segs=6)
    if len(sites) == 1:
        polygons = [discs[0]]
    else:
        envelope = shapely.box(*shapely.total_bounds(discs))
        regions = shapely.voronoi_polygons(
            shapely.multipoints(points), extend_to=envelope, ordered=True
        )
        polygons = list(shapely.intersection(shapely.get_parts(regions), discs))
    simplified = shapely.simplify(polygons, CELL_SIMPLIFY_KM)
    return {site.key: geom for site, geom in zip(sites, simplified, strict=True)}


def union(parts: Sequence[BaseGeometry]) -> BaseGeometry:
    """The outline of a parent: its children's cells merged and simplified (km plane)."""
    return shapely.simplify(shapely.union_all(list(parts)), PARENT_SIMPLIFY_KM)


def to_geojson(geoms_km: Sequence[BaseGeometry], lat0: float) -> list[str]:
    """Compact GeoJSON geometries in degrees, on a 1e-4° grid, valid after rounding.

    An empty string stands for a shape too small to survive the grid.
    """
    plane = _Plane(lat0)
    geoms = shapely.transform(np.asarray(geoms_km, dtype=object), plane.to_deg)
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    geoms = shapely.set_precision(geoms, DEGREE_GRID)
    # GEOS writes the shortest round-trip form of each number, so grid values stay short.
    texts = shapely.to_geojson(geoms)
    return ["" if g.is_empty else str(t) for g, t in zip(geoms, texts, strict=True)]


def mean_lat(sites: Sequence[Site]) -> float:
    """The latitude of the local plane `cells` used for these sites."""
    return sum(s.lat for s in sites) / len(sites)
