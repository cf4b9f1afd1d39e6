"""The admin-units API: filters, paging, detail, errors, auth."""

from __future__ import annotations

import pytest
from django.test import Client

from muster.accounts.actions import api_token_issue, user_create
from muster.accounts.models import Role
from muster.geo.tests.conftest import Loaded

pytestmark = pytest.mark.django_db

URL = "/api/v1/admin-units"


@pytest.fixture
def api(loaded: Loaded) -> Client:
    admin = user_create(
        username="geo-admin",
        password="a long password",
        role=Role.ADMINISTRATOR,
        jurisdiction=None,
        acting_user=None,
    )
    token = api_token_issue(user=admin)
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("edition=2025&level=province", 34),
        ("edition=2025&level=commune", 3321),
        ("edition=legacy&level=commune&as_of=2025-06-30", 10035),
        ("edition=legacy&as_of=2025-07-01", 0),
        ("edition=2025&parent=01", 126),
        ("edition=legacy&level=district&parent=01", 30),
    ],
)
def test_list_counts(api: Client, query: str, count: int) -> None:
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"items", "count"}
    assert body["count"] == count


def test_list_items_and_paging(api: Client) -> None:
    body = api.get(f"{URL}?edition=2025&level=province&page=2&page_size=10").json()
    assert body["count"] == 34
    assert len(body["items"]) == 10
    item = body["items"][0]
    expected = {
        "edition", "code", "name", "short_name", "unit_type", "level", "parent_code",
        "lat", "lon", "area_km2", "valid_from", "valid_to",
    }  # fmt: skip
    assert expected <= set(item)
    assert item["edition"] == "2025"
    assert item["level"] == "province"
    assert item["valid_from"] == "2025-07-01"
    assert item["valid_to"] is None
    page_one = api.get(f"{URL}?edition=2025&level=province&page_size=10").json()["items"]
    assert page_one[-1]["code"] < item["code"]
    last = api.get(f"{URL}?edition=2025&level=province&page=4&page_size=10").json()
    assert len(last["items"]) == 4
    communes = api.get(f"{URL}?edition=2025&parent=01&page_size=1").json()["items"]
    assert communes[0]["parent_code"] == "01"


def test_detail_with_successions(api: Client) -> None:
    response = api.get(f"{URL}/legacy/00004")
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "Phường Trúc Bạch"
    assert body["parent"]["code"] == "001"
    assert body["predecessors"] == []
    assert body["successors"][0] | {"kind": "x"} == {
        "edition": "2025",
        "code": "00004",
        "name": "Phường Ba Đình",
        "kind": "x",
        "is_default": True,
        "effective_on": "2025-07-01",
    }
    new = api.get(f"{URL}/2025/00004").json()
    assert "00004" in {p["code"] for p in new["predecessors"]}
    assert new["successors"] == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("level=county", "level"),
        ("edition=1999", "edition"),
        ("as_of=2025-13-01", "as_of"),
        ("page=0", "page"),
        ("page_size=1001", "page_size"),
        ("edition=2025&parent=99", "parent"),
        ("parent=01", "parent"),
    ],
)
def test_bad_filters_are_422_naming_the_field(api: Client, query: str, field: str) -> None:
    response = api.get(f"{URL}?{query}")
    assert response.status_code == 422, response.content
    details = response.json()["detail"]
    assert field in {d["loc"][-1] for d in details}


def test_unknown_unit_is_404_and_bad_edition_422(api: Client) -> None:
    assert api.get(f"{URL}/2025/99999").status_code == 404
    assert api.get(f"{URL}/1999/00004").status_code == 422


def test_token_is_required(loaded: Loaded) -> None:
    assert Client().get(f"{URL}?edition=2025").status_code == 401
    bad = Client(headers={"Authorization": "Bearer nope"})
    assert bad.get(f"{URL}/2025/00004").status_code == 401
