"""The reserve register pages: a commune's register with category, group and status on the
day asked about, filters, downloads with the heading, a reservist's changes, the entry form."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.test import Client
from openpyxl import load_workbook

from muster.accounts.models import Role
from muster.audit.models import AuditEvent, ReadEvent
from muster.people.tests.factories import make_person
from muster.reserve import actions, rules
from muster.reserve.models import ReserveMembership


@pytest.fixture
def client(world) -> Client:
    young = make_person(world.communes[0], "Hoàng Văn Dự", personal_id="099200000111",
                        birth_date=date(2000, 4, 2))  # fmt: skip
    old = make_person(world.communes[0], "Lê Văn Già", personal_id="099200000222",
                      birth_date=date(1980, 1, 10))  # fmt: skip
    actions.reserve_enter(person=young, entry=rules.ReserveEntry(2, "RES_CAT2_A"),
                          entered_on=date(2022, 5, 1), source="t", specialty="DRIVER",
                          acting_user=None)  # fmt: skip
    actions.reserve_enter(person=old, entry=rules.ReserveEntry(1, "RES_CAT1_A"),
                          entered_on=date(2010, 5, 1), source="t", acting_user=None)  # fmt: skip
    outside = make_person(world.communes[2], "Trần Văn Xa", personal_id="099200000333")
    actions.reserve_enter(person=outside, entry=rules.ReserveEntry(1, "RES_CAT1_A"),
                          entered_on=date(2022, 5, 1), source="t", acting_user=None)  # fmt: skip
    client = Client()
    client.force_login(world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0]))
    return client


def test_register_shows_the_day_asked_about(client):
    body = client.get("/reserve/register/99001/?as_of=2025-12-31").content.decode()
    assert "Hoàng Văn Dự" in body
    assert "Lê Văn Già" in body
    assert "099200000333" not in body
    assert "Trong ngạch dự bị" in body  # Lê Văn Già turns 46 only on 10/01/2026
    earlier = client.get("/reserve/register/99001/?as_of=2021-01-01").content.decode()
    assert "Hoàng Văn Dự" not in earlier
    assert "Lê Văn Già" in earlier
    read = ReadEvent.objects.filter(action="reserve.register.viewed")
    assert read.count() == 3


def test_filters(client):
    body = client.get("/reserve/register/99001/?as_of=2026-06-01&status=aged_out").content.decode()
    assert "Lê Văn Già" in body
    assert "Hoàng Văn Dự" not in body
    body = client.get("/reserve/register/99001/?as_of=2026-06-01&specialty=DRIVER").content.decode()
    assert "Hoàng Văn Dự" in body
    assert "Lê Văn Già" not in body
    assert client.get("/reserve/register/99003/").status_code == 404


def test_download_carries_the_heading(client):
    response = client.get("/reserve/register/99001/?as_of=2026-06-01&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Hoàng Văn Dự" in text
    csv = client.get("/reserve/register/99001/?export=csv").content.decode("utf-8-sig")
    assert "Lê Văn Già" in csv


def test_reservist_changes(client):
    page = client.get("/reserve/register/person/099200000111/").content.decode()
    assert "Đã tham gia huấn luyện: 0 ngày" in page
    response = client.post(
        "/reserve/register/person/099200000111/change/",
        {"what": "category", "training_from": "2025-01-06", "training_to": "2025-07-05"},
    )
    assert response.status_code == 302
    m = ReserveMembership.objects.get(person__personal_id="099200000111")
    assert m.category1_on == date(2025, 7, 5)
    short = client.post(
        "/reserve/register/person/099200000111/change/",
        {"what": "update", "rank": "DAI_TA", "specialty": "MEDIC"},
    )
    assert short.status_code == 422
    assert AuditEvent.objects.filter(action="reserve.member.category_changed").count() == 1
    assert client.get("/reserve/register/person/099200000333/").status_code == 404


def test_entry_form(client, world):
    person = make_person(world.communes[0], "Phạm Văn Mới", personal_id="099200000444",
                         birth_date=date(1995, 2, 2))  # fmt: skip
    response = client.post(
        "/reserve/register/enter/",
        {"personal_id": "099200000444", "basis": "RES_CAT2_DD", "entered_on": "2026-01-05"},
    )
    assert response.status_code == 422
    assert "RES_CAT2_DD" not in response.content.decode().split("<form")[0]
    response = client.post(
        "/reserve/register/enter/",
        {"personal_id": "099200000444", "basis": "RES_CAT2_D", "entered_on": "2026-01-05",
         "specialty": "COOK"},
    )  # fmt: skip
    assert response.status_code == 302
    m = ReserveMembership.objects.get(person=person)
    assert (m.category, m.basis_code, m.specialty) == (2, "RES_CAT2_D", "COOK")
