"""Pure rules: region table, names and codes, area defence command clustering (no database)."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
import vietnamadminunits

from muster.core.errors import InvalidInput
from muster.orgs import bulk, rules
from muster.orgs.rules import CommuneInput, District, RegionRow

DATASET = Path(vietnamadminunits.__file__).parent / "data" / "dataset.db"


def _provinces_2025() -> dict[str, str]:
    with sqlite3.connect(DATASET) as db:
        return dict(db.execute("SELECT DISTINCT provinceCode, provinceShort FROM admin_units"))


def test_region_csv_assigns_every_2025_province_exactly_once() -> None:
    rows = [r for r in bulk.read_region_rows() if r.edition == "2025"]
    provinces = _provinces_2025()
    assert len(provinces) == 34
    assert sorted(r.province_code for r in rows) == sorted(provinces)
    assert rules.check_region_rows(rows, provinces) == []
    regions = {r.region_code for r in rows}
    assert regions == {"QK1", "QK2", "QK3", "QK4", "QK5", "QK7", "QK9", "BTLTD"}
    hanoi = next(r for r in rows if r.province_code == "01")
    assert (hanoi.region_code, hanoi.region_name) == ("BTLTD", "Bộ Tư lệnh Thủ đô Hà Nội")


# domain-rules §9, the legacy table: the 63 provinces before 1 July 2025 and their regions.
LEGACY_REGIONS = {
    "BTLTD": {"01"},
    "QK1": {"04", "06", "19", "20", "24", "27"},
    "QK2": {"02", "08", "10", "11", "12", "14", "15", "25", "26"},
    "QK3": {"17", "22", "30", "31", "33", "34", "35", "36", "37"},
    "QK4": {"38", "40", "42", "44", "45", "46"},
    "QK5": {"48", "49", "51", "52", "54", "56", "58", "62", "64", "66", "67"},
    "QK7": {"60", "68", "70", "72", "74", "75", "77", "79", "80"},
    "QK9": {"82", "83", "84", "86", "87", "89", "91", "92", "93", "94", "95", "96"},
}


def test_region_csv_assigns_every_legacy_province_to_its_region() -> None:
    rows = [r for r in bulk.read_region_rows() if r.edition == "legacy"]
    assert len(rows) == 63
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row.region_code, set()).add(row.province_code)
    assert found == LEGACY_REGIONS
    names_2025 = {r.region_code: r.region_name for r in bulk.read_region_rows()}
    assert all(names_2025[r.region_code] == r.region_name for r in rows)


def test_an_unknown_edition_in_the_region_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    path.write_text(
        "edition,region_code,region_name,province_code,province_name\n"
        "1999,QK1,Quân khu 1,04,Cao Bằng\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as exc:
        bulk.read_region_rows(path)
    assert exc.value.errors[0].field == "regions.csv: line 2: edition"


def test_a_table_without_the_edition_column_is_all_2025(tmp_path: Path) -> None:
    path = tmp_path / "regions.csv"
    path.write_text(
        "region_code,region_name,province_code,province_name\nQK1,Quân khu 1,04,Cao Bằng\n",
        encoding="utf-8",
    )
    assert [r.edition for r in bulk.read_region_rows(path)] == ["2025"]


PROVINCES = {"01": "Hà Nội", "04": "Cao Bằng"}


def _row(line: int, region: str, code: str, name: str, region_name: str = "") -> RegionRow:
    return RegionRow(line, region, region_name or f"Quân khu {region}", code, name)


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([_row(2, "A", "01", "Hà Nội"), _row(3, "B", "04", "Cao Bằng")], []),
        (
            [_row(2, "A", "01", "Ha Noi"), _row(3, "B", "04", "CAO BẰNG")],
            [],  # diacritics and case do not matter
        ),
        (
            [_row(2, "A", "01", "Hà Nội")],
            [("province_code", "PROVINCE_WITHOUT_REGION", {"code": "04", "name": "Cao Bằng"})],
        ),
        (
            [
                _row(2, "A", "01", "Hà Nội"),
                _row(3, "B", "01", "Hà Nội"),
                _row(4, "B", "04", "Cao Bằng"),
            ],
            [("line 3: province_code", "PROVINCE_ASSIGNED_TWICE", {"code": "01", "line": 2})],
        ),
        (
            [
                _row(2, "A", "01", "Hà Nội"),
                _row(3, "B", "99", "Nowhere"),
                _row(4, "B", "04", "Cao Bằng"),
            ],
            [("line 3: province_code", "NOT_A_2025_PROVINCE", {"code": "99"})],
        ),
        (
            [_row(2, "A", "01", "Cao Bằng"), _row(3, "B", "04", "Cao Bằng")],
            [
                (
                    "line 2: province_name",
                    "PROVINCE_NAME_MISMATCH",
                    {"name": "Cao Bằng", "code": "01", "actual": "Hà Nội"},
                )
            ],
        ),
        (
            [_row(2, "A", "01", "Hà Nội"), _row(3, "A", "04", "Cao Bằng", "Other name")],
            [
                (
                    "line 3: region_name",
                    "REGION_NAME_DIFFERS",
                    {"name": "Other name", "known": "Quân khu A", "code": "A"},
                )
            ],
        ),
    ],
)
def test_check_region_rows(
    rows: list[RegionRow], expected: list[tuple[str, str, dict[str, object]]]
) -> None:
    errors = rules.check_region_rows(rows, PROVINCES)
    assert [(e.field, e.code, e.params) for e in errors] == expected


@pytest.mark.parametrize(
    ("func", "args", "expected"),
    [
        (rules.provincial_command_name, ("Tỉnh", "Thanh Hóa"), "Bộ Chỉ huy Quân sự tỉnh Thanh Hóa"),
        (
            rules.provincial_command_name,
            ("Thành phố", "Hải Phòng", "31"),
            "Bộ Chỉ huy Quân sự thành phố Hải Phòng",
        ),
        # domain-rules §9: the two cities' commands are not provincial military commands.
        (rules.provincial_command_name, ("Thành phố", "Hà Nội", "01"), "Bộ Tư lệnh Thủ đô Hà Nội"),
        (
            rules.provincial_command_name,
            ("Thành phố", "Hồ Chí Minh", "79"),
            "Bộ Tư lệnh Thành phố Hồ Chí Minh",
        ),
        (rules.commune_command_name, ("Phường", "Hồng Hà"), "Ban Chỉ huy Quân sự phường Hồng Hà"),
        (
            rules.commune_command_name,
            ("Đặc khu", "Phú Quốc"),
            "Ban Chỉ huy Quân sự đặc khu Phú Quốc",
        ),
        (rules.district_command_name, ("Huyện", "Sóc Sơn"), "Ban Chỉ huy Quân sự huyện Sóc Sơn"),
        (rules.area_defence_command_name, (1, "Sóc Sơn"), "Ban Chỉ huy PTKV 1 – Sóc Sơn"),
        (rules.provincial_command_code, ("38",), "BCHQS-38"),
        (rules.legacy_provincial_command_code, ("38",), "BCHQS-L-38"),
        # domain-rules §9: one command for each city, the same unit in both editions; Hà
        # Nội's is the Capital Command itself.
        (rules.provincial_command_code, ("01",), "BTLTD"),
        (rules.legacy_provincial_command_code, ("01",), "BTLTD"),
        (rules.provincial_command_code, ("79",), "BCHQS-79"),
        (rules.legacy_provincial_command_code, ("79",), "BCHQS-79"),
        (rules.is_city_command, ("BTLTD",), True),
        (rules.is_city_command, ("BCHQS-79",), True),
        (rules.is_city_command, ("BCHQS-38",), False),
        (rules.district_command_code, ("016",), "BCHQS-H-016"),
        (rules.area_defence_command_code, ("38", 2), "PTKV-38-2"),
        (rules.commune_command_code, ("00097",), "BCHQS-X-00097"),
    ],
)
def test_names_and_codes(func: object, args: tuple[object, ...], expected: str) -> None:
    assert callable(func)
    assert func(*args) == expected


def test_commune_command_positions() -> None:
    specs = rules.positions_for("commune_command")
    assert [s.kind for s in specs] == [
        "commander",
        "political_officer",
        "deputy_commander",
        "deputy_commander",
        "assistant",
        "assistant",
        "deputy_commissar",
    ]
    assert specs[0].title == "Chỉ huy trưởng"
    assert len({s.ordinal for s in specs}) == len(specs)
    assert rules.positions_for("unknown") == ()


@pytest.mark.parametrize(
    ("communes", "groups", "expected"),
    [
        (0, 0, 0),
        (5, 5, 1),
        (20, 10, 1),
        (38, 10, 2),  # Lai Châu, the smallest province
        (98, 20, 4),  # the average province
        (126, 30, 5),
        (166, 30, 5),  # Thanh Hóa: 5 PTKV reported
        (168, 30, 5),  # Hồ Chí Minh City: 5 of ~34 stays within 20-50
        (300, 40, 6),  # only beyond 250 communes does the 50 cap add commands
        (98, 3, 3),  # never more commands than former district groups
    ],
)
def test_area_defence_command_count(communes: int, groups: int, expected: int) -> None:
    assert rules.area_defence_command_count(communes, groups) == expected


def _grid_province(
    districts_x: int, districts_y: int, per_district: int, *, seed: int = 0
) -> list[CommuneInput]:
    """Districts on a grid 0.2° apart, communes jittered around each district centre."""
    rng = random.Random(seed)
    communes = []
    n = 0
    for dx in range(districts_x):
        for dy in range(districts_y):
            key = f"{dx}{dy:02d}"
            district = District(key, f"Huyện {key}")
            # District sizes vary so the naming rule (largest district) has something to decide.
            for _ in range(per_district + (dx + dy) % 3):
                communes.append(
                    CommuneInput(
                        id=n + 1,
                        code=f"{n:05d}",
                        name=f"Xã {n}",
                        lat=10 + dy * 0.2 + rng.uniform(-0.05, 0.05),
                        lon=105 + dx * 0.2 + rng.uniform(-0.05, 0.05),
                        district=district,
                    )
                )
                n += 1
    return communes


@pytest.mark.parametrize(
    ("nx", "ny", "per", "communes", "count"),
    [
        (4, 3, 2, 36, 1),  # small province: one command
        (5, 4, 1, 39, 2),  # like Lai Châu (38): two
        (4, 4, 3, 63, 3),
        (6, 5, 3, 120, 5),
        (8, 6, 3, 192, 5),
        (10, 8, 3, 319, 7),  # above 250 communes the 50 cap adds commands
    ],
)
def test_clusters_have_expected_count_and_sizes(
    nx: int, ny: int, per: int, communes: int, count: int
) -> None:
    inputs = _grid_province(nx, ny, per)
    assert len(inputs) == communes
    clusters = rules.cluster_area_defence_commands(inputs)
    assert len(clusters) == count
    sizes = [c.size for c in clusters]
    assert max(sizes) <= 50, sizes
    if count > 1:
        assert min(sizes) >= 15, sizes
        assert 19 <= communes / count <= 50  # 38 communes → two of 19, like Lai Châu
    # Every commune in exactly one cluster; a former district is never split.
    all_ids = [i for c in clusters for i in c.commune_ids]
    assert sorted(all_ids) == sorted(c.id for c in inputs)
    district_of = {c.id: c.district for c in inputs}
    for cluster in clusters:
        for other in clusters:
            if other is not cluster:
                assert not {district_of[i] for i in cluster.commune_ids} & {
                    district_of[i] for i in other.commune_ids
                }
    assert [c.number for c in clusters] == list(range(1, count + 1))


def _contiguous(cluster_keys: set[str]) -> bool:
    """Grid districts are contiguous when connected through 8-neighbours."""
    cells = {(int(k[0]), int(k[1:])) for k in cluster_keys}
    start = next(iter(cells))
    seen, todo = {start}, [start]
    while todo:
        x, y = todo.pop()
        for nx in (x - 1, x, x + 1):
            for ny in (y - 1, y, y + 1):
                if (nx, ny) in cells and (nx, ny) not in seen:
                    seen.add((nx, ny))
                    todo.append((nx, ny))
    return seen == cells


# Up to real province sizes (168 communes at most); beyond, the 50 cap can force a jump.
@pytest.mark.parametrize(("nx", "ny", "per"), [(4, 4, 3), (6, 5, 3), (8, 6, 3)])
def test_clusters_are_contiguous_on_a_grid(nx: int, ny: int, per: int) -> None:
    clusters = rules.cluster_area_defence_commands(_grid_province(nx, ny, per))
    for cluster in clusters:
        assert _contiguous({k[2:] for k in cluster.district_keys}), cluster.district_keys


def test_clustering_is_deterministic_whatever_the_input_order() -> None:
    communes = _grid_province(6, 5, 3)
    first = rules.cluster_area_defence_commands(communes, capital=(10.4, 105.6))
    shuffled = communes[:]
    random.Random(7).shuffle(shuffled)
    assert rules.cluster_area_defence_commands(shuffled, capital=(10.4, 105.6)) == first


def test_naming_and_numbering() -> None:
    big, small, far = District("001", "Sóc Sơn"), District("002", "Đông Anh"), District("003", "Xa")
    communes = [
        CommuneInput(i, f"{i:05d}", f"Xã {i}", 21.0, 105.0 + i * 0.001, big) for i in range(1, 25)
    ]
    communes += [
        CommuneInput(i, f"{i:05d}", f"Xã {i}", 21.0, 105.1 + i * 0.001, small)
        for i in range(25, 35)
    ]
    communes += [
        CommuneInput(i, f"{i:05d}", f"Xã {i}", 22.0, 106.0 + i * 0.001, far) for i in range(35, 55)
    ]
    clusters = rules.cluster_area_defence_commands(communes, capital=(22.0, 106.0))
    assert [(c.number, c.label, c.size) for c in clusters] == [
        (1, "PTKV 1 – Xa", 20),  # the capital's cluster comes first
        (2, "PTKV 2 – Sóc Sơn", 34),  # named after its largest former district
    ]
    without_capital = rules.cluster_area_defence_commands(communes)
    assert [c.label for c in without_capital] == ["PTKV 1 – Sóc Sơn", "PTKV 2 – Xa"]


def test_communes_without_district_or_coordinates_are_still_placed() -> None:
    district = District("001", "Sóc Sơn")
    communes = [
        CommuneInput(i, f"{i:05d}", f"Xã {i}", 21.0, 105.0 + i * 0.01, district) for i in range(30)
    ]
    communes.append(CommuneInput(100, "00100", "Lẻ", None, None, None))
    communes.append(CommuneInput(101, "00101", "Đảo", 20.0, 107.0, None))
    clusters = rules.cluster_area_defence_commands(communes)
    placed = sorted(i for c in clusters for i in c.commune_ids)
    assert placed == [*range(30), 100, 101]


def test_a_province_without_coordinates_still_gets_commands() -> None:
    communes = [
        CommuneInput(i, f"{i:05d}", f"Xã {i}", None, None, District(f"{i % 4:03d}", f"H{i % 4}"))
        for i in range(60)
    ]
    clusters = rules.cluster_area_defence_commands(communes)
    assert len(clusters) == 2
    assert sum(c.size for c in clusters) == 60


def test_clustering_rejects_duplicate_codes() -> None:
    commune = CommuneInput(1, "00001", "Xã", 21.0, 105.0, None)
    with pytest.raises(ValueError, match="duplicate commune codes"):
        rules.cluster_area_defence_commands([commune, commune])
    assert rules.cluster_area_defence_commands([]) == []


@pytest.mark.parametrize(
    ("designations", "limits", "allowed"),
    [
        # Decree 72/2020/NĐ-CP Art. 4: two in type-1, border, coastal and island communes.
        (set(), None, 1),
        ({"type_1"}, None, 2),
        ({"border"}, None, 2),
        ({"coastal", "island"}, None, 2),
        # Uncertain after Decrees 16/2025 and 220/2025 (domain-rules §3): configurable.
        (set(), {"other": 2}, 2),
        ({"island"}, {"designated": 3}, 3),
    ],
)
def test_deputy_commanders_allowed(designations, limits, allowed):
    assert rules.deputy_commanders_allowed(designations, limits=limits) == allowed


@pytest.mark.parametrize(
    ("allowed", "established"),
    [(1, {1, 2, 3, 5, 6, 7}), (2, {1, 2, 3, 4, 5, 6, 7}), (0, {1, 2, 5, 6, 7})],
)
def test_established_ordinals(allowed, established):
    pairs = [(s.kind, s.ordinal) for s in rules.positions_for("commune_command")]
    assert rules.established_ordinals(pairs, deputies_allowed=allowed) == established
