"""Route scope cases of the cadres pages (collected by tests/test_route_scopes.py): the
shared world gives commune commands 99001 and 99003 a commander each; the user (commune
99001's command) must not see or change 99003's command."""

from __future__ import annotations

from datetime import date

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.cadres.models import (
    Course,
    CourseSession,
    CriteriaSet,
    Criterion,
    Enrolment,
    TrainingTarget,
)
from muster.orgs.models import Appointment, OrgUnit, Position
from muster.people.models import Person
from tests.scope_support import IN_ID, OUT_ID, Case, Write


def prepare(world: World) -> None:
    """A course of each commune command (99001's and 99003's) with a session each person is
    enrolled in, and a training target of each."""
    for index, pid in ((0, IN_ID), (2, OUT_ID)):
        unit = world.commune_commands[index]
        course = Course.objects.create(
            code=f"K-{unit.code}",
            name=f"Khóa {unit.code}",
            kind="specialty",
            qualification="specialty",
            organiser=unit,
        )
        session = CourseSession.objects.create(
            course=course, starts_on=date(2026, 3, 2), ends_on=date(2026, 3, 6)
        )
        Enrolment.objects.create(
            session=session,
            person=Person.objects.get(personal_id=pid),
            enrolled_on=date(2026, 2, 1),
        )
        TrainingTarget.objects.create(
            org_unit=unit,
            year=2026,
            position_kind="commander",
            qualification="political_theory",
            percent=100,
        )
    _unit_set()


def _unit_set() -> CriteriaSet:
    found, _created = CriteriaSet.objects.get_or_create(
        year=2026,
        subject="unit",
        code="SCOPE",
        defaults={
            "name": "Đơn vị",
            "excellent_from": 90,
            "good_from": 70,
            "pass_from": 50,
        },
    )
    Criterion.objects.get_or_create(
        criteria_set=found, code="strong", defaults={"name": "Vững mạnh", "weight": 1, "ordinal": 1}
    )
    return found


def _assess_data(w: World, index: int) -> dict[str, str]:
    return {"command": w.commune_commands[index].code, "score_strong": "80"}


def _course(w: World, index: int) -> Course:
    return Course.objects.get(organiser=w.commune_commands[index])


def _session(w: World, index: int) -> CourseSession:
    return CourseSession.objects.get(course=_course(w, index))


def _enrolment(w: World, index: int) -> Enrolment:
    return Enrolment.objects.get(session=_session(w, index))


RESULT = {"attendance": "full", "result": "passed", "score": "90", "result_on": "2026-03-06"}


def _course_data(w: World, index: int) -> dict[str, str]:
    return {
        "organiser": w.commune_commands[index].code,
        "code": f"NEW-{index}",
        "name": "Khóa mới",
        "kind": "it_skills",
        "qualification": "it_skills",
    }


def _target_data(w: World, index: int) -> dict[str, str]:
    return {
        "unit": w.commune_commands[index].code,
        "year": "2026",
        "position_kind": "assistant",
        "qualification": "gm_college",
        "percent": "80",
    }


def _commander(unit: OrgUnit) -> Position:
    return Position.objects.get(org_unit=unit, ordinal=1)


def _appoint_data(unit: OrgUnit) -> dict[str, str]:
    return {
        "position": str(_commander(unit).pk),
        "personal_id": IN_ID,
        "valid_from": "2026-01-05",
    }


def _dismiss_data(unit: OrgUnit) -> dict[str, str]:
    appointment = Appointment.objects.get(position=_commander(unit))
    return {"appointment": str(appointment.pk), "valid_to": "2026-03-31"}


def _path(w: World, index: int, verb: str = "") -> str:
    code = w.commune_commands[index].code
    return f"/cadres/positions/{code}/{verb + '/' if verb else ''}"


CRITERIA = {
    "year": "2026",
    "subject": "unit",
    "code": "SCOPE2",
    "name": "Đơn vị",
    "excellent_from": "90",
    "good_from": "70",
    "pass_from": "50",
    "c1_code": "strong",
    "c1_name": "Vững mạnh",
    "c1_weight": "100",
}

