"""Registration for militia duty and absences (DQTV Art. 9): the boundaries of MILITIA_REG_MONTH
and MILITIA_ABSENCE (domain-rules §0.1)."""

from datetime import date

import pytest

from muster.core.errors import FieldError
from muster.militia import rules

TODAY = date(2026, 12, 6)


def _codes(problems: list[FieldError]) -> list[str]:
    return [p.code for p in problems]


def test_registration_is_held_in_april():
    # MILITIA_REG_MONTH: April, from the military-service registration results (Art. 9(1)(a)).
    assert rules.REGISTRATION_MONTH == 4


@pytest.mark.parametrize(
    ("birth_date", "registered_on", "alive", "codes"),
    [
        # Turning 18 in the year of the registration: registered in April even before the birthday.
        (date(2008, 12, 31), date(2026, 4, 1), True, []),
        (date(2008, 1, 1), date(2026, 4, 1), True, []),
        # Turning 18 only next year: too young (Art. 8(1) ages, Art. 9(1)(a)).
        (date(2009, 1, 1), date(2026, 4, 1), True, ["MILITIA_REGISTRATION_AGE"]),
        # Older citizens who were never registered are registered too.
        (date(1990, 6, 15), date(2026, 4, 1), True, []),
        # Not the dead, and not on a day still to come.
        (date(2008, 5, 1), date(2026, 4, 1), False, ["MILITIA_PERSON_DIED"]),
        (date(2008, 5, 1), date(2026, 12, 7), True, ["DATE_IN_FUTURE"]),
        (date(2008, 5, 1), TODAY, True, []),
    ],
)
def test_registration_problems(birth_date, registered_on, alive, codes):
    problems = rules.registration_problems(
        birth_date=birth_date, alive=alive, registered_on=registered_on, today=TODAY
    )
    assert _codes(problems) == codes


@pytest.mark.parametrize(
    ("absent_from", "absent_until", "codes"),
    [
        # MILITIA_ABSENCE: 3 months or more must be reported (Art. 9(2)(b)).
        (date(2026, 1, 10), date(2026, 4, 9), []),  # exactly three months
        (date(2026, 1, 10), date(2026, 4, 8), ["MILITIA_ABSENCE_SHORT"]),  # a day short
        (date(2026, 1, 10), date(2026, 9, 30), []),
        # From 30 November: February has no 30th, so its last day is the anniversary.
        (date(2025, 11, 30), date(2026, 2, 27), []),
    ],
)
def test_absence_boundaries(absent_from, absent_until, codes):
    problems = rules.absence_problems(
        absent_from=absent_from,
        absent_until=absent_until,
        reported_on=absent_from,
        today=TODAY,
        on_roster=True,
    )
    assert _codes(problems) == codes


def test_absence_of_someone_off_the_roster_or_reported_in_the_future():
    problems = rules.absence_problems(
        absent_from=date(2026, 1, 1),
        absent_until=date(2026, 6, 1),
        reported_on=date(2026, 12, 7),
        today=TODAY,
        on_roster=False,
    )
    assert _codes(problems) == ["MILITIA_ABSENCE_NOT_MEMBER", "DATE_IN_FUTURE"]
