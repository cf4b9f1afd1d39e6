"""Table-driven tests of the worklist rules; each row names the rule it checks."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from muster.worklists import rules
from muster.worklists.rules import CallUpFacts, Kind

# REG_FIRST_AGE_MALE (MSL Art. 12(1)) with REG_FIRST_LIST_MONTH (Art. 16(1) as amended by L98):
# the January list holds the men who turn 17 during the year and the men of service age (to
# the end of 45, Art. 25) who never registered; REG_FEMALE (Art. 12(2)): women only with a
# listed profession, never generated; the dead are not registered.
DUE_CASES = [
    ("M", date(2009, 1, 1), "alive", 2026, False, True, "born 1 Jan of year-17"),
    ("M", date(2009, 12, 31), "alive", 2026, False, True, "born 31 Dec: turns 17 in year"),
    ("M", date(2009, 6, 1), "alive", 2026, True, False, "turns 17 but registered early"),
    ("M", date(2008, 12, 31), "alive", 2026, False, True, "18, never registered"),
    ("M", date(2008, 12, 31), "alive", 2026, True, False, "18, registered at 17"),
    ("M", date(1981, 1, 1), "alive", 2026, False, True, "45 this year, never registered"),
    ("M", date(1980, 12, 31), "alive", 2026, False, False, "46 this year: past service age"),
    ("M", date(2010, 1, 1), "alive", 2026, False, False, "turns 17 next year"),
    ("M", date(2009, 6, 15), "dead", 2026, False, False, "dead"),
    ("F", date(2009, 6, 15), "alive", 2026, False, False, "women: only listed professions"),
    ("F", date(1990, 6, 15), "alive", 2026, False, False, "women never listed (Art. 12(2))"),
    ("M", date(2008, 2, 29), "alive", 2025, False, True, "leap-day birth"),
]


@pytest.mark.parametrize(("sex", "born", "status", "year", "registered", "due", "why"), DUE_CASES)
def test_due_for_first_registration(sex, born, status, year, registered, due, why):
    assert (
        rules.due_for_first_registration(sex, born, status, year, registered=registered) is due
    ), why


def test_list_window_runs_from_45_to_17_this_year():
    assert rules.first_registration_list_window(2026) == (date(1981, 1, 1), date(2009, 12, 31))


# RESERVE_AGE_LIMIT (MSL Art. 25): on the register to the end of 45 (men), 40 (women).
OLDEST_CASES = [
    ("M", date(2026, 12, 6), date(1980, 12, 7), "46th birthday tomorrow: still 45"),
    ("F", date(2026, 12, 6), date(1985, 12, 7), "women to the end of 40"),
    ("M", date(2028, 2, 29), date(1982, 3, 1), "leap day"),
    ("X", date(2026, 12, 6), None, "unknown sex"),
]


@pytest.mark.parametrize(("sex", "day", "oldest", "why"), OLDEST_CASES)
def test_register_oldest_birth_date(sex, day, oldest, why):
    assert rules.register_oldest_birth_date(sex, day) == oldest, why


@pytest.mark.parametrize(
    ("due_on", "overdue", "why"),
    [
        (date(2026, 12, 5), True, "yesterday"),
        (date(2026, 12, 6), False, "today is still in time"),
        (None, False, "no deadline"),
    ],
)
def test_is_overdue(due_on, overdue, why):
    assert rules.is_overdue(due_on, date(2026, 12, 6)) is overdue, why


def test_birth_window_is_the_whole_year_seventeen_years_before():
    assert rules.first_registration_birth_window(2026) == (date(2009, 1, 1), date(2009, 12, 31))


# MSL Art. 12 (17 men / 18 women) to Art. 25 (end of 45 men / end of 40 women).
REGISTER_AGE_CASES = [
    ("M", date(2009, 3, 1), 2026, True, "17"),
    ("M", date(2010, 3, 1), 2026, False, "16"),
    ("M", date(1981, 3, 1), 2026, True, "45"),
    ("M", date(1980, 3, 1), 2026, False, "46"),
    ("F", date(2009, 3, 1), 2026, False, "17: women from 18"),
    ("F", date(2008, 3, 1), 2026, True, "18"),
    ("F", date(1986, 3, 1), 2026, True, "40"),
    ("F", date(1985, 3, 1), 2026, False, "41"),
    ("X", date(2000, 3, 1), 2026, False, "unknown sex"),
]


@pytest.mark.parametrize(("sex", "born", "year", "on", "why"), REGISTER_AGE_CASES)
def test_on_military_register(sex, born, year, on, why):
    assert rules.on_military_register(sex, born, year) is on, why


# REG_CHANGE_RESIDENCE_DAYS (MSL Art. 17(2)(a)): 10 working days, Monday–Friday.
TRANSFER_CASES = [
    (date(2026, 3, 2), date(2026, 3, 16), "Monday → Monday two weeks on"),
    (date(2026, 3, 6), date(2026, 3, 20), "Friday → Friday two weeks on"),
    (date(2026, 3, 7), date(2026, 3, 20), "Saturday: counting starts Monday"),
    (date(2026, 3, 8), date(2026, 3, 20), "Sunday: counting starts Monday"),
]


@pytest.mark.parametrize(("moved", "due", "why"), TRANSFER_CASES)
def test_transfer_due_on(moved, due, why):
    assert rules.transfer_due_on(moved) == due, why


def test_removal_report_due_in_five_days():
    # REG_REMOVE_REPORT_DAYS (MSL Art. 19 as amended by L98 Art. 4(7)).
    assert rules.removal_report_due_on(date(2026, 2, 26)) == date(2026, 3, 3)


def test_list_due_end_of_january():
    # REG_FIRST_LIST_MONTH (MSL Art. 16(1) as amended by L98 Art. 4(5)).
    assert rules.first_registration_list_due_on(2026) == date(2026, 1, 31)


def test_every_kind_has_a_reason_with_a_citation():
    for kind in Kind.ALL:
        with translation.override("en"):
            assert "Art." in str(rules.reason(kind).basis)
        with translation.override("vi"):
            assert "Điều" in str(rules.reason(kind).basis)  # the article in the reader's language
        assert str(rules.reason(kind).text)


def _facts(
    sex: str = "M", born: date = date(2009, 5, 1), name: str = "Lê Văn An", status: str = "alive"
) -> CallUpFacts:
    return CallUpFacts(full_name=name, sex=sex, birth_date=born, life_status=status)


# (before, after, changed, due_before, due_after, needs_review, why) for year 2026.
CORRECTION_CASES = [
    (_facts(), _facts(born=date(2010, 1, 1)), ("birth_date",), True, False, True, "out of cohort"),
    (_facts(born=date(2010, 1, 1)), _facts(), ("birth_date",), False, True, True, "into cohort"),
    (_facts(), _facts(sex="F"), ("sex",), True, False, True, "sex corrected to F"),
    (_facts(), _facts(name="Lê Văn Ân"), ("full_name",), True, True, True, "name, stays due"),
    (
        _facts(born=date(1990, 1, 1)),
        _facts(born=date(1990, 2, 1)),
        ("birth_date",),
        True,
        True,
        True,
        "service age, never registered: review, stays due",
    ),
    (
        _facts(born=date(1950, 1, 1)),
        _facts(born=date(1951, 1, 1)),
        ("birth_date",),
        False,
        False,
        False,
        "far beyond register ages: nothing to do",
    ),
    (_facts(), _facts(), (), True, True, False, "nothing changed"),
]


@pytest.mark.parametrize(
    ("before", "after", "changed", "due_before", "due_after", "review", "why"), CORRECTION_CASES
)
def test_correction_effect(before, after, changed, due_before, due_after, review, why):
    effect = rules.correction_effect(before, after, 2026)
    assert effect.changed == changed, why
    assert (effect.due_before, effect.due_after, effect.needs_review) == (
        due_before,
        due_after,
        review,
    ), why
    assert effect.becomes_due is (due_after and not due_before)
    assert effect.stops_being_due is (due_before and not due_after)
