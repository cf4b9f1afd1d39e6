"""The training pages: a provincial user creates a course and a session, enrols a cadre and
records the result (the certificate shows), and sets a target seen against actuals."""

from __future__ import annotations

import pytest
from django.test import Client

from muster.accounts.models import Role
from muster.audit.models import ReadEvent
from muster.cadres.models import Course, CourseSession, Enrolment
from muster.people.tests.factories import make_person

PID = "099200000050"


@pytest.fixture
def provincial(world) -> Client:
    make_person(world.communes[0], "Lương Văn Học", personal_id=PID)
    client = Client()
    client.force_login(world.user("tinh", Role.PROVINCE_STAFF, world.provincial))
    return client


def test_course_session_enrol_and_result(provincial, world):
    response = provincial.post(
        "/cadres/training/new/",
        {
            "organiser": world.provincial.code,
            "code": "CNTT-1",
            "name": "Kỹ năng số cho cán bộ",
            "kind": "it_skills",
            "qualification": "it_skills",
            "validity_months": "24",
        },
    )
    assert response.status_code == 302
    course = Course.objects.get(code="CNTT-1")
    assert course.organiser == world.provincial
    response = provincial.post(
        f"/cadres/training/{course.pk}/sessions/new/",
        {"starts_on": "2026-04-06", "ends_on": "2026-04-10", "place": "Trường Quân sự tỉnh"},
    )
    session = CourseSession.objects.get(course=course)
    assert response["Location"] == f"/cadres/training/sessions/{session.pk}/"
    provincial.post(f"/cadres/training/sessions/{session.pk}/enrol/", {"personal_id": PID})
    enrolment = Enrolment.objects.get(session=session)
    page = provincial.get(f"/cadres/training/sessions/{session.pk}/").content.decode()
    assert "Lương Văn Học" in page
    assert ReadEvent.objects.filter(action="cadres.trainee.viewed").exists()
    provincial.post(
        f"/cadres/training/enrolments/{enrolment.pk}/result/",
        {"attendance": "full", "result": "passed", "score": "92", "result_on": "2026-04-10"},
    )
    page = provincial.get(f"/cadres/training/sessions/{session.pk}/").content.decode()
    assert "09/04/2028" in page  # the certificate's last day: 24 months less a day
    assert "92,00" in page
    csv = provincial.get(f"/cadres/training/sessions/{session.pk}/?export=csv")
    assert "Lương Văn Học" in csv.content.decode("utf-8-sig")
    courses = provincial.get("/cadres/training/").content.decode()
    assert "Kỹ năng số cho cán bộ" in courses


def test_targets_page(provincial, world):
    response = provincial.post(
        "/cadres/targets/set/",
        {
            "unit": world.provincial.code,
            "year": "2026",
            "position_kind": "commander",
            "qualification": "political_theory",
            "percent": "100",
        },
    )
    assert response.status_code == 302
    page = provincial.get("/cadres/targets/?year=2026").content.decode()
    assert 'id="targets"' in page
    assert "lý luận chính trị" in page.lower()


def test_commune_user_does_not_see_the_provincial_session(provincial, world):
    course = Course.objects.create(
        code="C", name="C", kind="specialty", qualification="specialty", organiser=world.provincial
    )
    session = CourseSession.objects.create(
        course=course, starts_on="2026-04-06", ends_on="2026-04-10"
    )
    client = Client()
    client.force_login(world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0]))
    assert client.get(f"/cadres/training/sessions/{session.pk}/").status_code == 404
    assert 'id="courses"' not in client.get("/cadres/training/").content.decode()
