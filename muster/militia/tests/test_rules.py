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
    RELEASE_CODES,
    REMOVAL_CODES,
    CommuneFlags,
    JoinFacts,
    UnitFacts,
    age_limit,
    age_on,
    commune_force_problems,
    decision_problems,
    duty_decision_problems,
    extension_problems,
    join_day_problems,
    join_problems,
    last_day_of_age,
    leave_problems,
    member_unit_problems,
    term_ends_on,
    term_years,
    transfer_problems,
    unit_problems,
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


def codes(problems: list[FieldError]) -> set[str]:
    return {p.code for p in problems}


# DQTV Art. 8(1) (MILITIA_AGE) on the join day, with the code each refusal names.
@pytest.mark.parametrize(
    ("case", "join_facts", "day", "refused"),
    [
        ("18th birthday", facts(birth=date(2008, 4, 20)), date(2026, 4, 20), set()),
        ("day before the 18th birthday", facts(birth=date(2008, 4, 20)), date(2026, 4, 19), {"MILITIA_AGE"}),
        ("born 29 Feb, 28 Feb of the 18th year", facts(birth=date(2008, 2, 29)), date(2026, 2, 28), {"MILITIA_AGE"}),
        ("born 29 Feb, 1 March of the 18th year", facts(birth=date(2008, 2, 29)), date(2026, 3, 1), set()),
        ("man, last day of 45", facts(birth=date(1980, 6, 1)), date(2026, 5, 31), set()),
        ("man, 46th birthday", facts(birth=date(1980, 6, 1)), date(2026, 6, 1), {"MILITIA_AGE_LIMIT"}),
        ("man volunteer, last day of 50", facts(birth=date(1975, 6, 1), volunteer=True), date(2026, 5, 31), set()),
        ("man volunteer, 51st birthday", facts(birth=date(1975, 6, 1), volunteer=True), date(2026, 6, 1), {"MILITIA_AGE_VOLUNTEER_LIMIT"}),
        ("woman, last day of 40", facts("F", date(1985, 6, 1)), date(2026, 5, 31), set()),
        ("woman, 41st birthday", facts("F", date(1985, 6, 1)), date(2026, 6, 1), {"MILITIA_AGE_LIMIT"}),
        ("woman volunteer, last day of 45", facts("F", date(1980, 6, 1), volunteer=True), date(2026, 5, 31), set()),
        ("woman volunteer, 46th birthday", facts("F", date(1980, 6, 1), volunteer=True), date(2026, 6, 1), {"MILITIA_AGE_VOLUNTEER_LIMIT"}),
        ("died on the join day", facts(died_on=date(2026, 4, 20)), date(2026, 4, 20), {"MILITIA_PERSON_DIED"}),
        ("dies the day after", facts(died_on=date(2026, 4, 21)), date(2026, 4, 20), set()),
        # Art. 10: a serving soldier is not selected; Art. 10(1)(c), 11(2): nor an assigned reservist.
        ("in active service", facts(in_active_service=True), date(2026, 4, 20), {"MILITIA_IN_ACTIVE_SERVICE"}),
        ("reservist assigned to a unit", facts(reserve_unit="DBDV-1"), date(2026, 4, 20), {"MEX_RESERVIST_ASSIGNED"}),
        ("reservist assigned, volunteering", facts(reserve_unit="DBDV-1", volunteer=True), date(2026, 4, 20), {"MEX_RESERVIST_ASSIGNED"}),
        ("specialty outside the specialised force", facts(force_kind="mobile", specialty="signals"), date(2026, 4, 20), {"MILITIA_SPECIALTY_UNEXPECTED"}),
        ("specialised without a specialty", facts(force_kind="specialised"), date(2026, 4, 20), {"MILITIA_SPECIALTY_REQUIRED"}),
        ("specialised, unknown specialty", facts(force_kind="specialised", specialty="cavalry"), date(2026, 4, 20), {"MILITIA_SPECIALTY_REQUIRED"}),
    ],
)  # fmt: skip
def test_join_codes_art_8_10(case, join_facts, day, refused):
    assert codes(join_problems(join_facts, day)) == refused, case


