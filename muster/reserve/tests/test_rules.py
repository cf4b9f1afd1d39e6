"""Reserve rules, table-driven: every basis of MSL Art. 24, the age limit (Art. 25) and its
last day, group A/B (Art. 26), category 2 → 1 (CAT2_TO_CAT1), the status on any day."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from muster.core.errors import FieldError
from muster.reserve import rules
from muster.reserve.rules import (
    EntryFacts,
    PeriodFacts,
    ReserveEntry,
    age_on,
    aged_out_on,
    category1_problems,
    category_on,
    entry_after_commune_police,
    entry_after_militia,
    entry_after_police,
    entry_for_basis,
    entry_problems,
    months_between,
    removal_due,
    report_due_on,
    reserve_age_limit,
    reserve_category_after_discharge,
    reserve_group,
    reserve_group_on,
    status_on,
)


def codes(problems: list[FieldError]) -> list[str]:
    return sorted(p.code for p in problems)


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


# MSL Art. 24(1)(a)-(b), 24(2)(a): discharge.
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


# MSL Art. 24(1)(c), 24(2)(c): People's Police; 12–19 months is in neither category (§0.8).
@pytest.mark.parametrize(
    ("months", "entry"),
    [
        (0, ReserveEntry(2, "RES_CAT2_C")),
        (11, ReserveEntry(2, "RES_CAT2_C")),
        (12, ReserveEntry(None, "RUNCAT_POLICE_12_20M")),
        (19, ReserveEntry(None, "RUNCAT_POLICE_12_20M")),
        (20, ReserveEntry(1, "RES_CAT1_C")),
        (36, ReserveEntry(1, "RES_CAT1_C")),
    ],
)
def test_entry_after_police(months, entry):
    assert entry_after_police(months) == entry


# MSL Art. 24(1)(e) as amended by DQTV Art. 49(1)(b): standing militia, core militia ≥ 3 months.
@pytest.mark.parametrize(
    ("standing", "months", "entry"),
    [
        (True, 0, ReserveEntry(1, "RES_CAT1_E")),
        (False, 3, ReserveEntry(1, "RES_CAT1_E")),
        (False, 2, None),
        (False, 0, None),
    ],
)
def test_entry_after_militia(standing, months, entry):
    assert entry_after_militia(standing_completed=standing, training_months=months) == entry


# MSL Art. 24(1)(h): commune police ≥ 36 months.
@pytest.mark.parametrize(
    ("months", "entry"),
    [(35, None), (36, ReserveEntry(1, "RES_CAT1_H")), (48, ReserveEntry(1, "RES_CAT1_H"))],
)
def test_entry_after_commune_police(months, entry):
    assert entry_after_commune_police(months) == entry


# Every point of MSL Art. 24 as a code, with the category it gives.
@pytest.mark.parametrize(
    ("code", "category"),
    [
        ("RES_CAT1_A", 1),
        ("RES_CAT1_B", 1),
        ("RES_CAT1_C", 1),
        ("RES_CAT1_D", 1),
        ("RES_CAT1_DD", 1),
        ("RES_CAT1_E", 1),
        ("RES_CAT1_G", 1),
        ("RES_CAT1_H", 1),
        ("RES_CAT2_A", 2),
        ("RES_CAT2_B", 2),
        ("RES_CAT2_C", 2),
        ("RES_CAT2_D", 2),
        ("RES_CAT2_DD", 2),
        ("RUNCAT_POLICE_12_20M", None),
    ],
)
def test_entry_for_basis(code, category):
    assert entry_for_basis(code) == ReserveEntry(category, code)


def test_every_basis_is_in_the_table():
    assert set(rules.BASES) == {
        "RES_CAT1_A", "RES_CAT1_B", "RES_CAT1_C", "RES_CAT1_D", "RES_CAT1_DD", "RES_CAT1_E",
        "RES_CAT1_G", "RES_CAT1_H", "RES_CAT2_A", "RES_CAT2_B", "RES_CAT2_C", "RES_CAT2_D",
        "RES_CAT2_DD",
    }  # fmt: skip
    assert entry_for_basis("RES_CAT1_F") is None  # Art. 24(1) has no point f


MAN = EntryFacts(
    sex="M", birth_date=date(1995, 6, 15), died_on=None, basis_code="RES_CAT1_A",
    entered_on=date(2026, 6, 15),
)  # fmt: skip
WOMAN = replace(MAN, sex="F", basis_code="RES_CAT2_DD")


# Who may enter on which basis (MSL Art. 24, 25, 30); the last day of an age on either side.
@pytest.mark.parametrize(
    ("facts", "problems"),
    [
        (MAN, []),
        *[(replace(MAN, basis_code=code), []) for code in rules.BASES if code != "RES_CAT2_DD"],
        (WOMAN, []),
        (replace(WOMAN, basis_code="RES_CAT1_A"), []),  # a woman discharged after service
        (replace(MAN, basis_code="RES_CAT2_DD"), ["RESERVE_BASIS_SEX"]),
        (replace(WOMAN, basis_code="RES_CAT2_D"), ["RESERVE_BASIS_SEX"]),
        (replace(MAN, basis_code="RUNCAT_POLICE_12_20M"), []),
        (replace(MAN, basis_code="RES_CAT3_A"), ["RESERVE_BASIS_UNKNOWN"]),
        # Art. 24(2)(d): past call-up age is after the end of 25 (27 for a deferred student).
        (
            replace(MAN, basis_code="RES_CAT2_D", birth_date=date(2000, 6, 16)),
            ["RESERVE_NOT_PAST_CALLUP_AGE"],
        ),
        (replace(MAN, basis_code="RES_CAT2_D", birth_date=date(2000, 6, 15)), []),
        (
            replace(MAN, basis_code="RES_CAT2_D", birth_date=date(2000, 6, 15), callup_last_age=27),
            ["RESERVE_NOT_PAST_CALLUP_AGE"],
        ),
        # RESERVE_AGE_LIMIT: men to the end of 45, women 40 (Art. 25).
        (replace(MAN, birth_date=date(1980, 6, 16)), []),  # last day of age 45
        (replace(MAN, birth_date=date(1980, 6, 15)), ["RESERVE_AGE_LIMIT"]),  # 46 today
        (replace(WOMAN, birth_date=date(1985, 6, 16)), []),
        (replace(WOMAN, birth_date=date(1985, 6, 15)), ["RESERVE_AGE_LIMIT"]),
        (replace(MAN, birth_date=date(2008, 6, 15)), []),  # 18 today
        (replace(MAN, birth_date=date(2008, 6, 16)), ["RESERVE_AGE"]),
        # One person, several obligations: active service, already a reservist.
        (replace(MAN, in_active_service=True), ["RESERVE_IN_ACTIVE_SERVICE"]),
        (replace(MAN, open_membership_since=date(2020, 1, 1)), ["RESERVE_ALREADY_MEMBER"]),
        (replace(MAN, died_on=date(2026, 6, 15)), ["RESERVE_PERSON_DIED"]),
        (replace(MAN, died_on=date(2026, 6, 16)), []),
        # Rank and specialty from the code tables.
        (replace(MAN, rank="TRUNG_SI", specialty="DRIVER"), []),
        (replace(MAN, rank="GENERAL"), ["RESERVE_RANK_UNKNOWN"]),
        (replace(MAN, rank="DAI_UY"), ["RESERVE_RANK_LADDER"]),
        (replace(MAN, specialty="PILOT"), ["RESERVE_SPECIALTY_UNKNOWN"]),
        # Officers are recorded apart with their own basis, never an Art. 24 point.
        (replace(MAN, kind=rules.OFFICER, basis_code=rules.OFFICER_BASIS, rank="DAI_UY"), []),
        (replace(MAN, kind=rules.OFFICER, basis_code="RES_CAT1_A"), ["RESERVE_OFFICER_BASIS"]),
        (
            replace(
                MAN, kind=rules.OFFICER, basis_code=rules.OFFICER_BASIS, birth_date=date(1970, 1, 1)
            ),
            [],
        ),
        (replace(MAN, kind="general"), ["NOT_ONE_OF"]),
    ],
)
def test_entry_problems(facts, problems):
    assert codes(entry_problems(facts)) == problems


@pytest.mark.parametrize(("sex", "limit"), [("M", 45), ("F", 40)])
def test_age_limit(sex, limit):
    assert reserve_age_limit(sex) == limit


# RESERVE_AGE_LIMIT: out on the birthday after the end of age 45 / 40; 29 February → 1 March.
@pytest.mark.parametrize(
    ("sex", "born", "out_on"),
    [
        ("M", date(1980, 6, 15), date(2026, 6, 15)),
        ("F", date(1980, 6, 15), date(2021, 6, 15)),
        ("M", date(1980, 2, 29), date(2026, 3, 1)),
        ("F", date(1984, 2, 29), date(2025, 3, 1)),
    ],
)
def test_aged_out_on(sex, born, out_on):
    assert aged_out_on(sex, born) == out_on
    assert age_on(born, out_on) == reserve_age_limit(sex) + 1


# RESERVE_GROUP (MSL Art. 26).
@pytest.mark.parametrize(
    ("sex", "age", "group"),
    [
        ("M", 18, "A"),
        ("M", 35, "A"),
        ("M", 36, "B"),
        ("M", 45, "B"),
        ("F", 30, "A"),
        ("F", 31, "B"),
        ("F", 40, "B"),
    ],
)
def test_group(sex, age, group):
    assert reserve_group(sex, age) == group


@pytest.mark.parametrize(
    ("sex", "day", "group"),
    [
        ("M", date(2026, 6, 14), "A"),  # last day of 35
        ("M", date(2026, 6, 15), "B"),  # 36th birthday
        ("F", date(2021, 6, 14), "A"),  # last day of 30
        ("F", date(2021, 6, 15), "B"),
    ],
)
def test_group_on(sex, day, group):
    assert reserve_group_on(sex, date(1990, 6, 15), day) == group


# CAT2_TO_CAT1 (Decree 14/2016 Art. 14–15; MSL Art. 24(1)(g)): 6 months; to 35 men / 30 women.
@pytest.mark.parametrize(
    ("sex", "born", "category", "kind", "start", "end", "problems"),
    [
        ("M", date(1995, 1, 1), 2, rules.SOLDIER, date(2026, 1, 5), date(2026, 7, 4), []),
        (
            "M",
            date(1995, 1, 1),
            2,
            rules.SOLDIER,
            date(2026, 1, 5),
            date(2026, 7, 3),
            ["RESERVE_TRAINING_TOO_SHORT"],
        ),
        (
            "M",
            date(1995, 1, 1),
            1,
            rules.SOLDIER,
            date(2026, 1, 5),
            date(2026, 7, 4),
            ["RESERVE_NOT_CATEGORY_2"],
        ),
        (
            "M",
            date(1995, 1, 1),
            None,
            rules.SOLDIER,
            date(2026, 1, 5),
            date(2026, 7, 4),
            ["RESERVE_NOT_CATEGORY_2"],
        ),
        (
            "M",
            date(1995, 1, 1),
            None,
            rules.OFFICER,
            date(2026, 1, 5),
            date(2026, 7, 4),
            ["RESERVE_NOT_CATEGORY_2"],
        ),
        (
            "M",
            date(1990, 1, 5),
            2,
            rules.SOLDIER,
            date(2026, 1, 4),
            date(2026, 7, 3),
            [],
        ),  # last day of 35
        (
            "M",
            date(1990, 1, 5),
            2,
            rules.SOLDIER,
            date(2026, 1, 5),
            date(2026, 7, 4),
            ["RESERVE_TRAINING_AGE"],
        ),
        (
            "F",
            date(1995, 1, 5),
            2,
            rules.SOLDIER,
            date(2026, 1, 4),
            date(2026, 7, 3),
            [],
        ),  # last day of 30
        (
            "F",
            date(1995, 1, 5),
            2,
            rules.SOLDIER,
            date(2026, 1, 5),
            date(2026, 7, 4),
            ["RESERVE_TRAINING_AGE"],
        ),
        (
            "M",
            date(1995, 1, 1),
            2,
            rules.SOLDIER,
            date(2026, 7, 5),
            date(2026, 7, 4),
            ["RESERVE_TRAINING_ENDS_BEFORE_START"],
        ),
    ],
)
def test_category1_problems(sex, born, category, kind, start, end, problems):
    found = category1_problems(
        sex=sex, birth_date=born, category=category, kind=kind, training_from=start, training_to=end
    )
    assert codes(found) == problems


PERIOD = PeriodFacts(
    kind=rules.SOLDIER, sex="M", birth_date=date(1980, 6, 15), valid_from=date(2020, 1, 1),
    valid_to=None, category=2,
)  # fmt: skip


@pytest.mark.parametrize(
    ("period", "day", "category"),
    [
        (PERIOD, date(2026, 1, 1), 2),
        (replace(PERIOD, category1_on=date(2025, 7, 4)), date(2025, 7, 3), 2),
        (replace(PERIOD, category1_on=date(2025, 7, 4)), date(2025, 7, 4), 1),
        (replace(PERIOD, category=None), date(2025, 7, 4), None),
    ],
)
def test_category_on(period, day, category):
    assert category_on(period, day) == category


# Status on a day: in the reserve, out on his own at the age limit or unfit, or left.
@pytest.mark.parametrize(
    ("period", "day", "status"),
    [
        (PERIOD, date(2019, 12, 31), None),  # before entry
        (PERIOD, date(2020, 1, 1), "in_reserve"),
        (PERIOD, date(2026, 6, 14), "in_reserve"),  # last day of age 45
        (PERIOD, date(2026, 6, 15), "aged_out"),  # on his own, no decision yet
        (replace(PERIOD, sex="F"), date(2021, 6, 14), "in_reserve"),  # last day of age 40
        (replace(PERIOD, sex="F"), date(2021, 6, 15), "aged_out"),
        (replace(PERIOD, unfit_on=date(2023, 3, 1)), date(2023, 2, 28), "in_reserve"),
        (replace(PERIOD, unfit_on=date(2023, 3, 1)), date(2023, 3, 1), "aged_out"),
        # removal recorded: still out at the age limit, not "left"
        (replace(PERIOD, valid_to=date(2026, 6, 14)), date(2026, 7, 1), "aged_out"),
        # left before the age limit (died, enlisted): left
        (replace(PERIOD, valid_to=date(2024, 5, 1)), date(2024, 5, 1), "in_reserve"),
        (replace(PERIOD, valid_to=date(2024, 5, 1)), date(2024, 5, 2), "left"),
        (replace(PERIOD, valid_to=date(2024, 5, 1)), date(2027, 1, 1), "left"),
        (replace(PERIOD, died_on=date(2024, 5, 1)), date(2024, 5, 1), "left"),
        # officers: recorded, never aged out by the soldiers' rule
        (replace(PERIOD, kind=rules.OFFICER, category=None), date(2030, 1, 1), "in_reserve"),
    ],
)
def test_status_on(period, day, status):
    assert status_on(period, day) == status


@pytest.mark.parametrize(
    ("period", "day", "due"),
    [
        (PERIOD, date(2026, 6, 14), None),
        (PERIOD, date(2026, 6, 15), date(2026, 6, 15)),
        (replace(PERIOD, unfit_on=date(2023, 3, 1)), date(2024, 1, 1), date(2023, 3, 1)),
        (replace(PERIOD, valid_to=date(2026, 6, 14)), date(2026, 7, 1), None),  # decided
        (replace(PERIOD, kind=rules.OFFICER, category=None), date(2040, 1, 1), None),
    ],
)
def test_removal_due(period, day, due):
    assert removal_due(period, day) == due


# RESERVE_REG_AFTER_DISCHARGE: 15 working days (MSL Art. 45).
@pytest.mark.parametrize(
    ("discharged", "due"),
    [
        (date(2026, 12, 4), date(2026, 12, 25)),  # a Friday: three weeks later
        (date(2026, 12, 5), date(2026, 12, 25)),  # a Saturday counts from Monday
        (date(2026, 12, 7), date(2026, 12, 28)),
    ],
)
def test_report_due_on(discharged, due):
    assert report_due_on(discharged) == due


# MSL Art. 27(1): a readiness check lasts at most 7 days.
@pytest.mark.parametrize(
    ("kind", "start", "end", "problems"),
    [
        ("readiness_check", date(2026, 5, 4), date(2026, 5, 10), []),  # 7 days
        ("readiness_check", date(2026, 5, 4), date(2026, 5, 11), ["RESERVE_READINESS_CHECK_DAYS"]),
        ("training", date(2026, 5, 4), date(2026, 11, 3), []),
        ("unit_activity", date(2026, 5, 4), date(2026, 5, 4), []),
        ("training", date(2026, 5, 4), date(2026, 5, 3), ["RESERVE_ACTIVITY_ENDS_BEFORE_START"]),
        ("parade", date(2026, 5, 4), date(2026, 5, 4), ["NOT_ONE_OF"]),
    ],
)
def test_activity_problems(kind, start, end, problems):
    assert codes(rules.activity_problems(kind=kind, starts_on=start, ends_on=end)) == problems


CALLED = rules.AttendanceFacts(
    kind="training", activity_days=30, status="attended", excuse_code="",
    status_in_reserve="in_reserve", category=1, trained_days_before=0,
)  # fmt: skip


# LLDBĐV Art. 22 (excuses by code), MSL Art. 27(1) (category 1: 12 months of training at most).
@pytest.mark.parametrize(
    ("facts", "problems"),
    [
        (CALLED, []),
        (replace(CALLED, trained_days_before=335), []),  # exactly 365
        (replace(CALLED, trained_days_before=336), ["RESERVE_TRAINING_TOTAL"]),
        (replace(CALLED, trained_days_before=336, category=2), []),  # category 2: no cap here
        (replace(CALLED, trained_days_before=336, kind="readiness_check"), []),
        (replace(CALLED, trained_days_before=336, status="absent"), []),
        (replace(CALLED, status="excused", excuse_code="RDEF_EXAM_CONFLICT"), []),
        (replace(CALLED, status="excused", excuse_code="RDEF_ILLNESS_OR_HARDSHIP"), []),
        (replace(CALLED, status="excused"), ["RESERVE_EXCUSE_UNKNOWN"]),
        (replace(CALLED, status="excused", excuse_code="BUSY"), ["RESERVE_EXCUSE_UNKNOWN"]),
        (replace(CALLED, excuse_code="RDEF_EXAM_CONFLICT"), ["RESERVE_EXCUSE_UNEXPECTED"]),
        (replace(CALLED, status_in_reserve="aged_out"), ["RESERVE_NOT_IN_RESERVE"]),
        (replace(CALLED, status_in_reserve=None), ["RESERVE_NOT_IN_RESERVE"]),
        (replace(CALLED, status="late"), ["NOT_ONE_OF"]),
    ],
)
def test_attendance_problems(facts, problems):
    assert codes(rules.attendance_problems(facts)) == problems
