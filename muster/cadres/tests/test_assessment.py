"""The year's criteria sets (IT competency mandatory for cadres, MR3) and assessments of
cadres and units against them, with the figures readiness reads."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from muster.accounts.models import Role
from muster.audit.models import AuditEvent
from muster.cadres.assessment import CriterionInput, assessment_record, criteria_set_save
from muster.cadres.figures import (
    UnitAssessments,
    assessment_figures,
    assessments_by_unit,
    latest_assessment_year,
)
from muster.cadres.models import Criterion
from muster.cadres.rules import Thresholds
from muster.core.errors import InvalidInput, PermissionDenied
from muster.core.wording import error_text
from muster.people.tests.factories import make_person

LEVELS = Thresholds(Decimal(90), Decimal(70), Decimal(50))
CADRE_CRITERIA = [
    CriterionInput("politics", "Phẩm chất chính trị", 40),
    CriterionInput("work", "Kết quả công tác", 30, evidence_required=True),
    CriterionInput("it_competency", "Năng lực công nghệ thông tin", 30, True, Decimal(50)),
]


def _cadre_set(year: int = 2026):
    return criteria_set_save(
        year=year,
        subject="cadre",
        code="CB",
        name=f"Đánh giá cán bộ {year}",
        thresholds=LEVELS,
        criteria=CADRE_CRITERIA,
        acting_user=None,
    )


def test_a_cadre_set_needs_it_competency_as_mandatory(world):
    with pytest.raises(InvalidInput, match="CADRE_IT_MANDATORY"):
        criteria_set_save(
            year=2026,
            subject="cadre",
            code="CB",
            name="x",
            thresholds=LEVELS,
            criteria=CADRE_CRITERIA[:2],
            acting_user=None,
        )
    user = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    with pytest.raises(PermissionDenied):  # one national set per year
        criteria_set_save(
            year=2026,
            subject="unit",
            code="DV",
            name="x",
            thresholds=LEVELS,
            criteria=CADRE_CRITERIA,
            acting_user=user,
        )
    criteria_set = _cadre_set()
    assert [c.code for c in Criterion.objects.filter(criteria_set=criteria_set)] == [
        "politics",
        "work",
        "it_competency",
    ]


def test_assess_cadres_and_count_them(world):
    criteria_set = _cadre_set()
    user = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    unit = world.commune_commands[0]
    good = make_person(world.communes[0], "Hồ Văn Giỏi")
    weak_it = make_person(world.communes[0], "Hồ Văn Số")
    scores = {"politics": (Decimal(90), ""), "work": (Decimal(80), "Báo cáo tổng kết")}
    first = assessment_record(
        criteria_set=criteria_set,
        org_unit=unit,
        person=good,
        scores={**scores, "it_competency": (Decimal(70), "")},
        assessed_on=date(2026, 12, 1),
        acting_user=user,
    )
    assert (first.total, first.grade, first.failed_criteria) == (Decimal("81.00"), "good", [])
    second = assessment_record(
        criteria_set=criteria_set,
        org_unit=unit,
        person=weak_it,
        scores={**scores, "it_competency": (Decimal(40), "")},
        assessed_on=date(2026, 12, 1),
        acting_user=user,
    )
    assert (second.grade, second.failed_criteria) == ("fail", ["it_competency"])
    assert AuditEvent.objects.filter(action="cadres.assessment.recorded").count() == 2
    with pytest.raises(InvalidInput, match="ASSESSED_ALREADY"):
        assessment_record(
            criteria_set=criteria_set,
            org_unit=unit,
            person=good,
            scores={**scores, "it_competency": (Decimal(70), "")},
            assessed_on=date(2026, 12, 2),
            acting_user=user,
        )
    with pytest.raises(InvalidInput, match="EVIDENCE_REQUIRED"):
        assessment_record(
            criteria_set=criteria_set,
            org_unit=unit,
            person=make_person(world.communes[0]),
            scores={**scores, "work": (Decimal(80), ""), "it_competency": (Decimal(70), "")},
            assessed_on=date(2026, 12, 2),
            acting_user=user,
        )
    # Used sets keep their criteria: the results stay comparable.
    with pytest.raises(InvalidInput, match="CRITERIA_SET_USED"):
        _cadre_set()
    figures = assessment_figures({unit.pk}, 2026, "cadre")
    assert (figures.assessed, figures.by_grade) == (2, {"fail": 1, "good": 1})
    assert assessment_figures({unit.pk}, 2026, "unit").assessed == 0
    # Per unit, as the readiness refresh reads them: recorded by the day, good ones apart.
    assert assessments_by_unit({unit.pk}, 2026, date(2026, 12, 1)) == {
        unit.pk: UnitAssessments(cadres_assessed=2, cadres_good=1)
    }
    assert assessments_by_unit(None, 2026, date(2026, 11, 30)) == {}
    assert latest_assessment_year(date(2027, 3, 1)) == 2026
    assert latest_assessment_year(date(2026, 11, 30)) is None


def test_unit_assessment(world):
    unit_set = criteria_set_save(
        year=2026,
        subject="unit",
        code="VMTD",
        name="Vững mạnh toàn diện và chuyển đổi số",
        thresholds=LEVELS,
        criteria=[
            CriterionInput("strong", "Vững mạnh toàn diện", 70),
            CriterionInput("digital", "Chuyển đổi số", 30, True, Decimal(50)),
        ],
        acting_user=None,
    )
    unit = world.commune_commands[1]
    with pytest.raises(InvalidInput, match="ASSESSMENT_SUBJECT") as refused:
        assessment_record(
            criteria_set=unit_set,
            org_unit=unit,
            person=make_person(world.communes[1]),
            scores={"strong": (Decimal(95), ""), "digital": (Decimal(95), "")},
            assessed_on=date(2026, 12, 1),
            acting_user=None,
        )
    # The subject in words, its code only among the parameters (for the API).
    (error,) = refused.value.errors
    assert error.params["subject"] == "unit"
    with translation.override("en"):
        assert error_text(error) == (
            "This criteria set assesses units: assess the unit, not a person."
        )
    with translation.override("vi"):
        assert "đơn vị: đánh giá đơn vị" in error_text(error)
    result = assessment_record(
        criteria_set=unit_set,
        org_unit=unit,
        person=None,
        scores={"strong": (Decimal(95), ""), "digital": (Decimal(90), "")},
        assessed_on=date(2026, 12, 1),
        acting_user=None,
    )
    assert result.grade == "excellent"
    assert assessment_figures({unit.pk}, 2026, "unit").by_grade == {"excellent": 1}
    assert assessments_by_unit({unit.pk}, 2026, date(2026, 12, 1)) == {
        unit.pk: UnitAssessments(units_assessed=1, units_good=1)
    }
