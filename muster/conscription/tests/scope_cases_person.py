"""Scope cases for the person-page routes of military service (merged by scope_cases.py).

`prepare` gives both persons (IN_ID in the user's commune, OUT_ID outside it) an examination,
a decision and an evidence document, stored under a temporary MEDIA_ROOT.
"""

from __future__ import annotations

import tempfile
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from muster.accounts.tests.factories import World
from muster.conscription.actions.records import (
    evidence_attach,
    ground_decision_record,
    health_exam_record,
)
from muster.conscription.models import Evidence, GroundDecision, HealthExam
from muster.people.models import Person
from tests.scope_support import IN_ID, OUT_ID, Case, Write

_MEDIA = override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="muster-scope-evidence-"))


def prepare(world: World) -> None:
    _MEDIA.enable()  # evidence files of the scope world; never the working tree
    for pid in (IN_ID, OUT_ID):
        person = Person.objects.get(personal_id=pid)
        health_exam_record(
            person=person, examined_on=date(2025, 11, 20), board="", health_class=2,
            myopia_diopters=None, hyperopia=None, bmi=None, drug_addiction=None, notes="",
            acting_user=None,
        )  # fmt: skip
        decision = ground_decision_record(
            person=person, kind="deferral", ground_code="DEF_STUDENT",
            decided_on=date(2025, 9, 1), valid_until=None, decided_by="", note="",
            acting_user=None,
        )  # fmt: skip
        evidence_attach(
            decision=decision,
            uploaded_file=SimpleUploadedFile(f"{pid}.pdf", b"%PDF-1.4\n" + pid.encode()),
            acting_user=None,
        )


def _person(pid: str) -> int:
    return Person.objects.get(personal_id=pid).pk


def _exam(pid: str) -> int:
    exam = HealthExam.objects.filter(person__personal_id=pid).first()
    assert exam is not None
    return exam.pk


def _decision(pid: str) -> int:
    decision = GroundDecision.objects.filter(person__personal_id=pid).first()
    assert decision is not None
    return decision.pk


def _evidence(pid: str) -> int:
    evidence = Evidence.objects.filter(decision__person__personal_id=pid).first()
    assert evidence is not None
    return evidence.pk


CASES: dict[str, Case] = {
    "api-v1:person_service_records": Case(
        lambda w: f"/api/v1/persons/{IN_ID}/service",
        lambda w: f"/api/v1/persons/{OUT_ID}/service",
        api=True,
    ),
    "conscription:person_service": Case(
        lambda w: f"/callup/person/{_person(IN_ID)}/service/",
        lambda w: f"/callup/person/{_person(OUT_ID)}/service/",
    ),
    "conscription:person_registration_add": Case(
        lambda w: f"/callup/person/{_person(IN_ID)}/registration/",
        lambda w: f"/callup/person/{_person(OUT_ID)}/registration/",
        method="post",
        data=lambda w: {"reg-kind": "first", "reg-registered_on": "2018-04-10"},
        in_status=302,
    ),
    "conscription:person_exam_add": Case(
        lambda w: f"/callup/person/{_person(IN_ID)}/exam/",
        lambda w: f"/callup/person/{_person(OUT_ID)}/exam/",
        method="post",
        data=lambda w: {"exam-examined_on": "2025-11-21", "exam-health_class": "1"},
        in_status=302,
    ),
    "conscription:person_decision_add": Case(
        lambda w: f"/callup/person/{_person(IN_ID)}/decision/",
        lambda w: f"/callup/person/{_person(OUT_ID)}/decision/",
        method="post",
        data=lambda w: {
            "dec-kind": "deferral",
            "dec-ground_code": "DEF_SOLE_CARER",
            "dec-decided_on": "2025-10-01",
        },
        in_status=302,
    ),
    "conscription:person_exam_details": Case(
        lambda w: f"/callup/exam/{_exam(IN_ID)}/details/",
        lambda w: f"/callup/exam/{_exam(OUT_ID)}/details/",
    ),
    # No file posted: the form's error page (200) in scope, 404 outside it.
    "conscription:person_evidence_add": Case(
        lambda w: f"/callup/decision/{_decision(IN_ID)}/evidence/",
        lambda w: f"/callup/decision/{_decision(OUT_ID)}/evidence/",
        method="post",
        data=lambda w: {},
    ),
    "conscription:person_evidence_download": Case(
        lambda w: f"/callup/evidence/{_evidence(IN_ID)}/",
        lambda w: f"/callup/evidence/{_evidence(OUT_ID)}/",
    ),
}


# Writes to the records of the person outside the user's commune.
WRITES: dict[str, Write] = {
    "conscription:person_registration_add": Write(
        lambda w: f"/callup/person/{_person(OUT_ID)}/registration/",
        lambda w: {"reg-kind": "first", "reg-registered_on": "2018-04-10"},
    ),
    "conscription:person_exam_add": Write(
        lambda w: f"/callup/person/{_person(OUT_ID)}/exam/",
        lambda w: {"exam-examined_on": "2025-11-21", "exam-health_class": "1"},
    ),
    "conscription:person_decision_add": Write(
        lambda w: f"/callup/person/{_person(OUT_ID)}/decision/",
        lambda w: {
            "dec-kind": "deferral",
            "dec-ground_code": "DEF_SOLE_CARER",
            "dec-decided_on": "2025-10-01",
        },
    ),
    "conscription:person_evidence_add": Write(
        lambda w: f"/callup/decision/{_decision(OUT_ID)}/evidence/"
    ),
}
