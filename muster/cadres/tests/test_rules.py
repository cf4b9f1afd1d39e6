"""cadres.rules against tables citing their basis (module docstring of cadres.rules)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from muster.cadres import rules
from muster.cadres.rules import CriterionSpec, Thresholds

GM, POL, RES = rules.GM_TRAINING, rules.POLITICAL_THEORY, rules.RESERVE_OFFICER


@pytest.mark.parametrize(
    ("org_kind", "position_kind", "held", "gaps"),
    [
        # DQTV Art. 26 as amended by L98 Art. 10(13): college or university, not intermediate.
        ("commune_command", "commander", set(), [GM, POL, RES]),
        ("commune_command", "commander", {"gm_intermediate"}, [GM, POL, RES]),
        ("commune_command", "commander", {"gm_college", "reserve_officer"}, [POL]),
        ("commune_command", "commander", {"gm_university", "political_theory"}, [RES]),
        (
            "commune_command",
            "commander",
            {"gm_university", "political_theory", "reserve_officer"},
            [],
        ),
        ("commune_command", "deputy_commander", {"gm_college"}, []),
        ("commune_command", "deputy_commander", {"political_theory"}, [GM]),
        ("commune_command", "assistant", set(), [GM]),
        # The political officer (the Party secretary) and the deputy commissar: no standard.
        ("commune_command", "political_officer", set(), []),
        ("commune_command", "deputy_commissar", set(), []),
        # Heads of higher commands are active officers: the army keeps their training.
        ("area_defence_command", "commander", set(), []),
        ("provincial_command", "commander", set(), []),
    ],
)
def test_qualification_gaps(org_kind, position_kind, held, gaps):
    assert rules.qualification_gaps(org_kind, position_kind, held) == gaps


IT = CriterionSpec("it_competency", 30, True, Decimal(50))
WORK = CriterionSpec("work", 70, False, Decimal(0))
LEVELS = Thresholds(Decimal(90), Decimal(70), Decimal(50))


@pytest.mark.parametrize(
    ("scores", "total", "grade", "failed"),
    [
        ({"it_competency": 100, "work": 100}, "100.00", "excellent", ()),
        ({"it_competency": 80, "work": 70}, "73.00", "good", ()),
        ({"it_competency": 50, "work": 55}, "53.50", "pass", ()),
        ({"it_competency": 60, "work": 40}, "46.00", "fail", ()),
        # MR3: IT competency is mandatory: below its threshold fails whatever the total.
        ({"it_competency": 40, "work": 100}, "82.00", "fail", ("it_competency",)),
        ({"work": 100}, "70.00", "fail", ("it_competency",)),
    ],
)
def test_grade(scores, total, grade, failed):
    result = rules.grade([IT, WORK], {k: Decimal(v) for k, v in scores.items()}, LEVELS)
    assert (result.total, result.grade, result.failed) == (Decimal(total), grade, failed)


@pytest.mark.parametrize(
    ("subject", "criteria", "problems"),
    [
        ("cadre", [IT, WORK], []),
        ("cadre", [WORK], ["CADRE_IT_MANDATORY"]),  # MR3
        (
            "cadre",
            [CriterionSpec("it_competency", 30, False, Decimal(0)), WORK],
            ["CADRE_IT_MANDATORY"],
        ),
        ("unit", [WORK], []),
        ("unit", [], ["CRITERIA_EMPTY"]),
        ("unit", [WORK, WORK], ["CRITERIA_DUPLICATE"]),
    ],
)
def test_criteria_set_problems(subject, criteria, problems):
    assert rules.criteria_set_problems(subject, criteria) == problems


@pytest.mark.parametrize(
    ("qualified", "holders", "percent", "share", "met"),
    [
        (3, 3, 100, Decimal("100.0"), True),
        (2, 3, 100, Decimal("66.7"), False),
        (2, 3, 60, Decimal("66.7"), True),
        (0, 0, 100, None, False),
        (0, 0, 0, None, True),
    ],
)
def test_targets(qualified, holders, percent, share, met):
    assert rules.share_percent(qualified, holders) == share
    assert rules.target_met(percent, qualified, holders) is met


@pytest.mark.parametrize(
    ("issued", "months", "expires"),
    [
        (date(2026, 3, 1), 24, date(2028, 2, 29)),
        (date(2026, 1, 31), 1, date(2026, 2, 27)),  # 28/02 is the month's end: day before
        (date(2026, 3, 1), None, None),
    ],
)
def test_certificate_expiry(issued, months, expires):
    assert rules.certificate_expiry(issued, months) == expires


def test_renewal_due_and_held_on():
    today = date(2026, 12, 1)
    assert rules.renewal_due(date(2027, 2, 28), today)  # within 90 days
    assert not rules.renewal_due(date(2027, 3, 2), today)
    assert rules.renewal_due(date(2026, 1, 1), today)  # expired
    assert not rules.renewal_due(None, today)
    rows = [
        ("gm_college", date(2020, 1, 1), None),
        ("it_skills", date(2024, 1, 1), date(2026, 11, 30)),
        ("political_theory", date(2027, 1, 1), None),
    ]
    assert rules.held_on(rows, today) == {"gm_college"}
