"""`/api/v1/reserve/reservists`: the register of a province or commune with category, group
and status as of a day, filters, a reservist's periods; scoped (404 outside) and read-logged."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from muster.accounts.actions import api_token_issue
from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.audit.models import ReadEvent
from muster.people.tests.factories import make_person
from muster.reserve import actions, rules


@pytest.fixture
def client(world: World) -> Client:
    for pid, commune, born, basis in (
        ("099200000111", world.communes[0], date(1995, 4, 2), "RES_CAT1_A"),
        ("099200000222", world.communes[1], date(1980, 1, 10), "RES_CAT2_D"),
        ("099200000333", world.communes[2], date(1995, 4, 2), "RES_CAT1_A"),
    ):
        person = make_person(commune, "Nguyễn Văn Dự", personal_id=pid, birth_date=born)
        actions.reserve_enter(person=person, entry=rules.entry_for_basis(basis) or rules.ReserveEntry(1, basis),
                              entered_on=date(2018, 5, 1), source="t", acting_user=None)  # fmt: skip
    user = world.user("kv1", Role.AREA_STAFF, world.areas[0])
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_token_issue(user=user)}"
    return client


def test_list_with_status_as_of_a_day(client, world):
    body = client.get(
        f"/api/v1/reserve/reservists?province={world.province.code}&as_of=2026-06-01"
    ).json()
    assert body["count"] == 2  # commune 99003 lies outside area 1
    by_id = {i["personal_id"]: i for i in body["items"]}
    assert by_id["099200000111"]["status"] == "in_reserve"
    assert by_id["099200000111"]["group"] == "A"
    assert by_id["099200000222"]["status"] == "aged_out"
    assert by_id["099200000222"]["category"] == 2
    assert body["counts"] == {"in_reserve": 1, "aged_out": 1, "left": 0}
    only = client.get(
        "/api/v1/reserve/reservists?commune=99001&as_of=2026-06-01&status=aged_out"
    ).json()
    assert only["count"] == 0
    assert ReadEvent.objects.filter(action="reserve.register.viewed", channel="api").count() == 2


def test_detail_and_scope(client):
    body = client.get("/api/v1/reserve/reservists/099200000111").json()
    assert [p["basis"] for p in body["periods"]] == ["RES_CAT1_A"]
    assert client.get("/api/v1/reserve/reservists/099200000333").status_code == 404
    assert client.get("/api/v1/reserve/reservists?commune=99003").status_code == 404


def test_exactly_one_area(client, world):
    assert client.get("/api/v1/reserve/reservists").status_code == 422
    both = f"/api/v1/reserve/reservists?commune=99001&province={world.province.code}"
    body = client.get(both).json()
    assert body["code"] == "INVALID_INPUT"
    assert [e["code"] for e in body["detail"]] == ["RESERVE_AREA_REQUIRED"]
