"""The outlines' cache file: reused for the same inputs, redrawn when anything differs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from muster.geo import shape_cache
from muster.geo.source import UnitRecord

Outlines = dict[tuple[str, str], str]


def _record(code: str, lat: float) -> UnitRecord:
    return UnitRecord(
        edition="2025", level="commune", code=code, name=f"Xã {code}", short_name=code,
        unit_type="xã", parent_code="01", lat=lat, lon=105.0, area_km2=12.5,
        area_is_estimate=False,
    )  # fmt: skip


class Drawer:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, records: Sequence[UnitRecord]) -> Outlines:
        self.calls += 1
        return {r.key: f'{{"type": "Polygon", "lat": {r.lat}}}' for r in records}


RECORDS = [_record("00001", 21.0), _record("00002", 21.5)]


def test_second_call_reads_the_file(tmp_path: Path) -> None:
    draw = Drawer()
    first = shape_cache.cached_shapes(RECORDS, draw, tmp_path)
    second = shape_cache.cached_shapes(RECORDS, draw, tmp_path)
    assert draw.calls == 1
    assert second == first == draw(RECORDS)
    assert len(list(tmp_path.glob(f"{shape_cache.PREFIX}*.json"))) == 1


def test_a_moved_centroid_redraws_and_replaces_the_file(tmp_path: Path) -> None:
    draw = Drawer()
    shape_cache.cached_shapes(RECORDS, draw, tmp_path)
    moved = [RECORDS[0], replace(RECORDS[1], lat=22.0)]
    outlines = shape_cache.cached_shapes(moved, draw, tmp_path)
    assert draw.calls == 2
    assert outlines[("2025", "00002")] == '{"type": "Polygon", "lat": 22.0}'
    assert len(list(tmp_path.glob(f"{shape_cache.PREFIX}*.json"))) == 1


@pytest.mark.parametrize("content", ["", "{not json", '{"key": "other", "outlines": []}', "[]"])
def test_a_damaged_or_foreign_file_is_redrawn(tmp_path: Path, content: str) -> None:
    draw = Drawer()
    key = shape_cache.digest(RECORDS, draw)
    (tmp_path / f"{shape_cache.PREFIX}{key}.json").write_text(content, encoding="utf-8")
    outlines = shape_cache.cached_shapes(RECORDS, draw, tmp_path)
    assert draw.calls == 1
    assert outlines == draw(RECORDS)
    assert shape_cache.cached_shapes(RECORDS, draw, tmp_path) == outlines
    assert draw.calls == 2  # the two direct calls above; the file now serves


def test_the_key_follows_the_drawing_code(tmp_path: Path) -> None:
    def other(records: Sequence[UnitRecord]) -> Outlines:
        return {}

    assert shape_cache.digest(RECORDS, Drawer.__call__) != shape_cache.digest(RECORDS, other)


def test_an_unwritable_directory_still_draws(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    draw = Drawer()
    assert shape_cache.cached_shapes(RECORDS, draw, blocker / "cache") == draw(RECORDS)
