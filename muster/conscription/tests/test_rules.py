"""Table-driven tests of the call-up rules: one row per legal case and boundary, citation in the
row. `DECISION_CASES` is also loaded into the database by test_candidates.py, which holds the
set-based candidate list to the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

import pytest

from muster.conscription.rules.callup import (
    NOT_FIT_CODES,
    CandidateFacts,
    Decision,
    ExamFacts,
    HeldDecision,
    QuotaError,
    RuleSet,
    Status,
    age_on,
    allocate_quotas,
    candidate_decision,
    exam_outcome,
    ground_problem,
    ruleset_get,
    ruleset_on,
    years_before,
)
from muster.conscription.rules.grounds import GROUNDS, DecisionKind
from muster.conscription.rules.reasons import REASONS
from muster.core.errors import FieldError

R2016 = ruleset_get("2016-01")
R2025 = ruleset_get("2025-07")
GRADE7 = ruleset_get("2025-07", {"allow_grade7": True})
REF = date(2027, 2, 25)  # a call-up date
DAY = timedelta(days=1)


def born(age: int, *, days_after: int = 0, reference: date = REF) -> date:
    """Born so as to reach `age` exactly on `reference`, shifted `days_after` later."""
    return years_before(reference, age) + timedelta(days=days_after)


def held(code: str, decided_on: date = REF - 100 * DAY) -> HeldDecision:
    return HeldDecision(GROUNDS[code].kind if code in GROUNDS else "deferral", code, decided_on)


@dataclass(frozen=True)
class DecisionCase:
    name: str
    citation: str
    facts: CandidateFacts
    expected: Decision
    reference: date = REF
    rules: RuleSet = R2025


def man(
    age: int = 20, *, days_after: int = 0, reference: date = REF, **kw: object
) -> CandidateFacts:
    values: dict[str, object] = {
        "birth_date": born(age, days_after=days_after, reference=reference),
        "registered": True,
        "education_level": "grade_12",
        "exam_codes": ("HC1",),
    }
    values.update(kw)
    return CandidateFacts(**values)  # type: ignore[arg-type]


def _case(name: str, citation: str, facts: CandidateFacts, status: str, *reasons: str,
          **kw: object) -> DecisionCase:  # fmt: skip
    return DecisionCase(name, citation, facts, Decision(status, reasons), **kw)  # type: ignore[arg-type]


ART30 = "Luật NVQS 2015 Điều 30"
ART41 = "Luật NVQS 2015 Điều 41"
TT105 = "Thông tư 105/2023/TT-BQP Điều 4 khoản 1"
TT148_EDU = "Thông tư 148/2018/TT-BQP Điều 4 khoản 4 điểm a"
LEAP_REF_BEFORE = date(2026, 2, 28)
LEAP_REF_AFTER = date(2026, 3, 1)
LEAP_BORN = date(2008, 2, 29)

_AGES = [
    _case("18th birthday on the reference date: 18 reached", ART30, man(18), Status.ELIGIBLE, "HC1"),
    _case("one day before the 18th birthday", ART30, man(18, days_after=1), Status.OUT_OF_AGE, "CALLUP_AGE"),
    _case("17 and registered: on the list, out of age", ART30, man(17), Status.OUT_OF_AGE, "CALLUP_AGE"),
    _case("last day of age 25", ART30, man(26, days_after=1), Status.ELIGIBLE, "HC1"),
    _case("the day after the end of age 25", ART30, man(26), Status.OUT_OF_AGE, "CALLUP_AGE"),
    _case("27, college, deferred for study", f"{ART30}; Thông tư 148/2018 Điều 4 khoản 1",
          man(27, education_level="college", student_deferral_ever=True),
          Status.ELIGIBLE, "CALLUP_AGE_STUDENT_27", "HC1"),
    _case("last day of age 27, university, deferred for study", ART30,
          man(28, days_after=1, education_level="university", student_deferral_ever=True),
          Status.ELIGIBLE, "CALLUP_AGE_STUDENT_27", "HC1"),
    _case("26, university, never deferred for study", ART30,
          man(26, education_level="university"), Status.OUT_OF_AGE, "CALLUP_AGE"),
    _case("26, deferred for study at school (grade 12)", ART30,
          man(26, student_deferral_ever=True), Status.OUT_OF_AGE, "CALLUP_AGE"),
    _case("27, college student, still deferred", ART30,
          man(27, education_level="college", student_deferral_ever=True,
              held=(held("DEF_STUDENT"),)),
          Status.DEFERRED, "CALLUP_AGE_STUDENT_27", "DEF_STUDENT"),
    _case("born 29 Feb: 17 on 28 Feb of a common year", ART30,
          replace(man(), birth_date=LEAP_BORN),
          Status.OUT_OF_AGE, "CALLUP_AGE", reference=LEAP_REF_BEFORE),
    _case("born 29 Feb: 18 on 1 March", ART30, replace(man(), birth_date=LEAP_BORN),
          Status.ELIGIBLE, "HC1", reference=LEAP_REF_AFTER),
]  # fmt: skip

_HEALTH = [
    _case("no examination yet: eligible, to be examined", "Luật NVQS 2015 Điều 40; issue #4",
          man(exam_codes=None), Status.ELIGIBLE, "HEALTH_PENDING"),
    _case("class 1", TT105, man(exam_codes=("HC1",)), Status.ELIGIBLE, "HC1"),
    _case("class 2", TT105, man(exam_codes=("HC2",)), Status.ELIGIBLE, "HC2"),
    _case("class 3", TT105, man(exam_codes=("HC3",)), Status.ELIGIBLE, "HC3"),
    _case("class 4", f"{TT105}; {ART41} khoản 1 điểm a", man(exam_codes=("HC4", "DEF_HEALTH")),
          Status.NOT_FIT, "HC4", "DEF_HEALTH"),
    _case("class 5", TT105, man(exam_codes=("HC5", "DEF_HEALTH")), Status.NOT_FIT, "HC5", "DEF_HEALTH"),
    _case("class 6", TT105, man(exam_codes=("HC6", "DEF_HEALTH")), Status.NOT_FIT, "HC6", "DEF_HEALTH"),
    _case("class 3 with myopia", "Thông tư 148/2018 Điều 4 khoản 3 điểm c",
          man(exam_codes=("HC3", "HC3_MYOPIA")), Status.NOT_FIT, "HC3", "HC3_MYOPIA"),
    _case("class 3 with hyperopia", "Thông tư 148/2018 Điều 4 khoản 3 điểm c",
          man(exam_codes=("HC3", "HC3_HYPEROPIA")), Status.NOT_FIT, "HC3", "HC3_HYPEROPIA"),
    _case("class 3 with a BMI outside 18.0–29.9", "Thông tư 148/2018 Điều 4 khoản 3 điểm c",
          man(exam_codes=("HC3", "HC3_BMI")), Status.NOT_FIT, "HC3", "HC3_BMI"),
    _case("drug addiction whatever the class", TT105, man(exam_codes=("HC1", "EXC_DRUG")),
          Status.NOT_FIT, "HC1", "EXC_DRUG"),
    _case("grade 7 without approval", TT148_EDU, man(education_level="grade_7"),
          Status.NOT_FIT, "STD_EDU_DEFAULT"),
    _case("grade 7 with approval (allow_grade7)", TT148_EDU, man(education_level="grade_7"),
          Status.ELIGIBLE, "HC1", "STD_EDU_FALLBACK7", rules=GRADE7),
    _case("grade 7 with approval, not yet examined", TT148_EDU,
          man(education_level="grade_7", exam_codes=None),
          Status.ELIGIBLE, "HEALTH_PENDING", "STD_EDU_FALLBACK7", rules=GRADE7),
    _case("grade 6 even with approval", TT148_EDU, man(education_level="grade_6"),
          Status.NOT_FIT, "STD_EDU_DEFAULT", rules=GRADE7),
    _case("grade 8", TT148_EDU, man(education_level="grade_8"), Status.ELIGIBLE, "HC1"),
    _case("vocational counts as grade 9", TT148_EDU, man(education_level="vocational"),
          Status.ELIGIBLE, "HC1"),
    _case("education unknown", TT148_EDU, man(education_level=None), Status.ELIGIBLE, "HC1"),
    _case("class 4 and grade 6: both reasons", f"{TT105}; {TT148_EDU}",
          man(exam_codes=("HC4", "DEF_HEALTH"), education_level="grade_6"),
          Status.NOT_FIT, "HC4", "DEF_HEALTH", "STD_EDU_DEFAULT"),
]  # fmt: skip

_PRECEDENCE = [
    _case("unregistered", "Luật NVQS 2015 Điều 12 khoản 1", man(registered=False, education_level=None),
          Status.UNREGISTERED, "REG_FIRST_AGE_MALE"),
    _case("unregistered, deferred for study at 27", ART30,
          man(27, registered=False, education_level=None, student_deferral_ever=True),
          Status.OUT_OF_AGE, "CALLUP_AGE"),
    _case("out of age beats served", ART30, man(26, service="served"), Status.OUT_OF_AGE, "CALLUP_AGE"),
    _case("serving", "Luật NVQS 2015 Điều 21–22", man(service="serving"), Status.ALREADY_SERVED, "SERVING"),
    _case("served", "Luật NVQS 2015 Điều 21, 43", man(service="served"), Status.ALREADY_SERVED, "SERVED"),
    _case("served and recognised", "Luật NVQS 2015 Điều 4 khoản 4",
          man(service="served", held=(held("DONE_RESERVE_OFFICER"),)),
          Status.ALREADY_SERVED, "SERVED", "DONE_RESERVE_OFFICER"),
    _case("served beats exempt", "Luật NVQS 2015 Điều 4 khoản 4",
          man(service="served", held=(held("EX_MARTYR_CHILD"),)), Status.ALREADY_SERVED, "SERVED"),
    _case("exempt beats a registration bar", f"{ART41} khoản 2",
          man(held=(held("EX_CIPHER"), held("NR_SENTENCE"))), Status.EXEMPT, "EX_CIPHER"),
    _case("a registration bar beats not fit", "Luật NVQS 2015 Điều 13",
          man(exam_codes=("HC5", "DEF_HEALTH"), held=(held("NR_STRIPPED"), held("DEF_SOLE_CARER"))),
          Status.DEFERRED, "DEF_SOLE_CARER", "NR_STRIPPED"),
    _case("registration bar, unregistered", "Luật NVQS 2015 Điều 13",
          man(registered=False, education_level=None, held=(held("NR_CRIMINAL_PROC"),)),
          Status.DEFERRED, "NR_CRIMINAL_PROC"),
    _case("exempt from registration, unregistered", "Luật NVQS 2015 Điều 14",
          man(registered=False, education_level=None, held=(held("REGEX_MENTAL_ILLNESS"),)),
          Status.EXEMPT, "REGEX_MENTAL_ILLNESS"),
    _case("unregistered beats a deferral", "Luật NVQS 2015 Điều 12",
          man(registered=False, education_level=None, held=(held("DEF_SOLE_CARER"),)),
          Status.UNREGISTERED, "REG_FIRST_AGE_MALE"),
    _case("not fit beats a deferral", f"{ART41} khoản 1 điểm a",
          man(exam_codes=("HC4", "DEF_HEALTH"), held=(held("DEF_SOLE_CARER"),)),
          Status.NOT_FIT, "HC4", "DEF_HEALTH"),
    _case("two deferrals, codes sorted", f"{ART41} khoản 1",
          man(held=(held("DEF_SOLE_CARER"), held("DEF_FAMILY_DISASTER"))),
          Status.DEFERRED, "DEF_FAMILY_DISASTER", "DEF_SOLE_CARER"),
    _case("deferred, not yet examined", f"{ART41} khoản 1",
          man(exam_codes=None, held=(held("DEF_RESETTLEMENT"),)), Status.DEFERRED, "DEF_RESETTLEMENT"),
    _case("hardship posting decided 24 months before", f"{ART41} khoản 2 điểm đ",
          man(held=(held("DEF_HARDSHIP_POSTING", years_before(REF, 2)),)),
          Status.EXEMPT, "EX_HARDSHIP_POSTING_24M"),
    _case("hardship posting one day short of 24 months", f"{ART41} khoản 1 điểm e",
          man(held=(held("DEF_HARDSHIP_POSTING", years_before(REF, 2) + DAY),)),
          Status.DEFERRED, "DEF_HARDSHIP_POSTING"),
]  # fmt: skip


def _ground_case(code: str) -> DecisionCase:
    ground = GROUNDS[code]
    expected = {
        DecisionKind.DEFERRAL: Status.DEFERRED,
        DecisionKind.EXEMPTION: Status.EXEMPT,
        DecisionKind.COMPLETION: Status.ALREADY_SERVED,
    }[ground.kind]
    return _case(f"ground {code}", ground.citation, man(held=(held(code),)), expected, code)


_GROUNDS = [_ground_case(code) for code in sorted(GROUNDS)]

DECISION_CASES: list[DecisionCase] = [*_AGES, *_HEALTH, *_PRECEDENCE, *_GROUNDS]


@pytest.mark.parametrize("case", DECISION_CASES, ids=lambda c: c.name)
def test_candidate_decision(case: DecisionCase) -> None:
    assert candidate_decision(case.facts, case.reference, case.rules) == case.expected


def test_every_ground_has_a_decision_case() -> None:
    assert {c.name.removeprefix("ground ") for c in _GROUNDS} == set(GROUNDS)


# ── Examination outcome ───────────────────────────────────────────────────────────────────

TT148_EYE = "Thông tư 148/2018/TT-BQP Điều 4 khoản 3 điểm c"
EXAM_CASES: list[tuple[str, str, ExamFacts, RuleSet, tuple[str, ...]]] = [
    ("class 1", TT105, ExamFacts(1), R2025, ("HC1",)),
    ("class 2", TT105, ExamFacts(2), R2025, ("HC2",)),
    ("class 3", TT105, ExamFacts(3), R2025, ("HC3",)),
    ("class 4 defers", f"{TT105}; {ART41} khoản 1 điểm a", ExamFacts(4), R2025, ("HC4", "DEF_HEALTH")),
    ("class 5 defers", TT105, ExamFacts(5), R2025, ("HC5", "DEF_HEALTH")),
    ("class 6 defers", TT105, ExamFacts(6), R2025, ("HC6", "DEF_HEALTH")),
    ("myopia exactly 1.5, 2016-01 (≥ excludes)", TT148_EYE, ExamFacts(3, myopia_diopters=1.5), R2016, ("HC3", "HC3_MYOPIA")),
    ("myopia exactly 1.5, 2025-07 (> excludes)", TT148_EYE, ExamFacts(3, myopia_diopters=1.5), R2025, ("HC3",)),
    ("myopia 1.4, 2016-01", TT148_EYE, ExamFacts(3, myopia_diopters=1.4), R2016, ("HC3",)),
    ("myopia 1.75, 2025-07", TT148_EYE, ExamFacts(3, myopia_diopters=1.75), R2025, ("HC3", "HC3_MYOPIA")),
    ("myopia counts in class 3 only", TT148_EYE, ExamFacts(2, myopia_diopters=2.0), R2025, ("HC2",)),
    ("hyperopia", TT148_EYE, ExamFacts(3, hyperopia=True), R2025, ("HC3", "HC3_HYPEROPIA")),
    ("no hyperopia", TT148_EYE, ExamFacts(3, hyperopia=False), R2025, ("HC3",)),
    ("BMI 17.9", TT148_EYE, ExamFacts(3, bmi=17.9), R2025, ("HC3", "HC3_BMI")),
    ("BMI 18.0", TT148_EYE, ExamFacts(3, bmi=18.0), R2025, ("HC3",)),
    ("BMI 29.9", TT148_EYE, ExamFacts(3, bmi=29.9), R2025, ("HC3",)),
    ("BMI 30.0", TT148_EYE, ExamFacts(3, bmi=30.0), R2025, ("HC3", "HC3_BMI")),
    ("all three class-3 exclusions", TT148_EYE,
     ExamFacts(3, myopia_diopters=3.0, hyperopia=True, bmi=31.0), R2025,
     ("HC3", "HC3_MYOPIA", "HC3_HYPEROPIA", "HC3_BMI")),
    ("drug addiction, class 1", TT105, ExamFacts(1, drug_addiction=True), R2025, ("HC1", "EXC_DRUG")),
    ("drug addiction, class 4", TT105, ExamFacts(4, drug_addiction=True), R2025, ("HC4", "DEF_HEALTH", "EXC_DRUG")),
]  # fmt: skip


@pytest.mark.parametrize("case", EXAM_CASES, ids=lambda c: c[0])
def test_exam_outcome(case: tuple[str, str, ExamFacts, RuleSet, tuple[str, ...]]) -> None:
    _, _, exam, rules, expected = case
    assert exam_outcome(exam, rules) == expected


@pytest.mark.parametrize("health_class", [0, 7])
def test_exam_outcome_refuses_an_unknown_class(health_class: int) -> None:
    with pytest.raises(ValueError, match="health class must be 1–6"):
        exam_outcome(ExamFacts(health_class), R2025)


def test_myopia_boundary_is_a_cycle_override() -> None:
    lenient = ruleset_get("2016-01", {"myopia_limit_inclusive": False})
    assert exam_outcome(ExamFacts(3, myopia_diopters=1.5), lenient) == ("HC3",)


# ── Ages ───────────────────────────────────────────────────────────────────────────────────

AGE_CASES: list[tuple[str, date, date, int]] = [
    ("birthday on the day: reached", date(2008, 2, 25), REF, 19),
    ("day before the birthday", date(2009, 2, 26), REF, 17),
    ("29 Feb, 28 Feb of a common year: not yet", LEAP_BORN, LEAP_REF_BEFORE, 17),
    ("29 Feb, 1 March of a common year: reached", LEAP_BORN, LEAP_REF_AFTER, 18),
    ("29 Feb, 29 Feb of a leap year", date(2004, 2, 29), date(2028, 2, 29), 24),
]


@pytest.mark.parametrize("case", AGE_CASES, ids=lambda c: c[0])
def test_age_on(case: tuple[str, date, date, int]) -> None:
    _, birth, day, expected = case
    assert age_on(birth, day) == expected


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        (date(2027, 2, 25), 18, date(2009, 2, 25)),
        (date(2028, 2, 29), 18, date(2010, 2, 28)),  # no 29 Feb in 2010
        (date(2028, 2, 29), 24, date(2004, 2, 29)),
    ],
)
def test_years_before(day: date, years: int, expected: date) -> None:
    assert years_before(day, years) == expected
    # Born on the bound: the age is reached on `day`; a day later: not yet.
    assert age_on(expected, day) == years
    assert age_on(expected + DAY, day) == years - 1


# ── Rule sets ──────────────────────────────────────────────────────────────────────────────


def test_ruleset_on_picks_the_version_in_force() -> None:
    assert ruleset_on(date(2025, 6, 30)).version == "2016-01"
    assert ruleset_on(date(2025, 7, 1)).version == "2025-07"
    with pytest.raises(ValueError, match="no call-up rules in force"):
        ruleset_on(date(2015, 12, 31))


def test_only_uncertain_settings_can_be_overridden() -> None:
    assert ruleset_on(REF, {"allow_grade7": True}).allow_grade7
    with pytest.raises(ValueError, match="cannot be overridden: bmi_min"):
        ruleset_on(REF, {"bmi_min": 17.0})
    with pytest.raises(ValueError, match="unknown call-up rules version"):
        ruleset_get("1999-01")


# ── Grounds ────────────────────────────────────────────────────────────────────────────────

DECIDED = date(2026, 1, 10)
GROUND_CASES: list[tuple[str, dict[str, object], FieldError | None]] = [
    ("deferral on a deferral ground", {}, None),
    ("unknown ground", {"code": "DEF_NOPE"}, FieldError("ground_code", "GROUND_UNKNOWN", {"ground": "DEF_NOPE"})),
    ("unknown kind", {"kind": "pardon"},
     FieldError("kind", "NOT_ONE_OF", {"choices": ("deferral", "exemption", "completion")})),
    ("exemption ground recorded as a deferral", {"code": "EX_MARTYR_CHILD"},
     FieldError("ground_code", "GROUND_KIND_MISMATCH", {"ground": "EX_MARTYR_CHILD", "kind": "exemption"})),
    ("men-only ground for a woman", {"sex": "F"},
     FieldError("ground_code", "GROUND_SEX", {"ground": "DEF_STUDENT", "sex": "F"})),
    ("registration exemption for a woman", {"code": "REGEX_DISABILITY", "kind": "exemption", "sex": "F"}, None),
    ("standing militia at 17", {"code": "DEF_STANDING_MILITIA", "birth_date": date(2008, 6, 1)},
     FieldError("ground_code", "GROUND_AGE",
                {"ground": "DEF_STANDING_MILITIA", "low": 18, "high": 27, "age": 17, "day": DECIDED})),
    ("deferral at 28", {"birth_date": date(1997, 6, 1)},
     FieldError("ground_code", "GROUND_AGE",
                {"ground": "DEF_STUDENT", "low": 17, "high": 27, "age": 28, "day": DECIDED})),
    ("ends before it was decided", {"valid_until": date(2026, 1, 9)},
     FieldError("valid_until", "DECISION_ENDS_BEFORE_DECIDED")),
    ("ends the day it was decided", {"valid_until": date(2026, 1, 10)}, None),
]  # fmt: skip


@pytest.mark.parametrize("case", GROUND_CASES, ids=lambda c: c[0])
def test_ground_problem(case: tuple[str, dict[str, object], FieldError | None]) -> None:
    _, changes, expected = case
    args: dict[str, object] = {
        "code": "DEF_STUDENT",
        "kind": "deferral",
        "sex": "M",
        "birth_date": date(2006, 6, 1),
        "decided_on": DECIDED,
        "valid_until": None,
        **changes,
    }
    assert ground_problem(**args) == expected  # type: ignore[arg-type]


# ── Quotas ─────────────────────────────────────────────────────────────────────────────────

QUOTA_CASES: list[tuple[str, int, dict[str, int], dict[str, int], dict[str, int]]] = [
    ("proportional, exact", 7, {"A": 10, "B": 20, "C": 5}, {}, {"A": 2, "B": 4, "C": 1}),
    ("largest remainders", 3, {"A": 50, "B": 30, "C": 20}, {}, {"A": 1, "B": 1, "C": 1}),
    ("largest remainder goes to the largest fraction", 4, {"A": 5, "B": 3, "C": 2}, {},
     {"A": 2, "B": 1, "C": 1}),
    ("tie on remainder: larger pool first", 2, {"A": 1, "B": 3}, {}, {"A": 0, "B": 2}),
    ("tie on remainder and pool: smaller code first", 10, {"A": 1, "B": 1, "C": 1}, {},
     {"A": 4, "B": 3, "C": 3}),
    ("pinned kept, rest shared", 10, {"A": 10, "B": 10, "C": 20}, {"C": 2}, {"A": 4, "B": 4, "C": 2}),
    ("no one eligible: shared equally", 3, {"A": 0, "B": 0}, {}, {"A": 2, "B": 1}),
    ("target zero", 0, {"A": 5, "B": 5}, {}, {"A": 0, "B": 0}),
    ("every commune pinned to the target", 5, {"A": 2, "B": 3}, {"A": 2, "B": 3}, {"A": 2, "B": 3}),
]  # fmt: skip


@pytest.mark.parametrize("case", QUOTA_CASES, ids=lambda c: c[0])
def test_allocate_quotas(
    case: tuple[str, int, dict[str, int], dict[str, int], dict[str, int]],
) -> None:
    _, target, pools, pinned, expected = case
    quotas = allocate_quotas(target, pools, pinned)
    assert quotas == expected
    assert sum(quotas.values()) == target


@pytest.mark.parametrize(
    ("target", "pools", "pinned"),
    [
        (3, {"A": 5, "B": 5}, {"A": 5}),  # pinned more than the target
        (3, {"A": 5}, {"Z": 1}),  # not a commune of the cycle
        (3, {"A": 5, "B": 5}, {"A": -1}),
        (-1, {"A": 5}, {}),
        (6, {"A": 2, "B": 3}, {"A": 2, "B": 3}),  # all pinned, short of the target
        (5, {"A": 2, "B": 9}, {"A": 3}),  # pinned above its eligible pool
    ],
)
def test_allocate_quotas_refuses(
    target: int, pools: dict[str, int], pinned: dict[str, int]
) -> None:
    with pytest.raises(QuotaError):
        allocate_quotas(target, pools, pinned)


# Orders already drafted or issued are floors no quota falls below, and the province's
# orders never exceed its target (MSL Art. 34(1); issue 13 finding 5: 17 orders against 12).
FLOOR_CASES: list[
    tuple[str, int, dict[str, int], dict[str, int], dict[str, int], dict[str, int]]
] = [
    ("an override reshares around the orders", 12, {"A": 10, "B": 6, "C": 9}, {"C": 4},
     {"A": 5, "B": 3}, {"A": 5, "B": 3, "C": 4}),
    ("orders first, then the unordered pools", 10, {"A": 10, "B": 10}, {}, {"A": 6},
     {"A": 7, "B": 3}),
    ("a target past every eligible man, with orders", 6, {"A": 2, "B": 2}, {}, {"A": 2},
     {"A": 3, "B": 3}),
    ("an override at its own orders", 5, {"A": 4, "B": 4}, {"A": 3}, {"A": 3},
     {"A": 3, "B": 2}),
    ("an override up to its whole pool", 5, {"A": 4, "B": 4}, {"A": 4}, {}, {"A": 4, "B": 1}),
]  # fmt: skip


@pytest.mark.parametrize("case", FLOOR_CASES, ids=lambda c: c[0])
def test_allocate_quotas_keeps_the_orders(
    case: tuple[str, int, dict[str, int], dict[str, int], dict[str, int], dict[str, int]],
) -> None:
    _, target, pools, pinned, floors, expected = case
    quotas = allocate_quotas(target, pools, pinned, floors)
    assert quotas == expected
    assert sum(quotas.values()) == target
    assert all(quotas[code] >= n for code, n in floors.items())


@pytest.mark.parametrize(
    ("target", "pools", "pinned", "floors", "code"),
    [
        # finding 5: the other communes hold 8 orders, an override of 9 would make 17 > 12
        (12, {"A": 10, "B": 6, "C": 9}, {"C": 9}, {"A": 5, "B": 3}, "QUOTA_ORDERS_OVER_TARGET"),
        (4, {"A": 5, "B": 5}, {}, {"A": 3, "B": 2}, "QUOTA_ORDERS_OVER_TARGET"),  # target cut
        (5, {"A": 5, "B": 5}, {"A": 2}, {"A": 3}, "QUOTA_BELOW_ORDERS"),
        (5, {"A": 3, "B": 5}, {"A": 4}, {}, "QUOTA_OVER_POOL"),
        (5, {"A": 3, "B": 5}, {}, {"Z": 1}, "QUOTA_UNKNOWN_COMMUNES"),
    ],
)
def test_allocate_quotas_refuses_to_strand_orders(
    target: int, pools: dict[str, int], pinned: dict[str, int], floors: dict[str, int], code: str
) -> None:
    with pytest.raises(QuotaError) as refused:
        allocate_quotas(target, pools, pinned, floors)
    assert refused.value.code == code


# ── Reasons ────────────────────────────────────────────────────────────────────────────────


def _emitted_codes() -> set[str]:
    codes = {code for case in DECISION_CASES for code in case.expected.reasons}
    codes |= {code for case in EXAM_CASES for code in case[4]}
    codes |= set(NOT_FIT_CODES) | set(GROUNDS)
    return codes


def test_every_code_the_rules_emit_is_explained() -> None:
    missing = sorted(_emitted_codes() - set(REASONS))
    assert not missing
    for reason in REASONS.values():
        assert reason.vi
        assert reason.en
        assert reason.citation


def test_the_table_reaches_every_status() -> None:
    assert {case.expected.status for case in DECISION_CASES} == set(Status.ALL)