CASES: dict[str, Case] = {
    "cadres:index": Case(lambda w: "/cadres/"),
    # National configuration: shown to all, set by administrators only (403 for the rest).
    "cadres:criteria": Case(lambda w: "/cadres/criteria/?year=2026"),
    "cadres:criteria_save": Case(
        lambda w: "/cadres/criteria/save/", method="post", data=lambda w: CRITERIA, in_status=403
    ),
    "cadres:command": Case(lambda w: _path(w, 0), lambda w: _path(w, 2)),
    # Provincial staff appoint (accounts.permissions); here with commune 99001's command as
    # jurisdiction, so 99003's command stays out of reach.
    "cadres:appoint": Case(
        lambda w: _path(w, 0, "appoint"),
        lambda w: _path(w, 2, "appoint"),
        method="post",
        data=lambda w: _appoint_data(w.commune_commands[0]),
        in_status=302,
        role=Role.PROVINCE_STAFF,
    ),
    "cadres:dismiss": Case(
        lambda w: _path(w, 0, "dismiss"),
        lambda w: _path(w, 2, "dismiss"),
        method="post",
        data=lambda w: _dismiss_data(w.commune_commands[0]),
        in_status=302,
        role=Role.PROVINCE_STAFF,
    ),
    "cadres:designate": Case(
        lambda w: _path(w, 0, "designate"),
        lambda w: _path(w, 2, "designate"),
        method="post",
        data=lambda w: {"designations": "border", "valid_from": "2026-01-01"},
        in_status=302,
        role=Role.PROVINCE_STAFF,
    ),
    "cadres:courses": Case(lambda w: "/cadres/training/"),
    "cadres:targets": Case(lambda w: "/cadres/targets/?year=2026"),
    "cadres:session": Case(
        lambda w: f"/cadres/training/sessions/{_session(w, 0).pk}/",
        lambda w: f"/cadres/training/sessions/{_session(w, 2).pk}/",
    ),
    "cadres:enrol": Case(
        lambda w: f"/cadres/training/sessions/{_session(w, 0).pk}/enrol/",
        lambda w: f"/cadres/training/sessions/{_session(w, 2).pk}/enrol/",
        method="post",
        data=lambda w: {"personal_id": IN_ID},
        in_status=302,
    ),
    "cadres:result": Case(
        lambda w: f"/cadres/training/enrolments/{_enrolment(w, 0).pk}/result/",
        lambda w: f"/cadres/training/enrolments/{_enrolment(w, 2).pk}/result/",
        method="post",
        data=lambda w: RESULT,
        in_status=302,
    ),
    "cadres:session_create": Case(
        lambda w: f"/cadres/training/{_course(w, 0).pk}/sessions/new/",
        lambda w: f"/cadres/training/{_course(w, 2).pk}/sessions/new/",
        method="post",
        data=lambda w: {"starts_on": "2026-05-04", "ends_on": "2026-05-08"},
        in_status=302,
        role=Role.PROVINCE_STAFF,
    ),
    # The command is named in the form: another's is a 404 like its page.
    "cadres:course_create": Case(
        lambda w: "/cadres/training/new/",
        method="post",
        data=lambda w: _course_data(w, 0),
        in_status=302,
        role=Role.PROVINCE_STAFF,
    ),
    "cadres:target_set": Case(
        lambda w: "/cadres/targets/set/",
        method="post",
        data=lambda w: _target_data(w, 0),
        in_status=302,
        role=Role.PROVINCE_STAFF,
    ),
    "cadres:assessments": Case(lambda w: "/cadres/assessments/?year=2026"),
    # The command is named in the form: another's is a 404.
    "cadres:assessment_record": Case(
        lambda w: f"/cadres/assessments/{_unit_set().pk}/record/",
        method="post",
        data=lambda w: _assess_data(w, 0),
        in_status=302,
        role=Role.PROVINCE_STAFF,
    ),
}

WRITES: dict[str, Write] = {
    "cadres:criteria_save": Write(lambda w: "/cadres/criteria/save/", lambda w: CRITERIA),
    "cadres:appoint": Write(
        lambda w: _path(w, 2, "appoint"), lambda w: _appoint_data(w.commune_commands[2])
    ),
    "cadres:dismiss": Write(
        lambda w: _path(w, 2, "dismiss"), lambda w: _dismiss_data(w.commune_commands[2])
    ),
    "cadres:designate": Write(
        lambda w: _path(w, 2, "designate"),
        lambda w: {"designations": "border", "valid_from": "2026-01-01"},
    ),
    "cadres:enrol": Write(
        lambda w: f"/cadres/training/sessions/{_session(w, 2).pk}/enrol/",
        lambda w: {"personal_id": OUT_ID},
    ),
    "cadres:result": Write(
        lambda w: f"/cadres/training/enrolments/{_enrolment(w, 2).pk}/result/", lambda w: RESULT
    ),
    "cadres:session_create": Write(
        lambda w: f"/cadres/training/{_course(w, 2).pk}/sessions/new/",
        lambda w: {"starts_on": "2026-05-04", "ends_on": "2026-05-08"},
    ),
    "cadres:course_create": Write(lambda w: "/cadres/training/new/", lambda w: _course_data(w, 2)),
    "cadres:target_set": Write(lambda w: "/cadres/targets/set/", lambda w: _target_data(w, 2)),
    "cadres:assessment_record": Write(
        lambda w: f"/cadres/assessments/{_unit_set().pk}/record/", lambda w: _assess_data(w, 2)
    ),
}