# DQTV Art. 11(1)-(3), domain-rules §0.9: every ground, with and without volunteering.
@pytest.mark.parametrize("ground", sorted(GROUNDS))
@pytest.mark.parametrize("volunteer", [False, True])
def test_every_ground_of_art_11(ground, volunteer):
    found = codes(join_problems(facts(grounds=(ground,), volunteer=volunteer), date(2026, 4, 20)))
    if not GROUNDS[ground].volunteer_allowed:
        assert found == {"MILITIA_GROUND_BARS"}
    elif volunteer:
        assert found == set()
    else:
        assert found == {"MILITIA_GROUND_VOLUNTEER_ONLY"}


# Art. 11(3) as domain-rules §0.9 lists it: which grounds still let a person volunteer.
@pytest.mark.parametrize(
    ("ground", "kind", "volunteer_allowed"),
    [
        ("MDEF_PREGNANT_OR_CHILD_U36M", "deferral", False),
        ("MDEF_HEALTH", "deferral", False),
        ("MDEF_SPOUSE_ARMY", "deferral", True),
        ("MDEF_SPOUSE_POLICE", "deferral", True),
        ("MDEF_SPOUSE_HARDSHIP_POSTING", "deferral", True),
        ("MDEF_SOLE_LABOUR_POOR_HH", "deferral", True),
        ("MDEF_CARER", "deferral", True),
        ("MDEF_FAMILY_DISASTER", "deferral", True),
        ("MDEF_FAMILY_OF_DISABLED_61_80", "deferral", True),
        ("MDEF_STUDENT_OR_ABROAD", "deferral", False),
        ("MEX_MARTYR_FAMILY", "exemption", True),
        ("MEX_FAMILY_OF_DISABLED_81", "exemption", True),
        ("MEX_RESERVIST_ASSIGNED", "exemption", False),
        ("MEX_CARER", "exemption", True),
        ("MEX_CIPHER", "exemption", False),
    ],
)
def test_grounds_table_matches_section_0_9(ground, kind, volunteer_allowed):
    assert (GROUNDS[ground].kind, GROUNDS[ground].volunteer_allowed) == (kind, volunteer_allowed)
    assert len(GROUNDS) == 15


# MILITIA_TERM, Art. 8(2) capped by Art. 8(1): the term's last day at every boundary.
@pytest.mark.parametrize(
    ("case", "joined", "kind", "birth", "sex", "volunteer", "end"),
    [
        ("4 years, the day before the anniversary", date(2026, 5, 10), "in_place", date(2000, 1, 1), "M", False, date(2030, 5, 9)),
        ("standing 2 years", date(2026, 5, 10), "standing", date(2000, 1, 1), "M", False, date(2028, 5, 9)),
        ("naval 4 years", date(2026, 5, 10), "naval", date(2000, 1, 1), "M", False, date(2030, 5, 9)),
        ("joined 29 Feb, 4 years", date(2028, 2, 29), "mobile", date(2000, 1, 1), "M", False, date(2032, 2, 28)),
        ("joined 29 Feb, 2 years", date(2028, 2, 29), "standing", date(2000, 1, 1), "M", False, date(2030, 2, 28)),
        ("age end one day before the term end", date(2026, 5, 10), "mobile", date(1984, 5, 9), "M", False, date(2030, 5, 8)),
        ("age end on the term end", date(2026, 5, 10), "mobile", date(1984, 5, 10), "M", False, date(2030, 5, 9)),
        ("age end one day after the term end", date(2026, 5, 10), "mobile", date(1984, 5, 11), "M", False, date(2030, 5, 9)),
        ("standing capped at the end of 45", date(2026, 5, 10), "standing", date(1981, 1, 15), "M", False, date(2027, 1, 14)),
        ("woman capped at the end of 40", date(2026, 5, 10), "in_place", date(1989, 1, 15), "F", False, date(2030, 1, 14)),
        ("woman volunteer capped at the end of 45", date(2026, 5, 10), "in_place", date(1984, 1, 15), "F", True, date(2030, 1, 14)),
        ("man volunteer capped at the end of 50", date(2026, 5, 10), "mobile", date(1979, 1, 15), "M", True, date(2030, 1, 14)),
    ],
)  # fmt: skip
def test_term_boundaries_art_8_2(case, joined, kind, birth, sex, volunteer, end):
    assert term_ends_on(joined, kind, birth_date=birth, sex=sex, volunteer=volunteer) == end, case


