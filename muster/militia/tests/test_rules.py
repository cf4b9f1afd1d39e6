"""Militia rules, table-driven, each table citing its article of the Law on Militia and
Self-Defence Forces (DQTV): age window Art. 8(1), term Art. 8(2), grounds Art. 11, completion
Art. 13, removal on death Art. 12(2)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from muster.core.errors import FieldError
from muster.militia.rules import (
    GROUNDS,
    JoinFacts,
    age_limit,
    age_on,
    extension_problems,
    join_problems,
    last_day_of_age,
    leave_problems,
    term_ends_on,
    term_years,
)


def fields(problems: list[FieldError]) -> set[str]:
    return {p.field for p in problems}


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (date(2008, 4, 20), date(2026, 4, 20), 18),  # birthday on the date: reached
        (date(2008, 4, 20), date(2026, 4, 19), 17),
        (date(2008, 2, 29), date(2026, 2, 28), 17),  # 29 February: reached on 1 March
        (date(2008, 2, 29), date(2026, 3, 1), 18),
    ],
)
def test_age_on(birth, day, age):
    assert age_on(birth, day) == age


# DQTV Art. 8(1): men to the end of 45, women to the end of 40; volunteers 50 and 45.
@pytest.mark.parametrize(
    ("sex", "volunteer", "limit"),
    [("M", False, 45), ("M", True, 50), ("F", False, 40), ("F", True, 45)],
)
def test_age_limit_art_8_1(sex, volunteer, limit):
    assert age_limit(sex, volunteer=volunteer) == limit


@pytest.mark.parametrize(
    ("birth", "age", "last"),
    [
        (date(1980, 3, 10), 45, date(2026, 3, 9)),  # the day before the 46th birthday
        (date(1984, 1, 1), 40, date(2024, 12, 31)),
        (date(2000, 2, 29), 45, date(2046, 2, 28)),  # 2046 has no 29 February
    ],
)
def test_last_day_of_age(birth, age, last):
    assert last_day_of_age(birth, age) == last


def facts(sex: str = "M", birth: date = date(2000, 6, 1), **kw: Any) -> JoinFacts:
    return JoinFacts(
        sex=sex, birth_date=birth, died_on=kw.pop("died_on", None), **{"force_kind": "mobile", **kw}
    )


# DQTV Art. 8(1) (age), Art. 6 (forces), Art. 11(3) (volunteering despite a ground).
@pytest.mark.parametrize(
    ("case", "join_facts", "day", "refused"),
    [
        ("18th birthday on the date", facts(birth=date(2008, 4, 20)), date(2026, 4, 20), set()),
        ("day before the 18th birthday", facts(birth=date(2008, 4, 20)), date(2026, 4, 19), {"joined_on"}),
        ("man, last day of age 45", facts(birth=date(1980, 6, 1)), date(2026, 5, 31), set()),
        ("man, 46th birthday", facts(birth=date(1980, 6, 1)), date(2026, 6, 1), {"joined_on"}),
        ("man 46, volunteer", facts(birth=date(1980, 6, 1), volunteer=True), date(2026, 6, 1), set()),
        ("man, last day of age 50, volunteer", facts(birth=date(1975, 6, 1), volunteer=True), date(2026, 5, 31), set()),
        ("man, 51st birthday, volunteer", facts(birth=date(1975, 6, 1), volunteer=True), date(2026, 6, 1), {"joined_on"}),
        ("woman, last day of age 40", facts("F", date(1985, 6, 1)), date(2026, 5, 31), set()),
        ("woman, 41st birthday", facts("F", date(1985, 6, 1)), date(2026, 6, 1), {"joined_on"}),
        ("woman 41, volunteer", facts("F", date(1985, 6, 1), volunteer=True), date(2026, 6, 1), set()),
        ("woman, 46th birthday, volunteer", facts("F", date(1980, 6, 1), volunteer=True), date(2026, 6, 1), {"joined_on"}),
        ("died before", facts(died_on=date(2026, 1, 2)), date(2026, 4, 20), {"person"}),
        ("dies later", facts(died_on=date(2026, 9, 2)), date(2026, 4, 20), set()),
        ("specialised with specialty", facts(force_kind="specialised", specialty="signals"), date(2026, 4, 20), set()),
        ("specialised without", facts(force_kind="specialised"), date(2026, 4, 20), {"specialty"}),
        ("in-place with a specialty", facts(force_kind="in_place", specialty="medical"), date(2026, 4, 20), {"specialty"}),
        ("unknown force", facts(force_kind="navy"), date(2026, 4, 20), {"force_kind"}),
        ("ground allowing volunteers, not volunteering", facts(grounds=("MDEF_SPOUSE_ARMY",)), date(2026, 4, 20), {"volunteer"}),
        ("ground allowing volunteers, volunteering", facts(grounds=("MEX_MARTYR_FAMILY",), volunteer=True), date(2026, 4, 20), set()),
        ("ground barring volunteers", facts(grounds=("MDEF_HEALTH",), volunteer=True), date(2026, 4, 20), {"grounds"}),
        ("unknown ground", facts(grounds=("MDEF_NOPE",)), date(2026, 4, 20), {"grounds"}),
    ],
)  # fmt: skip
def test_join_problems(case, join_facts, day, refused):
    assert fields(join_problems(join_facts, day)) == refused, case


# DQTV Art. 8(2): 2 years in the standing militia, 4 elsewhere.
@pytest.mark.parametrize(
    ("kind", "years"),
    [("standing", 2), ("in_place", 4), ("mobile", 4), ("naval", 4), ("specialised", 4)],
)
def test_term_years_art_8_2(kind, years):
    assert term_years(kind) == years


@pytest.mark.parametrize(
    ("joined", "kind", "birth", "sex", "volunteer", "end"),
    [
        (date(2026, 5, 10), "mobile", date(2000, 1, 1), "M", False, date(2030, 5, 9)),
        (date(2026, 5, 10), "standing", date(2000, 1, 1), "M", False, date(2028, 5, 9)),
        (date(2024, 2, 29), "standing", date(2000, 1, 1), "M", False, date(2026, 2, 28)),
        # Art. 8(1) ends the term at the last day of age 45 (50 for a volunteer).
        (date(2026, 5, 10), "mobile", date(1983, 1, 15), "M", False, date(2029, 1, 14)),
        (date(2026, 5, 10), "mobile", date(1983, 1, 15), "M", True, date(2030, 5, 9)),
        (date(2026, 5, 10), "in_place", date(1988, 1, 15), "F", False, date(2029, 1, 14)),
    ],
)
def test_term_ends_on(joined, kind, birth, sex, volunteer, end):
    assert term_ends_on(joined, kind, birth_date=birth, sex=sex, volunteer=volunteer) == end


# DQTV Art. 8(2): extended by up to 2 years; naval militia and commanders to the age limit.
@pytest.mark.parametrize(
    ("kind", "until", "commander", "refused"),
    [
        ("mobile", date(2032, 5, 9), False, False),  # exactly 2 more years
        ("mobile", date(2032, 5, 10), False, True),
        ("standing", date(2030, 5, 9), False, False),
        ("standing", date(2030, 5, 10), False, True),
        ("naval", date(2034, 5, 9), False, False),
        ("mobile", date(2034, 5, 9), True, False),
        ("naval", date(2045, 12, 31), False, False),  # the last day of the duty age
        ("naval", date(2046, 1, 1), False, True),  # past it
        ("mobile", date(2030, 5, 9), False, True),  # not later than now
    ],
)
def test_extension_art_8_2(kind, until, commander, refused):
    current = term_ends_on(
        date(2026, 5, 10), kind, birth_date=date(2000, 1, 1), sex="M", volunteer=False
    )
    problems = extension_problems(
        joined_on=date(2026, 5, 10),
        force_kind=kind,
        until=until,
        current_end=current,
        age_end=last_day_of_age(date(2000, 1, 1), 45),
        commander=commander,
    )
    assert bool(problems) is refused


def leave(reason: str = "moved", left_on: date = date(2026, 6, 1), **kw: Any) -> set[str]:
    return fields(
        leave_problems(
            reason=reason,
            left_on=left_on,
            valid_from=kw.pop("valid_from", date(2025, 8, 15)),
            term_ends_on=kw.pop("term_ends_on", date(2029, 8, 14)),
            today=date(2026, 12, 1),
            **kw,
        )
    )


# Completion after the full term (Art. 13), grounds of Art. 11, death (Art. 12(2)).
@pytest.mark.parametrize(
    ("kwargs", "refused"),
    [
        ({"reason": "completed", "left_on": date(2026, 6, 1), "term_ends_on": date(2026, 6, 2)}, {"reason"}),
        ({"reason": "completed", "left_on": date(2026, 6, 2), "term_ends_on": date(2026, 6, 2)}, set()),
        ({"reason": "deferred", "ground_code": "MDEF_STUDENT_OR_ABROAD"}, set()),
        ({"reason": "deferred", "ground_code": "MEX_CIPHER"}, {"ground_code"}),
        ({"reason": "deferred"}, {"ground_code"}),
        ({"reason": "exempted", "ground_code": "MEX_CIPHER"}, set()),
        ({"reason": "moved", "ground_code": "MEX_CIPHER"}, {"ground_code"}),
        ({"reason": "died"}, {"reason"}),
        ({"reason": "died", "died_on": date(2026, 6, 1)}, set()),
        ({"reason": "moved", "left_on": date(2025, 8, 14)}, {"left_on"}),  # before it began
        ({"reason": "moved", "left_on": date(2025, 8, 15)}, set()),
        ({"reason": "moved", "left_on": date(2026, 12, 2)}, {"left_on"}),  # tomorrow
        ({"reason": "transferred"}, {"reason"}),  # the restructuring engine's, not staff's
    ],
)  # fmt: skip
def test_leave_problems(kwargs, refused):
    assert leave(**kwargs) == refused


def test_grounds_table_art_11():
    deferrals = {c for c, g in GROUNDS.items() if g.kind == "deferral"}
    assert all(c.startswith("MDEF_") for c in deferrals)
    assert all(c.startswith("MEX_") for c in set(GROUNDS) - deferrals)
    # Art. 11(3): health, pregnancy, study, reservists and cipher staff may not volunteer.
    barred = {c for c, g in GROUNDS.items() if not g.volunteer_allowed}
    assert barred == {
        "MDEF_PREGNANT_OR_CHILD_U36M",
        "MDEF_HEALTH",
        "MDEF_STUDENT_OR_ABROAD",
        "MEX_RESERVIST_ASSIGNED",
        "MEX_CIPHER",
    }
