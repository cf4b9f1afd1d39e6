"""Civil-defence rules, table-driven, each row citing its basis (civildefence.rules)."""

from __future__ import annotations

from datetime import date

import pytest

from muster.civildefence import rules


@pytest.mark.parametrize(
    ("level", "area", "issuer", "codes"),
    [
        # CD Law Art. 20 as amended by Law 98/2025; Decree 200/2025 Art. 14 (CD_LEVELS)
        (1, "commune", "commune_chairman", []),
        (1, "province", "commune_chairman", ["CD_LEVEL_AREA"]),
        (1, "commune", "province_chairman", ["CD_LEVEL_ISSUER"]),
        (2, "province", "province_chairman", []),
        (2, "commune", "commune_chairman", ["CD_LEVEL_AREA", "CD_LEVEL_ISSUER"]),
        (3, "province", "prime_minister", []),
        (3, "province", "province_chairman", ["CD_LEVEL_ISSUER"]),
        (4, "province", "prime_minister", ["CD_LEVEL_RANGE"]),
        (0, "commune", "commune_chairman", ["CD_LEVEL_RANGE"]),
    ],
)
def test_cd_level_declaration(level, area, issuer, codes):
    assert [p.code for p in rules.cd_level_problems(level, area, issuer)] == codes


@pytest.mark.parametrize(
    ("level", "kind", "ok"),
    [
        # Decision 18/2021/QĐ-TTg Art. 42: storms 3–5
        (2, "storm", False),
        (3, "storm", True),
        (5, "storm", True),
        # Art. 46: flash floods and landslides 1–3
        (3, "flash_flood", True),
        (4, "flash_flood", False),
        (4, "landslide", False),
        (1, "landslide", True),
        # Art. 4: never above 5
        (5, "flood", True),
        (6, "flood", False),
        (0, "flood", False),
    ],
)
def test_risk_level_ranges(level, kind, ok):
    assert (rules.risk_level_problems(level, kind) == []) is ok


@pytest.mark.parametrize(
    ("birth", "flag", "vulnerable"),
    [
        # CD Law Art. 2(4): children under 16 and people 60 or over, on 2026-09-07
        (date(2010, 9, 8), False, True),  # 15, turns 16 tomorrow
        (date(2010, 9, 7), False, False),  # 16 today
        (date(1966, 9, 7), False, True),  # 60 today
        (date(1966, 9, 8), False, False),  # 59
        (date(1990, 1, 1), True, True),  # flagged as needing help to move
        (date(1990, 1, 1), False, False),
    ],
)
def test_vulnerable(birth, flag, vulnerable):
    assert rules.is_vulnerable(birth, date(2026, 9, 7), flag) is vulnerable


@pytest.mark.parametrize(
    ("count", "share", "expected"),
    [(1000, 0.5, 500), (3, 0.5, 2), (1, 0.49, 0), (1000, 1.2, 1000), (0, 1.0, 0), (7, 0.0, 0)],
)
def test_in_zone_is_a_rounded_share(count, share, expected):
    assert rules.in_zone(count, share) == expected


@pytest.mark.parametrize(
    ("kind", "severity", "people", "vulnerable", "expected"),
    [
        # severity 1: warn only, nothing to do
        ("flood", 1, 1000, 300, {}),
        # severity 2: the vulnerable evacuated and carried; rescuers by the flood norm
        (
            "flood",
            2,
            1000,
            300,
            {"evacuate": 300, "transport": 300, "search_and_rescue": 10, "relief": 300},
        ),
        # severity 3+: everyone evacuated, the vulnerable carried
        (
            "flood",
            3,
            1000,
            300,
            {"evacuate": 1000, "transport": 300, "search_and_rescue": 10, "relief": 1000},
        ),
        (
            "flash_flood",
            3,
            168,
            40,
            {"evacuate": 168, "transport": 40, "search_and_rescue": 9, "relief": 168},
        ),
        ("flood", 4, 0, 0, {}),
    ],
)
def test_task_demands(kind, severity, people, vulnerable, expected):
    found = {d.kind: d.demand for d in rules.task_demands(kind, severity, people, vulnerable)}
    assert found == expected


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("vessel", "30 chỗ", ("transport", 120)),
        ("vehicle", "", ("transport", 80)),
        ("construction", "20 t", ("search_and_rescue", 5)),
        ("medical", "", ("relief", 100)),
        ("communications", "", None),
    ],
)
def test_reserve_means_read_through(kind, text, expected):
    assert rules.reserve_means_capacity(kind, text) == expected


@pytest.mark.parametrize(
    ("roles", "kept", "refused"),
    [
        ({"militia", "reservist"}, "militia", ["reservist"]),
        ({"rescue_means", "militia", "reservist"}, "rescue_means", ["militia", "reservist"]),
        ({"reservist"}, "reservist", []),
    ],
)
def test_one_role_per_window(roles, kept, refused):
    assert rules.keep_one_role(roles) == (kept, refused)


def test_straight_km_and_terrain_factor():
    # Lào Cai city to Phúc Khánh, roughly 60 km as the crow flies
    km = rules.straight_km(22.4856, 103.9707, 22.1, 104.35)
    assert 55 < km < 60
    assert rules.terrain_factor_problems(0.9)[0].code == "TERRAIN_FACTOR_RANGE"
    assert rules.terrain_factor_problems(1.4) == []


def test_plan_window():
    assert rules.plan_window(date(2026, 9, 7), date(2026, 9, 12), date(2026, 9, 1)) == (
        date(2026, 9, 7),
        date(2026, 9, 12),
    )
    assert rules.plan_window(date(2026, 9, 7), None, date(2026, 9, 8)) == (
        date(2026, 9, 8),
        date(2026, 9, 15),
    )


@pytest.mark.parametrize(
    ("key", "ok"),
    [
        ("YAGI-2024", True),
        ("a.b_c", True),
        ("-x", False),
        ("", False),
        ("x" * 61, False),
        ("lũ", False),
    ],
)
def test_key_format(key, ok):
    assert (rules.key_problems(key) == []) is ok
