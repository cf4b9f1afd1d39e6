"""The civil-defence API: hazards from GeoJSON (422 naming the feature, 403 outside), exposure
as an estimate, plans computed and read; scoped like the pages."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client

from muster.accounts.actions import api_token_issue
from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent
from muster.civildefence.tests.factories import SIDE, SOUTH, WEST, square
from muster.people.tests.factories import make_person

API = "/api/v1/civil-defence"


@pytest.fixture
def client(world: World) -> Client:
    user = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    return Client(headers={"Authorization": f"Bearer {api_token_issue(user=user)}"})


def post(client: Client, path: str, data: dict[str, Any]) -> Any:
    return client.post(f"{API}{path}", json.dumps(data), content_type="application/json")


def _body(key: str, geojson: dict[str, Any]) -> dict[str, Any]:
    return {
        "key": key,
        "kind": "flash_flood",
        "name": "Lũ quét",
        "valid_from": "2026-09-09",
        "severity": 3,
        "geojson": geojson,
    }


def test_hazard_exposure_and_plan(world, client):
    for _ in range(8):
        make_person(world.communes[0], birth_date=date(1950, 1, 1))
    answer = post(
        client, "/hazards", _body("LANG-NU", square(WEST, SOUTH, WEST + SIDE / 2, SOUTH + SIDE))
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["version"] == 1
    assert answer.json()["communes"] == 1
    assert client.get(f"{API}/hazards").json()[0]["key"] == "LANG-NU"
    detail = client.get(f"{API}/hazards/LANG-NU").json()
    assert detail["geometry"]["type"] == "Polygon"
    assert detail["versions"] == [1]
    exposure = client.get(f"{API}/hazards/LANG-NU/exposure?as_of=2026-09-10").json()
    assert exposure["estimate"] is True
    assert exposure["items"][0]["people"] == 8
    assert exposure["items"][0]["people_in_zone"] == 4
    assert exposure["items"][0]["vulnerable_in_zone"] == 4
    computed = post(client, "/hazards/LANG-NU/plans", {"as_of": "2026-09-10"})
    assert computed.status_code == 201, computed.content
    plan = computed.json()
    assert plan["unit"] == world.commune_commands[0].code
    assert plan["travel_method"] == "straight_line"
    found = client.get(f"{API}/plans/{plan['id']}").json()
    assert {a["resource_kind"] for a in found["assignments"]} == {"shortfall"}
    assert [p["id"] for p in client.get(f"{API}/plans?hazard=LANG-NU").json()] == [plan["id"]]
    assert AuditEvent.objects.filter(action="civildefence.plan.computed").count() == 1


def test_refusals(world, client):
    bad = post(
        client,
        "/hazards",
        _body("X", {"type": "LineString", "coordinates": [[104, 22], [105, 23]]}),
    )
    assert bad.status_code == 422
    item = bad.json()["detail"][0]
    assert (item["code"], item["field"]) == ("HAZARD_GEOJSON_TYPE", "file")
    far = square(WEST + 2.2 * SIDE, SOUTH, WEST + 2.8 * SIDE, SOUTH + SIDE)  # commune 99003
    assert post(client, "/hazards", _body("FAR", far)).status_code == 403
    assert client.get(f"{API}/hazards/NOPE").status_code == 404
    assert client.get(f"{API}/plans/999999").status_code == 404