# MILITIA_TERM extension, Art. 8(2): at most 2 years; naval, self-defence and commanders to the
# age limit; nobody past the last day of the duty age (Art. 8(1)).
@pytest.mark.parametrize(
    ("case", "kind", "until", "who", "refused"),
    [
        ("2 years exactly", "in_place", date(2032, 5, 9), "", set()),
        ("2 years and a day", "in_place", date(2032, 5, 10), "", {"MILITIA_TERM"}),
        ("standing, 2 years exactly", "standing", date(2030, 5, 9), "", set()),
        ("standing, a day more", "standing", date(2030, 5, 10), "", {"MILITIA_TERM"}),
        ("naval to the age end", "naval", date(2045, 12, 31), "", set()),
        ("naval past the age end", "naval", date(2046, 1, 1), "", {"MILITIA_AGE_END"}),
        ("self-defence to the age end", "in_place", date(2045, 12, 31), "self_defence", set()),
        ("self-defence past it", "in_place", date(2046, 1, 1), "self_defence", {"MILITIA_AGE_END"}),
        ("commander to the age end", "mobile", date(2045, 12, 31), "commander", set()),
        ("commander past it", "mobile", date(2046, 1, 1), "commander", {"MILITIA_AGE_END"}),
        ("not later than the current end", "mobile", date(2030, 5, 9), "", {"MILITIA_TERM_ALREADY_RUNS"}),
        ("a day later than the current end", "mobile", date(2030, 5, 10), "", set()),
    ],
)  # fmt: skip
def test_extension_codes_art_8_2(case, kind, until, who, refused):
    current = term_ends_on(
        date(2026, 5, 10), kind, birth_date=date(2000, 1, 1), sex="M", volunteer=False
    )
    problems = extension_problems(
        joined_on=date(2026, 5, 10),
        force_kind=kind,
        until=until,
        current_end=current,
        age_end=last_day_of_age(date(2000, 1, 1), 45),
        commander=who == "commander",
        self_defence=who == "self_defence",
    )
    assert codes(problems) == refused, case


# Early release (Art. 12(1), MREL_*) and removal (Art. 12(2), MREM_*) name their own codes.
@pytest.mark.parametrize("code", RELEASE_CODES)
def test_release_codes_art_12_1(code):
    assert leave("released", ground_code=code) == set()
    assert leave("removed", ground_code=code) == {"ground_code"}


@pytest.mark.parametrize("code", REMOVAL_CODES)
def test_removal_codes_art_12_2(code):
    assert leave("removed", ground_code=code) == set()
    assert leave("released", ground_code=code) == {"ground_code"}


@pytest.mark.parametrize(
    ("reason", "ground", "code"),
    [
        ("released", "", "MILITIA_RELEASE_CODE_NEEDED"),
        ("released", "MDEF_HEALTH", "MILITIA_RELEASE_CODE_NEEDED"),
        ("removed", "", "MILITIA_REMOVAL_CODE_NEEDED"),
        ("removed", "MREL_UNFIT", "MILITIA_REMOVAL_CODE_NEEDED"),
        ("deferred", "MREL_UNFIT", "MILITIA_DEFERRAL_GROUND_NEEDED"),
        ("exempted", "MDEF_HEALTH", "MILITIA_EXEMPTION_GROUND_NEEDED"),
        ("completed", "MREL_UNFIT", "MILITIA_GROUND_UNEXPECTED"),
    ],
)
def test_leave_codes_name_the_rule(reason, ground, code):
    problems = leave_problems(
        reason=reason,
        left_on=date(2030, 1, 1),
        valid_from=date(2025, 8, 15),
        term_ends_on=date(2029, 8, 14),
        today=date(2030, 1, 1),
        ground_code=ground,
    )
    assert codes(problems) == {code}


# Art. 8 (MILITIA_TERM) and Art. 13: a leave is not before the join day, nor in the future.
@pytest.mark.parametrize(
    ("left_on", "refused"),
    [
        (date(2025, 8, 14), {"MILITIA_LEFT_BEFORE_JOINED"}),
        (date(2025, 8, 15), set()),
        (date(2026, 12, 1), set()),
        (date(2026, 12, 2), {"DATE_IN_FUTURE"}),
    ],
)
def test_leave_day_boundaries(left_on, refused):
    problems = leave_problems(
        reason="moved",
        left_on=left_on,
        valid_from=date(2025, 8, 15),
        term_ends_on=date(2029, 8, 14),
        today=date(2026, 12, 1),
    )
    assert codes(problems) == refused


