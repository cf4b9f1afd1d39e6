"""Table-driven tests of the worklist rules; each row names the rule it checks."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from muster.worklists import rules
from muster.worklists.rules import CallUpFacts, Kind

# REG_FIRST_AGE_MALE (MSL Art. 12(1)) with REG_FIRST_LIST_MONTH (Art. 16(1) as amended by L98):
# men who turn 17 during the year are listed in its January; REG_FEMALE (Art. 12(2)): women
# only with a listed profession, never generated; the dead are not registered.
DUE_CASES = [
    ("M", date(2009, 1, 1), "alive", 2026, True, "born 1 Jan of year-17"),
    ("M", date(2009, 12, 31), "alive", 2026, True, "born 31 Dec of year-17: turns 17 in year"),
    ("M", date(2008, 12, 31), "alive", 2026, False, "turned 17 the year before"),
    ("M", date(2010, 1, 1), "alive", 2026, False, "turns 17 next year"),
    ("M", date(2009, 6, 15), "dead", 2026, False, "dead"),
    ("F", date(2009, 6, 15), "alive", 2026, False, "women: only listed professions (Art. 12(2))"),
    ("F", date(2008, 6, 15), "alive", 2026, False, "women turning 18: not generated either"),
    ("M", date(2008, 2, 29), "alive", 2025, True, "leap-day birth"),
]


@pytest.mark.parametrize(("sex", "born", "status", "year", "due", "why"), DUE_CASES)
def test_due_for_first_registration(sex, born, status, year, due, why):
    assert rules.due_for_first_registration(sex, born, status, year) is due, why


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
    (_facts(born=date(2008, 12, 31)), _facts(), ("birth_date",), False, True, True, "into cohort"),
    (_facts(), _facts(sex="F"), ("sex",), True, False, True, "sex corrected to F"),
    (_facts(), _facts(name="Lê Văn Ân"), ("full_name",), True, True, True, "name, stays due"),
    (
        _facts(born=date(1990, 1, 1)),
        _facts(born=date(1990, 2, 1)),
        ("birth_date",),
        False,
        False,
        True,
        "reservist age: review, not due",
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
