"""Set-based load of both editions, the 2025 successions and approximate outlines.

Idempotent: rows are matched on (edition, code), (predecessor, successor, effective_on) and
unit; only differing rows are written, so a second run writes nothing. One transaction.
"""

from __future__ import annotations

import functools
import time
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import transaction

from muster import audit
from muster.core.structure import structure_changed
from muster.core.text import fold
from muster.geo import rules, shapes
from muster.geo.models import AdminUnit, Edition, Level, Succession, UnitShape
from muster.geo.shape_cache import cached_shapes
from muster.geo.source import SourceData, UnitRecord, read_source

# Called as progress(step, done, total) after each step or batch.
Progress = Callable[[str, int, int], None]
UnitKey = tuple[str, str]

_LEVEL_ORDER = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
_UNIT_FIELDS = [
    "level", "name", "short_name", "unit_type", "parent_id", "lat", "lon", "area_km2",
    "area_is_estimate", "search_key", "valid_from", "valid_to",
]  # fmt: skip
_BATCH = 1000


@dataclass
class TableCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadResult:
    units: TableCounts = field(default_factory=TableCounts)
    successions: TableCounts = field(default_factory=TableCounts)
    shapes: TableCounts = field(default_factory=TableCounts)
    # Converter keys naming no legacy unit; empty for vietnamadminunits 1.0.4.
    unresolved_keys: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(t.created or t.updated for t in (self.units, self.successions, self.shapes))

    def summary(self) -> str:
        parts = [
            f"{name}: {t.created} created, {t.updated} updated, {t.unchanged} unchanged"
            for name, t in (
                ("units", self.units),
                ("successions", self.successions),
                ("shapes", self.shapes),
            )
        ]
        return "; ".join(parts) + f" in {self.seconds:.1f} s"


def _validity(edition: str) -> dict[str, Any]:
    if edition == Edition.LEGACY:
        return {"valid_from": None, "valid_to": rules.LEGACY_VALID_TO}
    return {"valid_from": rules.REFORM_EFFECTIVE_ON, "valid_to": None}


