"""The positions pages: the commands with their figures, one command's holders and gaps, and
a provincial user appointing a commune commander who lacks a qualification."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from muster.accounts.models import Role
from muster.audit.models import ReadEvent
from muster.cadres.tests.factories import certificate, positions_of
from muster.orgs.models import Appointment
from muster.people.tests.factories import make_person

PID = "099200000020"


@pytest.fixture
def provincial(world) -> Client:
    for unit in world.commune_commands:
        positions_of(unit)
    person = make_person(world.communes[0], "Đỗ Văn Khoa", personal_id=PID)
    certificate(person, "gm_university", date(2021, 6, 1))
    certificate(person, "reserve_officer", date(2020, 1, 1))
    client = Client()
    client.force_login(world.user("tinh", Role.PROVINCE_STAFF, world.provincial))
    return client


def test_appoint_a_commune_commander_and_see_the_gap(provincial, world):
    code = world.commune_commands[0].code
    page = provincial.get(f"/cadres/positions/{code}/").content.decode()
    assert "Chỉ huy trưởng" in page
    assert 'id="appoint"' in page
    commander = positions_of(world.commune_commands[0])[1]
    response = provincial.post(
        f"/cadres/positions/{code}/appoint/",
        {"position": commander.pk, "personal_id": PID, "valid_from": "2026-01-05"},
        follow=True,
    )
    body = response.content.decode()
    assert "Đỗ Văn Khoa" in body
    # The warning names the rule in words, and the row lists the gap with its code on hover.
    assert "lý luận chính trị" in body.lower()
    assert 'title="CADRE_POLITICAL_THEORY"' in body
    assert Appointment.objects.get(position=commander).valid_from == date(2026, 1, 5)
    assert ReadEvent.objects.filter(action="cadres.holder.viewed").exists()

    csv = provincial.get(f"/cadres/positions/{code}/?export=csv").content.decode("utf-8-sig")
    assert "Đỗ Văn Khoa" in csv
    assert "05/01/2026" in csv

    index = provincial.get("/cadres/").content.decode()
    assert f"/cadres/positions/{code}/" in index


def test_dismiss_and_history(provincial, world):
    code = world.commune_commands[0].code
    commander = positions_of(world.commune_commands[0])[1]
    provincial.post(
        f"/cadres/positions/{code}/appoint/",
        {"position": commander.pk, "personal_id": PID, "valid_from": "2026-01-05"},
    )
    appointment = Appointment.objects.get(position=commander)
    response = provincial.post(
        f"/cadres/positions/{code}/dismiss/",
        {"appointment": appointment.pk, "valid_to": "2026-03-31"},
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.valid_to == date(2026, 3, 31)
    page = provincial.get(f"/cadres/positions/{code}/").content.decode()
    assert "31/03/2026" in page  # the history, day first
    past = provincial.get(f"/cadres/positions/{code}/?as_of=2026-02-01").content.decode()
    assert 'id="appoint"' not in past  # appointments are made on today's page only


def test_commune_user_sees_but_may_not_appoint(world):
    positions_of(world.commune_commands[0])
    client = Client()
    client.force_login(world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0]))
    page = client.get(f"/cadres/positions/{world.commune_commands[0].code}/")
    assert page.status_code == 200
    assert 'id="appoint"' not in page.content.decode()
    assert client.get(f"/cadres/positions/{world.commune_commands[2].code}/").status_code == 404
    commander = positions_of(world.commune_commands[0])[1]
    refused = client.post(
        f"/cadres/positions/{world.commune_commands[0].code}/appoint/",
        {"position": commander.pk, "personal_id": PID, "valid_from": "2026-01-05"},
    )
    assert refused.status_code == 403


def test_designating_a_border_commune_establishes_a_second_deputy(provincial, world):
    code = world.commune_commands[0].code
    before = provincial.get(f"/cadres/positions/{code}/").content.decode()
    assert before.count('class="muted"') == 1  # the second deputy commander
    response = provincial.post(
        f"/cadres/positions/{code}/designate/",
        {"designations": ["border"], "valid_from": "2026-01-01"},
    )
    assert response.status_code == 302
    after = provincial.get(f"/cadres/positions/{code}/").content.decode()
    assert 'class="muted"' not in after
    assert "Xã biên giới" in after
