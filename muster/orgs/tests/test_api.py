"""The org-units API: list, detail, validation errors, 404, 401 and personal-ID scoping."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from muster.accounts.actions import api_token_issue, user_create
from muster.accounts.models import Role
from muster.geo.models import AdminUnit
from muster.orgs import actions
from muster.orgs.models import OrgUnit
from muster.orgs.tests.factories import small_country

pytestmark = pytest.mark.django_db
URL = "/api/v1/org-units"


@pytest.fixture
def country() -> list[AdminUnit]:
    communes = small_country()
    actions.orgs_build()
    return communes


def _client(
    username: str, role: Role = Role.ADMINISTRATOR, jurisdiction: OrgUnit | None = None
) -> Client:
    user = user_create(
        username=username,
        password="pw-test-12345",
        role=role,
        jurisdiction=jurisdiction,
        acting_user=None,
    )
    return Client(headers={"Authorization": f"Bearer {api_token_issue(user=user)}"})


def _get(client: Client, path: str, **params: Any) -> Any:
    return client.get(f"{URL}{path}", params)


def test_list_filters_and_pages(country: list[AdminUnit]) -> None:
    client = _client("admin")
    body = _get(client, "", kind="military_region").json()
    assert set(body) == {"items", "count"}
    assert body["count"] == 7
    assert [i["code"] for i in body["items"]][:2] == ["QK1", "QK2"]
    body = _get(client, "", parent="BTLTD").json()
    assert [i["code"] for i in body["items"]] == ["PTKV-01-1", "PTKV-01-2"]
    assert body["items"][0]["parent_code"] == "BTLTD"
    page = _get(client, "", kind="commune_command", page=2, page_size=15).json()
    assert page["count"] == 40
    assert len(page["items"]) == 15
    # Before the reform (built without --legacy): the same regions, no 2025 commands.
    assert _get(client, "", kind="military_region", as_of="2025-06-01").json()["count"] == 7
    assert _get(client, "", kind="provincial_command", as_of="2025-06-01").json()["count"] == 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "battalion"}, "kind"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"page": 0}, "page"),
        ({"page_size": 10_000}, "page_size"),
        ({"parent": "NOPE"}, "parent"),
    ],
)
def test_bad_filters_are_422_naming_the_field(
    country: list[AdminUnit], params: dict[str, Any], field: str
) -> None:
    response = _get(_client("admin"), "", **params)
    assert response.status_code == 422
    assert [d["loc"][-1] for d in response.json()["detail"]] == [field]


def test_detail(country: list[AdminUnit]) -> None:
    client = _client("admin")
    commune = country[0]
    unit = OrgUnit.objects.get(code=f"BCHQS-X-{commune.code}")
    actions.appointment_make(
        position=unit.positions.get(ordinal=1),
        holder_name="Nguyễn Văn An",
        holder_personal_id="001090000001",
        rank="Đại úy",
        valid_from=date(2025, 7, 1),
        acting_user=None,
    )
    body = _get(client, f"/{unit.code}", as_of="2025-08-01").json()
    assert body["code"] == unit.code
    assert body["kind"] == "commune_command"
    assert unit.parent is not None
    assert body["parent_code"] == unit.parent.code
    assert body["territory"] == [{"edition": "2025", "code": commune.code, "name": commune.name}]
    assert body["children"] == []
    assert body["positions"][0]["holder_name"] == "Nguyễn Văn An"
    assert body["positions"][0]["holder_personal_id"] == "001090000001"  # national scope
    assert body["positions"][1]["holder_name"] is None
    region = _get(client, "/BTLTD").json()
    assert region["children"] == ["PTKV-01-1", "PTKV-01-2"]  # no second Hà Nội command
    assert region["territory"][0]["code"] == "01"


def test_personal_ids_follow_scope(country: list[AdminUnit]) -> None:
    mine, other = (OrgUnit.objects.get(code=f"BCHQS-X-{c.code}") for c in country[:2])
    for unit in (mine, other):
        actions.appointment_make(
            position=unit.positions.get(ordinal=1),
            holder_name="Phạm Thị Dung",
            holder_personal_id="001190000002",
            valid_from=date(2025, 7, 1),
            acting_user=None,
        )
    client = _client("staff", Role.COMMUNE_STAFF, jurisdiction=mine)
    seen = _get(client, f"/{mine.code}", as_of="2025-08-01").json()["positions"][0]
    hidden = _get(client, f"/{other.code}", as_of="2025-08-01").json()["positions"][0]
    assert seen["holder_personal_id"] == "001190000002"
    assert hidden["holder_name"] == "Phạm Thị Dung"  # the organisation is not personal data
    assert hidden["holder_personal_id"] is None


def test_unknown_code_is_404_and_no_token_is_401(country: list[AdminUnit]) -> None:
    assert _get(_client("admin"), "/NOPE").status_code == 404
    assert Client().get(URL).status_code == 401
    assert Client().get(f"{URL}/BTLTD").status_code == 401
    assert Client(headers={"Authorization": "Bearer wrong"}).get(URL).status_code == 401
