"""GET /api/v1/worklists/{kind}: items of the jurisdiction's communes, overdue flagged,
statuses, validation (422), auth (401) and the read logged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from muster.accounts.actions import api_token_issue
from muster.accounts.models import Role
from muster.audit.models import ReadEvent
from muster.people.tests.factories import make_person
from muster.worklists import actions
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind

URL = "/api/v1/worklists"
TODAY = timezone.localdate()


@pytest.fixture
def items(world) -> dict[str, WorkItem]:
    c1, c2, c3 = world.communes
    found = {}
    for name, commune, due_on in (
        ("late", c1, TODAY - timedelta(days=3)),
        ("in_time", c2, TODAY + timedelta(days=3)),
        ("elsewhere", c3, TODAY - timedelta(days=9)),
    ):
        person = make_person(commune, f"Lê Văn {name}", birth_date=date(TODAY.year - 17, 3, 1))
        found[name] = actions.work_item_open(
            kind=Kind.DUE_FIRST_REGISTRATION, person=person, commune=commune,
            key=str(TODAY.year), year=TODAY.year, due_on=due_on, source="refresh",
            acting_user=None,
        ).item  # fmt: skip
    return found


@pytest.fixture
def area_client(world) -> Client:
    """Staff of area 1: communes 99001 and 99002, not 99003."""
    user = world.user("ptkv1", Role.AREA_STAFF, world.areas[0])
    client = Client()
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {api_token_issue(user=user)}"
    return client


def test_open_items_of_the_jurisdiction_earliest_deadline_first(area_client, items):
    response = area_client.get(f"{URL}/due_first_registration")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    late = body["items"][0]
    assert late["personal_id"] == items["late"].person.personal_id
    assert late["kind"] == "due_first_registration"
    assert late["due_on"] == (TODAY - timedelta(days=3)).isoformat()
    assert late["overdue"] is True
    assert late["rule"].startswith("MSL Art. 12(1)")
    assert late["commune_code"] == "99001"
    assert body["items"][1]["overdue"] is False
    # Each person the answer names is logged as read, through the API.
    reads = ReadEvent.objects.filter(action="worklists.item.viewed", channel="api")
    assert sorted(reads.values_list("target_id", flat=True)) == sorted(
        str(items[key].person_id) for key in ("late", "in_time")
    )


def test_statuses_and_the_commune_filter(area_client, items):
    def personal_ids(**params: str) -> list[str]:
        body = area_client.get(f"{URL}/due_first_registration", params).json()
        return [item["personal_id"] for item in body["items"]]

    assert personal_ids(status="overdue") == [items["late"].person.personal_id]
    assert personal_ids(commune="99002") == [items["in_time"].person.personal_id]
    assert personal_ids(commune="99003") == []  # outside the jurisdiction: nothing
    actions.work_item_resolve(item=items["late"], note="đã đăng ký", acting_user=None)
    assert personal_ids() == [items["in_time"].person.personal_id]
    assert personal_ids(status="resolved") == [items["late"].person.personal_id]
    assert len(personal_ids(status="all")) == 2
    resolved = area_client.get(f"{URL}/due_first_registration", {"status": "resolved"}).json()
    assert resolved["items"][0]["overdue"] is False
    assert resolved["items"][0]["resolution_note"] == "đã đăng ký"


def test_other_kinds_list_nothing_here(area_client, items):
    assert area_client.get(f"{URL}/deceased").json() == {"items": [], "count": 0}


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/not_a_kind", {}),
        ("/deceased", {"status": "closed"}),
        ("/deceased", {"commune": "12345"}),
        ("/deceased", {"page": "0"}),
    ],
)
def test_bad_requests_are_422(area_client, items, path, params):
    assert area_client.get(f"{URL}{path}", params).status_code == 422


def test_without_a_token_401(items):
    assert Client().get(f"{URL}/deceased").status_code == 401
