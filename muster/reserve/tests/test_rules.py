"""Reserve rules, table-driven: category after discharge (MSL Art. 24), whole months of
service, age limit (Art. 25) and group (Art. 26)."""

from __future__ import annotations

from datetime import date

import pytest

from muster.reserve.rules import (
    ReserveEntry,
    months_between,
    reserve_age_limit,
    reserve_category_after_discharge,
    reserve_group,
)


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 3, 4), date(2026, 3, 4), 0),
        (date(2026, 3, 4), date(2026, 4, 3), 0),
        (date(2026, 3, 4), date(2026, 4, 4), 1),
        (date(2026, 3, 4), date(2026, 9, 3), 5),
        (date(2026, 3, 4), date(2026, 9, 4), 6),
        (date(2026, 3, 4), date(2028, 3, 4), 24),
        (date(2026, 1, 31), date(2026, 2, 28), 0),  # a short month does not complete January 31
        (date(2026, 1, 31), date(2026, 3, 31), 2),
        (date(2025, 11, 15), date(2026, 1, 15), 2),  # across a year
    ],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == months


@pytest.mark.parametrize(
    ("enlisted", "discharged", "combat", "entry"),
    [
        (date(2026, 3, 4), date(2028, 3, 4), False, ReserveEntry(1, "RES_CAT1_A")),
        (date(2026, 3, 4), date(2026, 9, 4), False, ReserveEntry(1, "RES_CAT1_A")),  # exactly 6
        (date(2026, 3, 4), date(2026, 9, 3), False, ReserveEntry(2, "RES_CAT2_A")),  # a day short
        (date(2026, 3, 4), date(2026, 5, 1), False, ReserveEntry(2, "RES_CAT2_A")),
        (date(2026, 3, 4), date(2026, 5, 1), True, ReserveEntry(1, "RES_CAT1_B")),  # Art. 24(1)(b)
    ],
)
def test_category_after_discharge(enlisted, discharged, combat, entry):
    assert (
        reserve_category_after_discharge(
            enlisted_on=enlisted, discharged_on=discharged, after_combat=combat
        )
        == entry
    )


@pytest.mark.parametrize(("sex", "limit"), [("M", 45), ("F", 40)])
def test_age_limit(sex, limit):
    assert reserve_age_limit(sex) == limit


@pytest.mark.parametrize(
    ("sex", "age", "group"),
    [
        ("M", 18, "A"),
        ("M", 35, "A"),
        ("M", 36, "B"),
        ("M", 45, "B"),
        ("F", 30, "A"),
        ("F", 31, "B"),
    ],
)
def test_group(sex, age, group):
    assert reserve_group(sex, age) == group
