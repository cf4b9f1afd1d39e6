from __future__ import annotations

from datetime import date

import pytest

from muster.readiness import rules


@pytest.mark.parametrize(
    ("as_of", "first", "last"),
    [
        (date(2026, 3, 15), date(1998, 3, 16), date(2008, 3, 15)),
        (date(2028, 2, 29), date(2000, 3, 1), date(2010, 2, 28)),
    ],
)
def test_military_age_birth_window(as_of: date, first: date, last: date) -> None:
    assert rules.military_age_birth_window(as_of) == (first, last)


@pytest.mark.parametrize(
    ("people", "area", "expected"),
    [(100, 10.0, 10.0), (5, None, None), (5, 0.0, None), (0, 2.0, 0.0)],
)
def test_density(people: int, area: float | None, expected: float | None) -> None:
    assert rules.density(people, area) == expected
