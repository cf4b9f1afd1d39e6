"""The demo's cadres: the province's commune commands with designations, the holders'
qualifications (most commanders trained, some gaps left to see), a political-theory course
with a session and its results, the year's targets, and one year's assessment of commune
commanders and commune commands — all through `cadres.actions` and `cadres.assessment`.

Re-running changes nothing: the stage is skipped once its course exists.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from muster.cadres import actions
from muster.cadres.actions import CertificateRow
from muster.cadres.assessment import CriterionInput, assessment_record, criteria_set_save
from muster.cadres.models import Course
from muster.cadres.rules import Thresholds
from muster.geo.models import AdminUnit
from muster.orgs.models import Appointment, OrgKind, OrgUnit
from muster.people.models import Person

COURSE_CODE = "DEMO-LLCT"
LEVELS = Thresholds(Decimal(90), Decimal(70), Decimal(50))
# Shares of holders who already hold each qualification (the rest are the gaps to show).
GM_TRAINED = 0.75
POLITICAL_THEORY = 0.5
RESERVE_OFFICER = 0.85
BORDER_SHARE = 0.15  # communes designated border (two deputy commanders)


@dataclass(frozen=True)
class CadresResult:
    holders: int
    certificates: int
    enrolled: int
    passed: int
    assessed_cadres: int
    assessed_units: int


def cadres_stage(*, province: AdminUnit, seed: int, today: date) -> CadresResult | None:
    """The cadres of the demo province as of `today` (None when already built)."""
    if Course.objects.filter(code=COURSE_CODE).exists():
        return None
    rng = random.Random(seed * 31 + 18)
    # The province's command: a provincial command, or the Capital Command for Hà Nội.
    provincial = (
        OrgUnit.objects.as_of(today)
        .filter(
            kind__in=(OrgKind.PROVINCIAL_COMMAND, OrgKind.CAPITAL_COMMAND),
            territories__admin_unit=province,
        )
        .order_by("kind", "code")
        .first()
    )
    if provincial is None:
        return None
    commands = list(
        OrgUnit.objects.filter(
            kind=OrgKind.COMMUNE_COMMAND, territories__admin_unit__parent=province
        )
        .distinct()
        .order_by("code")
    )
    for command in commands:
        if rng.random() < BORDER_SHARE:
            actions.commune_designations_set(
                org_unit=command,
                designations={"border"},
                valid_from=date(2025, 7, 1),
                acting_user=None,
            )
    appointments = list(
        Appointment.objects.as_of(today)
        .filter(position__org_unit__in=commands)
        .select_related("position")
        .order_by("position__org_unit_id", "position__ordinal")
    )
    persons = dict(
        Person.objects.filter(
            personal_id__in=[a.holder_personal_id for a in appointments if a.holder_personal_id]
        ).values_list("personal_id", "id")
    )
    rows: list[CertificateRow] = []
    commanders: list[tuple[Appointment, int]] = []
    for appointment in appointments:
        person_id = persons.get(appointment.holder_personal_id)
        if person_id is None:
            continue
        kind = appointment.position.kind
        earned = date(2015 + rng.randrange(10), 6, 30)
        if kind in ("commander", "deputy_commander", "assistant") and rng.random() < GM_TRAINED:
            rows.append(
                CertificateRow(person_id, rng.choice(["gm_college", "gm_university"]), earned)
            )
        if kind == "commander":
            commanders.append((appointment, person_id))
            if rng.random() < RESERVE_OFFICER:
                rows.append(
                    CertificateRow(person_id, "reserve_officer", earned - timedelta(days=900))
                )
            if rng.random() < POLITICAL_THEORY:
                rows.append(
                    CertificateRow(person_id, "political_theory", earned + timedelta(days=60))
                )
        if rng.random() < 0.4:
            # IT skills certificates last two years: some are due for renewal.
            issued = today - timedelta(days=rng.randrange(200, 760))
            rows.append(
                CertificateRow(person_id, "it_skills", issued, issued + timedelta(days=729))
            )
    certificates = actions.certificates_import(rows=rows, source="demo", acting_user=None)

    course = actions.course_create(
        organiser=provincial,
        code=COURSE_CODE,
        name=f"Bồi dưỡng lý luận chính trị cho Chỉ huy trưởng cấp xã {today.year}",
        kind="political_theory",
        qualification="political_theory",
        validity_months=None,
        acting_user=None,
    )
    session = actions.session_create(
        course=course,
        starts_on=today - timedelta(days=40),
        ends_on=today - timedelta(days=26),
        place=f"Trường Quân sự {provincial.name.removeprefix('Bộ Chỉ huy Quân sự ')}",
        acting_user=None,
    )
    theory = {r.person_id for r in rows if r.qualification == "political_theory"}
    lacking = [person_id for _a, person_id in commanders if person_id not in theory][:12]
    passed = 0
    for index, person_id in enumerate(lacking):
        enrolment = actions.enrol(
            session=session,
            person=Person.objects.get(pk=person_id),
            enrolled_on=session.starts_on - timedelta(days=14),
            acting_user=None,
        )
        if index == len(lacking) - 1:
            continue  # the last one's result is still to record
        ok = index % 5 != 3
        actions.result_record(
            enrolment=enrolment,
            attendance="full" if ok else "partial",
            result="passed" if ok else "failed",
            score=Decimal(rng.randrange(70, 96)) if ok else Decimal(rng.randrange(35, 50)),
            result_on=session.ends_on,
            acting_user=None,
        )
        passed += ok
    for kind, qualification, percent in (
        ("commander", "political_theory", 100),
        ("commander", "gm_college", 100),
        ("assistant", "gm_college", 80),
    ):
        actions.target_set(
            org_unit=provincial,
            year=today.year,
            position_kind=kind,
            qualification=qualification,
            percent=percent,
            acting_user=None,
        )
    actions.certificate_items_open(today=today)

    cadre_set = criteria_set_save(
        year=today.year,
        subject="cadre",
        code="CB",
        name=f"Đánh giá, xếp loại cán bộ năm {today.year}",
        thresholds=LEVELS,
        criteria=[
            CriterionInput("politics", "Phẩm chất chính trị, đạo đức", 30),
            CriterionInput("duty", "Kết quả thực hiện nhiệm vụ", 40, evidence_required=True),
            CriterionInput(
                "it_competency",
                "Năng lực công nghệ thông tin, chuyển đổi số",
                30,
                True,
                Decimal(50),
            ),
        ],
        acting_user=None,
    )
    unit_set = criteria_set_save(
        year=today.year,
        subject="unit",
        code="VMTD",
        name=f"Đơn vị vững mạnh toàn diện và chuyển đổi số năm {today.year}",
        thresholds=LEVELS,
        criteria=[
            CriterionInput("strong", "Vững mạnh toàn diện", 70),
            CriterionInput("digital", "Chuyển đổi số", 30, True, Decimal(50)),
        ],
        acting_user=None,
    )
    assessed_on = today - timedelta(days=5)
    for appointment, person_id in commanders:
        assessment_record(
            criteria_set=cadre_set,
            org_unit=appointment.position.org_unit,
            person=Person.objects.get(pk=person_id),
            scores={
                "politics": (Decimal(rng.randrange(70, 100)), ""),
                "duty": (Decimal(rng.randrange(55, 100)), "Báo cáo tổng kết năm"),
                "it_competency": (Decimal(rng.randrange(35, 100)), ""),
            },
            assessed_on=assessed_on,
            acting_user=None,
        )
    for command in commands:
        assessment_record(
            criteria_set=unit_set,
            org_unit=command,
            person=None,
            scores={
                "strong": (Decimal(rng.randrange(60, 100)), ""),
                "digital": (Decimal(rng.randrange(40, 100)), ""),
            },
            assessed_on=assessed_on,
            acting_user=None,
        )
    return CadresResult(
        holders=len(persons),
        certificates=certificates,
        enrolled=len(lacking),
        passed=passed,
        assessed_cadres=len(commanders),
        assessed_units=len(commands),
    )
