"""GET /api/v1/persons/{personal_id}/service: the records, no sealed details, scope (404),
the read logged, auth (401)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from muster.accounts.actions import api_token_issue
from muster.accounts.models import Role
from muster.accounts.tests.factories import World, build_world
from muster.audit.models import ReadEvent
from muster.conscription.actions.records import (
    ground_decision_record,
    health_exam_record,
    registration_record,
)
from muster.conscription.models import ServiceRecord
from muster.people.models import Person
from muster.people.tests.factories import make_person


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def man(world) -> Person:
    person = make_person(world.communes[0], "Trần Văn Nam", birth_date=date(2004, 6, 1))
    registration_record(
        person=person, registered_on=date(2021, 4, 12), kind="first",
        education_level="grade_12", occupation="Làm nông", acting_user=None,
    )  # fmt: skip
    health_exam_record(
        person=person, examined_on=date(2025, 11, 10), board="Hội đồng khám sức khỏe tỉnh",
        health_class=3, myopia_diopters=2.25, hyperopia=False, bmi=21.5, drug_addiction=False,
        notes="Cận thị nặng", acting_user=None,
    )  # fmt: skip
    ground_decision_record(
        person=person, kind="deferral", ground_code="DEF_SOLE_CARER",
        decided_on=date(2025, 8, 20), valid_until=date(2026, 8, 19), decided_by="Chủ tịch UBND tỉnh",
        note="", acting_user=None,
    )  # fmt: skip
    ServiceRecord.objects.create(
        person=person, unit_name="Lữ đoàn 543", enlisted_on=date(2026, 3, 1)
    )
    return person


def _client(world: World, jurisdiction_index: int) -> Client:
    user = world.user(
        f"xa{jurisdiction_index}", Role.COMMUNE_STAFF, world.commune_commands[jurisdiction_index]
    )
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_token_issue(user=user)}"
    return client


def test_the_records_without_sealed_details(world, man):
    response = _client(world, 0).get(f"/api/v1/persons/{man.personal_id}/service")
    assert response.status_code == 200
    body = response.json()
    assert set(body) >= {"registrations", "examinations", "decisions", "service_records"}
    assert body["registrations"] == [
        {
            "kind": "first", "registered_on": "2021-04-12", "commune_code": "99001",
            "education_level": "grade_12", "occupation": "Làm nông", "removed_on": None,
            "removal_reason": "", "source": "manual",
        }
    ]  # fmt: skip
    [exam] = body["examinations"]
    assert (exam["examined_on"], exam["health_class"]) == ("2025-11-10", 3)
    assert "HC3_MYOPIA" in exam["outcome_codes"]
    text = response.content.decode()
    for sealed in ("2.25", "myopia_diopters", "Cận thị nặng", "sealed"):
        assert sealed not in text
    [decision] = body["decisions"]
    assert decision["ground_code"] == "DEF_SOLE_CARER"
    assert "Điều 41" in decision["citation"]
    assert body["service_records"][0]["unit_name"] == "Lữ đoàn 543"
    read = ReadEvent.objects.get(action="people.person.viewed", channel="api")
    assert read.target_id == str(man.pk)


def test_out_of_jurisdiction_is_404_like_a_missing_person(world, man):
    client = _client(world, 2)
    assert client.get(f"/api/v1/persons/{man.personal_id}/service").status_code == 404
    assert client.get("/api/v1/persons/099999999999/service").status_code == 404
    assert not ReadEvent.objects.filter(channel="api").exists()


def test_without_a_token_401(man):
    assert Client().get(f"/api/v1/persons/{man.personal_id}/service").status_code == 401
