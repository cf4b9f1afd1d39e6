"""The activity pages: a commune calls a training, readiness check or unit activity, and
records who attended, who was excused (by code) and who was absent."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.audit.models import ReadEvent
from muster.people.models import Person
from muster.people.tests.factories import make_person
from muster.reserve import actions, rules
from muster.reserve.models import ReserveActivity, ReserveAttendance


@pytest.fixture
def client(world: World) -> Client:
    person = make_person(world.communes[0], "Hoàng Văn Dự", personal_id="099200000111",
                         birth_date=date(1998, 4, 2))  # fmt: skip
    actions.reserve_enter(person=person, entry=rules.ReserveEntry(1, "RES_CAT1_A"),
                          entered_on=date(2022, 5, 1), source="t", acting_user=None)  # fmt: skip
    client = Client()
    client.force_login(world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0]))
    return client


def test_call_an_activity_and_record_attendance(client):
    refused = client.post(
        "/reserve/register/activities/99001/",
        {"kind": "readiness_check", "title": "Kiểm tra", "starts_on": "2026-05-04",
         "ends_on": "2026-05-12"},
    )  # fmt: skip
    assert refused.status_code == 422
    assert not ReserveActivity.objects.exists()
    response = client.post(
        "/reserve/register/activities/99001/",
        {"kind": "readiness_check", "title": "Kiểm tra", "starts_on": "2026-05-04",
         "ends_on": "2026-05-06"},
    )  # fmt: skip
    assert response.status_code == 302
    activity = ReserveActivity.objects.get()
    page = client.get(f"/reserve/register/activity/{activity.pk}/").content.decode()
    assert "Hoàng Văn Dự" in page
    excused = client.post(
        f"/reserve/register/activity/{activity.pk}/",
        {"personal_id": "099200000111", "status": "excused", "excuse_code": "RDEF_EXAM_CONFLICT"},
    )
    assert excused.status_code == 302
    assert ReserveAttendance.objects.get().excuse_code == "RDEF_EXAM_CONFLICT"
    missing = client.post(
        f"/reserve/register/activity/{activity.pk}/",
        {"personal_id": "099200000111", "status": "excused", "excuse_code": ""},
    )
    assert missing.status_code == 422
    assert client.get("/reserve/register/activities/99003/").status_code == 404


def test_both_lists_download_in_words_and_log_the_roll(client, world):
    activity = actions.reserve_activity_create(
        commune=world.communes[0], kind="readiness_check", title="Kiểm tra SSCĐ",
        starts_on=date(2026, 5, 4), ends_on=date(2026, 5, 6), acting_user=None,
    )  # fmt: skip
    listed = client.get("/reserve/register/activities/99001/?export=csv")
    assert listed["Content-Disposition"].endswith('.csv"')
    text = listed.content.decode("utf-8-sig")
    assert "Kiểm tra SSCĐ" in text
    assert "04/05/2026" in text
    assert "readiness_check" not in text  # the kind in words, not its code
    xlsx = client.get("/reserve/register/activities/99001/?export=xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    assert client.get("/reserve/register/activities/99001/?export=pdf").status_code == 404
    assert client.get("/reserve/register/activities/99003/?export=csv").status_code == 404
    roll = client.get(f"/reserve/register/activity/{activity.pk}/?export=csv")
    assert "Hoàng Văn Dự" in roll.content.decode("utf-8-sig")
    person = Person.objects.get(personal_id="099200000111")
    assert ReadEvent.objects.filter(channel="csv", target_id=str(person.pk)).exists()
    assert client.get(f"/reserve/register/activity/{activity.pk}/?export=xlsx").status_code == 200