# Art. 10(3), 11(4), 12, 13 (domain-rules §0.10): a numbered, dated decision and who took it.
@pytest.mark.parametrize(
    ("number", "decided_on", "by", "refused"),
    [
        ("12/QĐ-UBND", date(2026, 12, 1), "Chủ tịch UBND xã", set()),
        ("12/QĐ-UBND", date(2026, 12, 2), "Chủ tịch UBND xã", {("decided_on", "DATE_IN_FUTURE")}),
        ("", date(2026, 5, 1), "Chủ tịch UBND xã", {("decision_number", "REQUIRED")}),
        ("12/QĐ-UBND", date(2026, 5, 1), " ", {("decided_by", "REQUIRED")}),
        ("x" * 41, date(2026, 5, 1), "Chủ tịch", {("decision_number", "TOO_LONG")}),
    ],
)
def test_decision_problems(number, decided_on, by, refused):
    problems = decision_problems(
        number=number, decided_on=decided_on, decided_by=by, today=date(2026, 12, 1)
    )
    assert {(p.field, p.code) for p in problems} == refused


# Art. 10: a member is recorded once serving, so the join day is not in the future.
@pytest.mark.parametrize(
    ("joined_on", "refused"),
    [(date(2026, 12, 1), set()), (date(2026, 12, 2), {"DATE_IN_FUTURE"})],
)
def test_join_day_not_in_the_future(joined_on, refused):
    assert codes(join_day_problems(joined_on, today=date(2026, 12, 1))) == refused


NOTHING = CommuneFlags()
COAST, ISLAND = CommuneFlags(coastal=True), CommuneFlags(island=True)
KEY, BORDER = CommuneFlags(key_defence=True), CommuneFlags(border=True)


# Art. 15 as amended by L98 Art. 10(7): naval militia in coastal and island communes, standing
# militia in key defence communes, the other forces anywhere.
@pytest.mark.parametrize(
    ("force", "flags", "refused"),
    [
        ("naval", COAST, set()),
        ("naval", ISLAND, set()),
        ("naval", NOTHING, {"MILITIA_NAVAL_NOT_COASTAL"}),
        ("naval", KEY, {"MILITIA_NAVAL_NOT_COASTAL"}),
        ("standing", KEY, set()),
        ("standing", BORDER, {"MILITIA_STANDING_NOT_KEY"}),
        ("standing", COAST, {"MILITIA_STANDING_NOT_KEY"}),
        ("in_place", NOTHING, set()),
        ("mobile", NOTHING, set()),
        ("specialised", NOTHING, set()),
    ],
)
def test_commune_forces_art_15(force, flags, refused):
    assert codes(commune_force_problems(force, flags)) == refused


def unit(**kw: Any) -> UnitFacts:
    return UnitFacts(
        **{"command_kind": "commune_command", "echelon": "platoon", "force_kind": "mobile", **kw}
    )


# Art. 15 as amended: the units a commune (or a province) forms.
@pytest.mark.parametrize(
    ("case", "facts_", "refused"),
    [
        ("village team", unit(echelon="team", force_kind="in_place", village="Thôn 1"), set()),
        ("village squad", unit(echelon="squad", force_kind="in_place", village="Thôn 1"), set()),
        ("village platoon", unit(echelon="platoon", force_kind="in_place", village="Thôn 1"), set()),
        ("in-place without a village", unit(echelon="team", force_kind="in_place"), {"MILITIA_UNIT_VILLAGE_REQUIRED"}),
        ("mobile platoon", unit(), set()),
        ("mobile team", unit(echelon="team"), {"MILITIA_UNIT_ECHELON"}),
        ("naval squad on the coast", unit(echelon="squad", force_kind="naval", flags=COAST), set()),
        ("naval platoon on an island", unit(force_kind="naval", flags=ISLAND), set()),
        ("naval platoon inland", unit(force_kind="naval"), {"MILITIA_NAVAL_NOT_COASTAL"}),
        ("naval team", unit(echelon="team", force_kind="naval", flags=COAST), {"MILITIA_UNIT_ECHELON"}),
        ("standing squad, key commune", unit(echelon="squad", force_kind="standing", flags=KEY), set()),
        ("standing platoon, other commune", unit(force_kind="standing"), {"MILITIA_STANDING_NOT_KEY"}),
        ("signals team", unit(echelon="team", force_kind="specialised", specialty="signals"), set()),
        ("signals platoon", unit(force_kind="specialised", specialty="signals"), {"MILITIA_UNIT_ECHELON"}),
        ("air-defence platoon (2025)", unit(force_kind="specialised", specialty="air_defence"), set()),
        ("artillery platoon (2025)", unit(force_kind="specialised", specialty="artillery"), set()),
        ("specialised without specialty", unit(echelon="team", force_kind="specialised"), {"MILITIA_SPECIALTY_REQUIRED"}),
        ("company in a commune", unit(echelon="company"), {"MILITIA_UNIT_ECHELON"}),
        ("province air-defence company", unit(command_kind="provincial_command", echelon="company", force_kind="specialised", specialty="air_defence"), set()),
        ("province mobile company", unit(command_kind="provincial_command", echelon="company"), {"MILITIA_UNIT_PROVINCE_COMPANY"}),
        ("province artillery platoon", unit(command_kind="provincial_command", force_kind="specialised", specialty="artillery"), {"MILITIA_UNIT_PROVINCE_COMPANY"}),
        ("under an area command", unit(command_kind="area_defence_command"), {"MILITIA_UNIT_COMMAND_KIND"}),
        ("unknown echelon", unit(echelon="brigade"), {"NOT_ONE_OF"}),
    ],
)  # fmt: skip
def test_units_art_15(case, facts_, refused):
    assert codes(unit_problems(facts_)) == refused, case


