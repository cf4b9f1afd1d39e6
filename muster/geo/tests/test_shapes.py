"""Approximate outlines from centroids (pure geometry, no database)."""

from __future__ import annotations

import json
import math

import shapely

from muster.geo import shapes


def _sites() -> list[shapes.Site]:
    return [
        shapes.Site("a", 21.00, 105.80, 10.0),
        shapes.Site("b", 21.02, 105.82, 40.0),
        shapes.Site("c", 21.00, 105.85, None),  # no area: the median is used
        shapes.Site("d", 21.00, 105.85, 5.0),  # same spot as c: still its own cell
    ]


def test_cells_are_disjoint_bounded_and_reflect_area() -> None:
    cells = shapes.cells(_sites())
    assert set(cells) == {"a", "b", "c", "d"}
    for geom in cells.values():
        assert geom.is_valid
        assert not geom.is_empty
    assert cells["a"].intersection(cells["b"]).area < 1e-6
    # A lone disc of 10 km² with the clip factor is at most DISC_FACTOR² times bigger.
    assert cells["a"].area <= 10.0 * shapes.DISC_FACTOR**2 * 1.01
    assert cells["b"].area > cells["a"].area


def test_geojson_is_valid_rounded_and_in_degrees() -> None:
    sites = _sites()
    cells = shapes.cells(sites)
    texts = shapes.to_geojson(list(cells.values()), shapes.mean_lat(sites))
    for text in texts:
        geometry = json.loads(text)
        assert geometry["type"] in {"Polygon", "MultiPolygon"}
        assert shapely.from_geojson(text).is_valid
        lon, lat = shapely.get_coordinates(shapely.from_geojson(text))[0]
        assert 105.7 < lon < 106.0
        assert 20.9 < lat < 21.1
        assert all(
            math.isclose(v, round(v, 4))
            for v in shapely.get_coordinates(shapely.from_geojson(text)).ravel()
        )


def test_union_outlines_all_children() -> None:
    cells = shapes.cells(_sites())
    outline = shapes.union(list(cells.values()))
    assert outline.area >= 0.9 * sum(g.area for g in cells.values())