def _upsert_units(
    records: Sequence[UnitRecord], progress: Progress | None
) -> tuple[TableCounts, dict[UnitKey, AdminUnit]]:
    counts = TableCounts()
    existing = {(u.edition, u.code): u for u in AdminUnit.objects.all()}
    ordered = sorted(records, key=lambda r: _LEVEL_ORDER[Level(r.level)])
    done = 0
    # One level at a time, so each level's parents already have ids.
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        to_create: list[AdminUnit] = []
        to_update: list[AdminUnit] = []
        for r in (r for r in ordered if r.level == level):
            parent_id = existing[(r.edition, r.parent_code)].pk if r.parent_code else None
            values: dict[str, Any] = {
                "level": r.level, "name": r.name, "short_name": r.short_name,
                "unit_type": r.unit_type, "parent_id": parent_id, "lat": r.lat, "lon": r.lon,
                "area_km2": r.area_km2, "area_is_estimate": r.area_is_estimate,
                "search_key": fold(r.short_name), **_validity(r.edition),
            }  # fmt: skip
            unit = existing.get(r.key)
            if unit is None:
                unit = AdminUnit(edition=r.edition, code=r.code, **values)
                to_create.append(unit)
                existing[r.key] = unit
            elif any(getattr(unit, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(unit, name, value)
                to_update.append(unit)
            else:
                counts.unchanged += 1
        AdminUnit.objects.bulk_create(to_create, batch_size=_BATCH)
        AdminUnit.objects.bulk_update(to_update, _UNIT_FIELDS, batch_size=_BATCH)
        counts.created += len(to_create)
        counts.updated += len(to_update)
        done += sum(1 for r in records if r.level == level)
        if progress:
            progress("units", done, len(records))
    return counts, existing


def _upsert_successions(data: SourceData, units: dict[UnitKey, AdminUnit]) -> TableCounts:
    counts = TableCounts()
    effective_on = rules.REFORM_EFFECTIVE_ON
    existing = {
        (s.predecessor_id, s.successor_id): s
        for s in Succession.objects.filter(effective_on=effective_on)
    }
    to_create: list[Succession] = []
    to_update: list[Succession] = []
    for record in data.successions:
        pred, succ = units[record.predecessor].pk, units[record.successor].pk
        row = existing.get((pred, succ))
        if row is None:
            to_create.append(
                Succession(
                    predecessor_id=pred,
                    successor_id=succ,
                    effective_on=effective_on,
                    kind=record.kind,
                    is_default=record.is_default,
                )
            )
        elif row.kind != record.kind or row.is_default != record.is_default:
            row.kind, row.is_default = record.kind, record.is_default
            to_update.append(row)
        else:
            counts.unchanged += 1
    Succession.objects.bulk_create(to_create, batch_size=_BATCH)
    Succession.objects.bulk_update(to_update, ["kind", "is_default"], batch_size=_BATCH)
    counts.created, counts.updated = len(to_create), len(to_update)
    return counts


def compute_shapes(records: Sequence[UnitRecord]) -> dict[UnitKey, str]:
    """GeoJSON outline per unit key: commune cells per province, parents as their union.

    Legacy island districts without communes take part as sites of their own.
    """
    by_key = {r.key: r for r in records}
    has_children = {(r.edition, r.parent_code) for r in records if r.parent_code}
    sites_by_province: dict[UnitKey, list[shapes.Site]] = defaultdict(list)
    for r in records:
        is_site = r.level == Level.COMMUNE or (
            r.level == Level.DISTRICT and r.key not in has_children
        )
        if not is_site or r.lat is None or r.lon is None:
            continue
        province = r.key
        while by_key[province].parent_code is not None:
            province = (r.edition, by_key[province].parent_code or "")
        sites_by_province[province].append(shapes.Site(r.key, r.lat, r.lon, r.area_km2))
    out: dict[UnitKey, str] = {}
    for province, sites in sites_by_province.items():
        cells = shapes.cells(sites)
        parts: dict[Hashable, list[Any]] = defaultdict(list)
        for site in sites:
            key = site.key
            assert isinstance(key, tuple)
            parts[province].append(cells[key])
            parent = by_key[key].parent_code
            if by_key[key].level == Level.COMMUNE and parent and (key[0], parent) != province:
                parts[(key[0], parent)].append(cells[key])
        keys: list[Hashable] = list(cells)
        geoms = [cells[k] for k in keys]
        for parent_key, children in parts.items():
            if parent_key in cells:
                continue  # a wardless district: its own cell is its outline
            keys.append(parent_key)
            geoms.append(shapes.union(children))
        texts = shapes.to_geojson(geoms, shapes.mean_lat(sites))
        for key, text in zip(keys, texts, strict=True):
            if text:
                assert isinstance(key, tuple)
                out[(str(key[0]), str(key[1]))] = text
    return out


def _upsert_shapes(geojson: dict[UnitKey, str], units: dict[UnitKey, AdminUnit]) -> TableCounts:
    counts = TableCounts()
    existing = {s.unit_id: s for s in UnitShape.objects.all()}
    to_create: list[UnitShape] = []
    to_update: list[UnitShape] = []
    for key, text in geojson.items():
        unit_id = units[key].pk
        row = existing.get(unit_id)
        if row is None:
            to_create.append(
                UnitShape(unit_id=unit_id, geojson=text, is_approximate=True, method=shapes.METHOD)
            )
        elif (row.geojson, row.is_approximate, row.method) != (text, True, shapes.METHOD):
            row.geojson, row.is_approximate, row.method = text, True, shapes.METHOD
            to_update.append(row)
        else:
            counts.unchanged += 1
    UnitShape.objects.bulk_create(to_create, batch_size=_BATCH)
    UnitShape.objects.bulk_update(
        to_update, ["geojson", "is_approximate", "method"], batch_size=_BATCH
    )
    counts.created, counts.updated = len(to_create), len(to_update)
    return counts


@functools.cache
def _prepared() -> tuple[SourceData, dict[UnitKey, str]]:
    # The bundled data never changes while a process runs; reading it and drawing the
    # outlines is most of a load's CPU, so a second load in the same process reuses them.
    # The outlines are also kept in a file under var/ (see shape_cache), so a new database
    # does not redraw them.
    data = read_source()
    return data, cached_shapes(data.units, compute_shapes)


@transaction.atomic
def load_admin_units(*, acting_user: Any = None, progress: Progress | None = None) -> LoadResult:
    """Load or refresh both editions, successions and outlines from vietnamadminunits.

    Returns created/updated/unchanged counts per table. Writes one audit event
    "geo.units.loaded" when anything changed; a run that changes nothing writes nothing.
    """
    started = time.perf_counter()
    result = LoadResult()
    data, outlines = _prepared()
    result.unresolved_keys = data.unresolved_keys
    if progress:
        progress("read", 1, 1)
    result.units, units = _upsert_units(data.units, progress)
    result.successions = _upsert_successions(data, units)
    if progress:
        progress("successions", 1, 1)
    result.shapes = _upsert_shapes(outlines, units)
    if progress:
        progress("shapes", 1, 1)
    result.seconds = time.perf_counter() - started
    if result.changed:
        structure_changed()
        audit.record(
            "geo.units.loaded",
            actor=acting_user,
            target=("geo.adminunit", "*"),
            data={
                "units": asdict(result.units),
                "successions": asdict(result.successions),
                "shapes": asdict(result.shapes),
                "unresolved_keys": result.unresolved_keys,
            },
        )
    return result


@transaction.atomic
def elevation_load(*, name: str, data: bytes, acting_user: Any) -> int:
    """Import an elevation GeoTIFF (`geo.elevation.read_geotiff`) as the newest grid; returns
    its id. Older grids stay (the newest is used)."""
    from muster.geo.elevation import read_geotiff, to_bytes
    from muster.geo.models import Elevation

    grid = read_geotiff(data)
    rows, cols = grid.heights.shape
    row = Elevation.objects.create(
        name=name[:200],
        west=grid.west,
        south=grid.south,
        east=grid.east,
        north=grid.north,
        rows=rows,
        cols=cols,
        heights=to_bytes(grid),
    )
    audit.record(
        "geo.elevation.imported",
        actor=acting_user,
        target=row,
        data={"name": row.name, "bounds": list(grid.bounds), "rows": rows, "cols": cols},
    )
    return row.pk
