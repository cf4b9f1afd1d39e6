"""Courses, sessions, enrolment and results (a pass issues the certificate), certificates
recorded from elsewhere, expiry worklist items that close on renewal, and targets."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from muster.accounts.models import Role
from muster.audit.models import AuditEvent
from muster.cadres import actions
from muster.cadres.figures import training_figures
from muster.cadres.models import Certificate
from muster.cadres.tests.factories import positions_of
from muster.core.errors import InvalidInput, PermissionDenied
from muster.people.tests.factories import make_person
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind


@pytest.fixture
def course(world):
    return actions.course_create(
        organiser=world.provincial,
        code="LLCT-2026",
        name="Bồi dưỡng lý luận chính trị 2026",
        kind="political_theory",
        qualification="political_theory",
        validity_months=None,
        acting_user=None,
    )


def test_enrol_and_pass_issues_the_certificate(world, course):
    session = actions.session_create(
        course=course, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 20), acting_user=None
    )
    person = make_person(world.communes[0], "Ngô Văn Tài")
    enrolment = actions.enrol(
        session=session, person=person, enrolled_on=date(2026, 2, 1), acting_user=None
    )
    with pytest.raises(InvalidInput, match="ALREADY_ENROLLED"):
        actions.enrol(
            session=session, person=person, enrolled_on=date(2026, 2, 1), acting_user=None
        )
    certificate = actions.result_record(
        enrolment=enrolment,
        attendance="full",
        result="passed",
        score=Decimal(85),
        result_on=date(2026, 3, 20),
        acting_user=None,
    )
    assert certificate is not None
    assert (certificate.qualification, certificate.issued_on, certificate.expires_on) == (
        "political_theory",
        date(2026, 3, 20),
        None,
    )
    with pytest.raises(InvalidInput, match="RESULT_RECORDED"):
        actions.result_record(
            enrolment=enrolment,
            attendance="full",
            result="failed",
            score=None,
            result_on=date(2026, 3, 21),
            acting_user=None,
        )
    recorded = AuditEvent.objects.get(action="cadres.result.recorded")
    assert recorded.data["certificate"] == certificate.pk


@pytest.mark.parametrize(
    ("attendance", "result", "score", "day", "code"),
    [
        ("absent", "passed", None, date(2026, 3, 20), "PASSED_WHILE_ABSENT"),
        ("full", "passed", Decimal(101), date(2026, 3, 20), "SCORE_RANGE"),
        ("full", "passed", None, date(2026, 3, 1), "RESULT_BEFORE_SESSION"),
        ("pending", "passed", None, date(2026, 3, 20), "NOT_ONE_OF"),
    ],
)
def test_result_refusals(world, course, attendance, result, score, day, code):
    session = actions.session_create(
        course=course, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 20), acting_user=None
    )
    enrolment = actions.enrol(
        session=session,
        person=make_person(world.communes[0]),
        enrolled_on=date(2026, 2, 1),
        acting_user=None,
    )
    with pytest.raises(InvalidInput, match=code):
        actions.result_record(
            enrolment=enrolment,
            attendance=attendance,
            result=result,
            score=score,
            result_on=day,
            acting_user=None,
        )
    assert not Certificate.objects.exists()


def test_commune_staff_record_but_do_not_create_courses(world, course):
    user = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    with pytest.raises(PermissionDenied):
        actions.course_create(
            organiser=world.commune_commands[0],
            code="X",
            name="X",
            kind="it_skills",
            qualification="it_skills",
            validity_months=24,
            acting_user=user,
        )
    with pytest.raises(PermissionDenied):  # the provincial command's session: not his
        actions.session_create(
            course=course, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 2), acting_user=user
        )


def test_expiring_certificate_goes_on_the_worklist_and_closes_on_renewal(world):
    person = make_person(world.communes[0], "Đinh Văn Số", personal_id="099200000040")
    actions.certificate_record(
        person=person,
        qualification="it_skills",
        issued_on=date(2024, 3, 1),
        expires_on=date(2026, 2, 28),
        acting_user=None,
    )
    today = date(2026, 1, 15)
    assert actions.certificate_items_open(today=today) == 1
    assert actions.certificate_items_open(today=today) == 0  # idempotent
    item = WorkItem.objects.get(kind=Kind.CERTIFICATE_EXPIRING)
    assert (item.commune, item.due_on, item.detail["qualification"]) == (
        world.communes[0],
        date(2026, 2, 28),
        "it_skills",
    )
    actions.certificate_record(
        person=person,
        qualification="it_skills",
        issued_on=date(2026, 2, 20),
        expires_on=date(2028, 2, 19),
        acting_user=None,
    )
    item.refresh_from_db()
    assert item.resolved_at is not None
    assert actions.certificate_items_open(today=today) == 0  # renewed: not due again


def test_target_against_the_holders(world):
    for unit in world.commune_commands:
        positions = positions_of(unit)
        holder = make_person(world.communes[0], f"Chỉ huy {unit.code}")
        actions.position_appoint(
            position=positions[1], person=holder, valid_from=date(2025, 8, 1), acting_user=None
        )
        if unit == world.commune_commands[0]:
            actions.certificate_record(
                person=holder,
                qualification="political_theory",
                issued_on=date(2025, 10, 1),
                expires_on=None,
                acting_user=None,
            )
    actions.target_set(
        org_unit=world.provincial,
        year=2026,
        position_kind="commander",
        qualification="political_theory",
        percent=100,
        acting_user=None,
    )
    [progress] = training_figures({world.provincial.pk}, 2026, date(2026, 6, 1))
    assert (progress.holders, progress.qualified, progress.share, progress.met) == (
        3,
        1,
        Decimal("33.3"),
        False,
    )
    # Setting it again changes the share asked, not the number of targets.
    actions.target_set(
        org_unit=world.provincial,
        year=2026,
        position_kind="commander",
        qualification="political_theory",
        percent=30,
        acting_user=None,
    )
    [progress] = training_figures({world.provincial.pk}, 2026, date(2026, 6, 1))
    assert progress.met


def test_worklists_refresh_opens_the_certificate_items_once(world):
    # The refresh (not only the demo) opens the renewal items time made due.
    today = timezone.localdate()
    person = make_person(world.communes[0], "Đinh Văn Hạn", personal_id="099200000041")
    actions.certificate_record(
        person=person,
        qualification="it_skills",
        issued_on=today - timedelta(days=700),
        expires_on=today + timedelta(days=10),
        acting_user=None,
    )
    call_command("worklists", "refresh", stdout=StringIO())
    item = WorkItem.objects.get(kind=Kind.CERTIFICATE_EXPIRING)
    assert (item.person_id, item.commune) == (person.pk, world.communes[0])
    before = list(WorkItem.objects.values_list("id", "kind", "resolved_at", "commune_id"))
    events = AuditEvent.objects.count()
    out = StringIO()
    call_command("worklists", "refresh", stdout=out)
    assert "cadres_certificates: opened 0" in out.getvalue()
    assert list(WorkItem.objects.values_list("id", "kind", "resolved_at", "commune_id")) == before
    assert AuditEvent.objects.count() == events
