"""Reading the data bundled in the vietnamadminunits package (MIT) into plain records.

Only the package's data files are read; its Python modules are never imported (the
converter goes online). No ORM here: `bulk.py` turns these records into rows.
"""

from __future__ import annotations

import importlib.util
import json
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from muster.core.text import fold, nfc
from muster.geo import rules
from muster.geo.models import Edition, Level

PACKAGE = "vietnamadminunits"


class SourceError(Exception):
    """The bundled data is missing or does not hold together."""


@dataclass(frozen=True)
class UnitRecord:
    edition: str
    level: str
    code: str
    name: str
    short_name: str
    unit_type: str
    parent_code: str | None
    lat: float | None
    lon: float | None
    area_km2: float | None
    area_is_estimate: bool

    @property
    def key(self) -> tuple[str, str]:
        return (self.edition, self.code)


@dataclass(frozen=True)
class SuccessionRecord:
    predecessor: tuple[str, str]  # (edition, code)
    successor: tuple[str, str]
    kind: str
    is_default: bool


@dataclass
class SourceData:
    units: list[UnitRecord]  # parents before children
    successions: list[SuccessionRecord]
    # Converter keys that name no legacy unit (reported, never silently dropped).
    unresolved_keys: list[str] = field(default_factory=list)


def data_dir() -> Path:
    """The package's data folder, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SourceError(f"package {PACKAGE!r} is not installed")
    path = Path(next(iter(spec.submodule_search_locations))) / "data"
    if not (path / "dataset.db").is_file() or not (path / "converter_2025.json").is_file():
        raise SourceError(f"{path}: dataset.db or converter_2025.json is missing")
    return path


def _key(text: str) -> str:
    # Some converter keys keep diacritics ('xãcẩmgiàng'); fold them for a fallback match.
    return fold(text).replace(" ", "")


def _type_of(name: str, short: str) -> str:
    """'Thành phố Hà Nội', 'Hà Nội' → 'Thành phố'."""
    return name[: len(name) - len(short)].strip() if name.endswith(short) else ""


def _province_record(edition: str, row: dict[str, Any], *, area_is_estimate: bool) -> UnitRecord:
    """A province as both tables describe it (area filled in later from its communes)."""
    name, short = nfc(row["province"]), nfc(row["provinceShort"])
    return UnitRecord(
        edition,
        Level.PROVINCE,
        row["provinceCode"],
        name,
        short,
        _type_of(name, short),
        None,
        row["provinceLat"],
        row["provinceLon"],
        None,
        area_is_estimate,
    )


def _commune_record(
    edition: str, row: dict[str, Any], *, parent_code: str, area_km2: float | None
) -> UnitRecord:
    """A commune-level unit of either table; a missing area is an estimate to be made."""
    return UnitRecord(
        edition,
        Level.COMMUNE,
        row["wardCode"],
        nfc(row["ward"]),
        nfc(row["wardShort"]),
        nfc(row["wardType"]),
        parent_code,
        row["wardLat"],
        row["wardLon"],
        area_km2,
        edition == Edition.LEGACY,
    )


def _rows(db: sqlite3.Connection, table: str) -> list[dict[str, Any]]:
    db.row_factory = sqlite3.Row
    return [dict(row) for row in db.execute(f"SELECT * FROM {table} ORDER BY rowid")]


class _KeyIndex:
    """Exact key lookup first; the folded key only when it names exactly one unit.

    Folding alone would be wrong: 'phườngsapa' and 'phườngsapả' are two wards of Sa Pa.
    """

    def __init__(self) -> None:
        self.exact: dict[str, tuple[str, str]] = {}
        self.folded: dict[str, set[tuple[str, str]]] = defaultdict(set)

    def add(self, key: str, unit: tuple[str, str]) -> None:
        self.exact[key] = unit
        self.folded[_key(key)].add(unit)

    def get(self, key: str) -> tuple[str, str] | None:
        if key in self.exact:
            return self.exact[key]
        candidates = self.folded.get(_key(key), set())
        return next(iter(candidates)) if len(candidates) == 1 else None


def _legacy_units(rows: list[dict[str, Any]]) -> tuple[list[UnitRecord], _KeyIndex, _KeyIndex]:
    provinces: dict[str, UnitRecord] = {}
    districts: dict[str, UnitRecord] = {}
    wards: list[UnitRecord] = []
    ward_index = _KeyIndex()  # "prov_district_ward" (ward may be empty for island districts)
    province_index = _KeyIndex()
    edition = Edition.LEGACY
    for r in rows:
        pcode, dcode = r["provinceCode"], r["districtCode"]
        if pcode not in provinces:
            provinces[pcode] = _province_record(edition, r, area_is_estimate=True)
            province_index.add(r["provinceKey"], (edition, pcode))
        if dcode not in districts:
            districts[dcode] = UnitRecord(
                edition,
                Level.DISTRICT,
                dcode,
                nfc(r["district"]),
                nfc(r["districtShort"]),
                nfc(r["districtType"]),
                pcode,
                r["districtLat"],
                r["districtLon"],
                None,
                True,
            )
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        if not r["wardCode"]:
            # An island district with no commune level (Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa,
            # Lý Sơn, Côn Đảo): the converter names the district itself.
            ward_index.add(key, (edition, dcode))
            continue
        # Legacy areas are estimated later from the 2025 communes they became.
        wards.append(_commune_record(edition, r, parent_code=dcode, area_km2=None))
        ward_index.add(key, (edition, r["wardCode"]))
    units = [*provinces.values(), *districts.values(), *wards]
    return units, ward_index, province_index


def _units_2025(rows: list[dict[str, Any]]) -> tuple[list[UnitRecord], dict[str, _KeyIndex]]:
    provinces: dict[str, UnitRecord] = {}
    communes: list[UnitRecord] = []
    area_by_province: dict[str, float] = defaultdict(float)
    indexes: dict[str, _KeyIndex] = defaultdict(_KeyIndex)  # province key → ward key index
    edition = Edition.V2025
    for r in rows:
        pcode = r["provinceCode"]
        if pcode not in provinces:
            provinces[pcode] = _province_record(edition, r, area_is_estimate=False)
            indexes[""].add(r["provinceKey"], (edition, pcode))
        communes.append(_commune_record(edition, r, parent_code=pcode, area_km2=r["wardAreaKm2"]))
        area_by_province[pcode] += r["wardAreaKm2"] or 0.0
        indexes[r["provinceKey"]].add(r["wardKey"], (edition, r["wardCode"]))
    # A province's area is the sum of its communes' (the data has no province area).
    for pcode, record in provinces.items():
        provinces[pcode] = replace(record, area_km2=round(area_by_province[pcode], 2))
    return [*provinces.values(), *communes], indexes


def read_source(directory: Path | None = None) -> SourceData:
    """Both editions and the 2025 successions, checked for consistency."""
    directory = directory or data_dir()
    with sqlite3.connect(directory / "dataset.db") as db:
        legacy_rows = _rows(db, "admin_units_legacy")
        rows_2025 = _rows(db, "admin_units")
    converter = json.loads((directory / "converter_2025.json").read_text(encoding="utf-8"))
    legacy_units, ward_index, legacy_province_index = _legacy_units(legacy_rows)
    units_2025, new_indexes = _units_2025(rows_2025)

    # (predecessor, successor, is_default) links, in source order.
    links: list[tuple[tuple[str, str], tuple[str, str], bool | None]] = []
    unresolved: list[str] = []

    def new_unit(province_key: str, ward_key: str) -> tuple[str, str]:
        unit = new_indexes[province_key].get(ward_key) if province_key in new_indexes else None
        if unit is None:
            raise SourceError(f"converter names 2025 commune {province_key}/{ward_key}: unknown")
        return unit

    for province_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, legacy_keys in wards.items():
            successor = new_unit(province_key, ward_key)
            for legacy_key in legacy_keys:
                predecessor = ward_index.get(legacy_key)
                if predecessor is None:
                    unresolved.append(legacy_key)
                else:
                    links.append((predecessor, successor, None))
    for province_key, divided in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        for legacy_key, parts in divided.items():
            predecessor = ward_index.get(legacy_key)
            if predecessor is None:
                unresolved.append(legacy_key)
                continue
            defaults = [p for p in parts if p["isDefaultNewWard"]]
            if len(defaults) != 1:
                raise SourceError(f"split of {legacy_key}: {len(defaults)} defaults, expected 1")
            for part in parts:
                successor = new_unit(province_key, part["newWardKey"])
                links.append((predecessor, successor, bool(part["isDefaultNewWard"])))
    for province_key, legacy_keys in converter["DICT_PROVINCE"].items():
        successor = new_unit("", province_key)
        for legacy_key in legacy_keys:
            predecessor = legacy_province_index.get(legacy_key)
            if predecessor is None:
                unresolved.append(legacy_key)
            else:
                links.append((predecessor, successor, None))

    out_count = Counter(pred for pred, _succ, _d in links)
    in_count = Counter(succ for _pred, succ, _d in links)
    seen: set[tuple[tuple[str, str], tuple[str, str]]] = set()
    successions: list[SuccessionRecord] = []
    for pred, succ, default in links:
        if (pred, succ) in seen:
            continue
        seen.add((pred, succ))
        kind = rules.succession_kind(
            successors_of_predecessor=out_count[pred], predecessors_of_successor=in_count[succ]
        )
        successions.append(SuccessionRecord(pred, succ, kind, True if default is None else default))
    legacy_units = _with_estimated_areas(legacy_units, units_2025, successions)
    return SourceData([*legacy_units, *units_2025], successions, unresolved)


def _with_estimated_areas(
    legacy: list[UnitRecord], new: list[UnitRecord], successions: list[SuccessionRecord]
) -> list[UnitRecord]:
    """Legacy units with areas apportioned from their 2025 successors, summed upwards."""
    new_area = {u.key: u.area_km2 for u in new if u.level == Level.COMMUNE}
    area = rules.apportion_area(
        new_area, ((s.predecessor, s.successor) for s in successions if s.successor in new_area)
    )
    by_key = {u.key: u for u in legacy}
    # Children come after parents in `legacy`: walk backwards to add each area to its parent.
    totals: dict[tuple[str, str], float] = defaultdict(float, area)
    for unit in reversed(legacy):
        if unit.parent_code is not None and unit.key in totals:
            totals[(unit.edition, unit.parent_code)] += totals[unit.key]
    return [
        replace(u, area_km2=round(totals[u.key], 2)) if u.key in totals else by_key[u.key]
        for u in legacy
    ]