# Art. 15: a member's unit is one of the roster's command, of the member's force, not disbanded.
@pytest.mark.parametrize(
    ("kw", "refused"),
    [
        ({}, set()),
        ({"unit_command_id": 2}, {"MILITIA_UNIT_ELSEWHERE"}),
        ({"unit_force_kind": "in_place"}, {"MILITIA_UNIT_FORCE"}),
        ({"unit_open": False}, {"MILITIA_UNIT_CLOSED"}),
    ],
)
def test_member_unit(kw, refused):
    args = {
        "command_id": 1,
        "force_kind": "mobile",
        "specialty": "",
        "unit_command_id": 1,
        "unit_force_kind": "mobile",
        "unit_specialty": "",
        "unit_open": True,
        **kw,
    }
    assert codes(member_unit_problems(**args)) == refused


@pytest.mark.parametrize(
    ("on", "same", "refused"),
    [
        (date(2025, 8, 15), False, {"MILITIA_TRANSFER_BEFORE_PERIOD"}),  # the period's first day
        (date(2025, 8, 16), False, set()),
        (date(2026, 12, 1), False, set()),
        (date(2026, 12, 2), False, {"DATE_IN_FUTURE"}),
        (date(2026, 1, 1), True, {"MILITIA_TRANSFER_SAME"}),
    ],
)
def test_transfer(on, same, refused):
    problems = transfer_problems(
        on=on, valid_from=date(2025, 8, 15), same_place=same, today=date(2026, 12, 1)
    )
    assert codes(problems) == refused


# Art. 11 (§0.9): a deferral on an MDEF_ ground, until a day or open; an exemption on an MEX_
# ground, without end.
@pytest.mark.parametrize(
    ("kind", "ground", "until", "refused"),
    [
        ("deferral", "MDEF_HEALTH", None, set()),
        ("deferral", "MDEF_HEALTH", date(2026, 5, 1), set()),  # ends the day it is decided
        ("deferral", "MDEF_HEALTH", date(2026, 4, 30), {"MILITIA_DEFERRAL_ENDS_BEFORE"}),
        ("deferral", "MEX_CIPHER", None, {"MILITIA_DEFERRAL_GROUND_NEEDED"}),
        ("exemption", "MEX_CIPHER", None, set()),
        ("exemption", "MEX_RESERVIST_ASSIGNED", None, set()),
        ("exemption", "MDEF_HEALTH", None, {"MILITIA_EXEMPTION_GROUND_NEEDED"}),
        ("exemption", "MEX_CIPHER", date(2027, 1, 1), {"MILITIA_EXEMPTION_NO_END"}),
        ("pardon", "MEX_CIPHER", None, {"NOT_ONE_OF"}),
    ],
)
def test_duty_decisions_art_11(kind, ground, until, refused):
    problems = duty_decision_problems(
        kind=kind, ground_code=ground, decided_on=date(2026, 5, 1), valid_until=until
    )
    assert codes(problems) == refused
