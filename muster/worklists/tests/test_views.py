"""The worklist page for commune, area and province users; resolving with and without HTMX."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent
from muster.orgs.models import OrgUnit
from muster.people.tests.factories import make_person
from muster.worklists import actions
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind

HTMX = {"HX-Request": "true"}


@pytest.fixture
def items(world):
    made = {}
    for i, commune in enumerate(world.communes):
        person = make_person(
            commune,
            f"Lê Văn {'ABC'[i]}",
            birth_date=date(2009, 5, 1),
            personal_id=f"09920000000{i}",
        )
        made[commune.code] = actions.work_item_open(
            kind=Kind.DUE_FIRST_REGISTRATION,
            person=person,
            commune=commune,
            key="2026",
            year=2026,
            source="refresh",
            acting_user=None,
        ).item
    mover = make_person(world.communes[0], "Đỗ Văn Đi", personal_id="099200000009")
    detail = {
        "from": {"code": "99002", "name": "Xã Một2"},
        "to": {"code": "99001", "name": "Xã Một1"},
        "moved_on": "2026-03-02",
    }
    made["transfer"] = actions.work_item_open(
        kind=Kind.TRANSFER_IN,
        person=mover,
        commune=world.communes[0],
        key="99002>99001@2026-03-02",
        due_on=date(2026, 3, 16),
        detail=detail,
        source="feed",
        acting_user=None,
    ).item
    return made


def login(world: World, role: Role, jurisdiction: OrgUnit, name: str = "u") -> Client:
    client = Client()
    client.force_login(world.user(name, role, jurisdiction))
    return client


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("commune", ["099200000000"], ["099200000001", "099200000002"]),
        ("area", ["099200000000", "099200000001"], ["099200000002"]),
        ("province", ["099200000000", "099200000001", "099200000002"], []),
    ],
)
def test_page_shows_only_items_in_scope(world, items, who, shown, hidden):
    jurisdiction = {
        "commune": (Role.COMMUNE_STAFF, world.commune_commands[0]),
        "area": (Role.AREA_STAFF, world.areas[0]),
        "province": (Role.PROVINCE_STAFF, world.provincial),
    }[who]
    response = login(world, *jurisdiction).get("/worklists/")
    assert response.status_code == 200
    body = response.content.decode()
    for pid in shown:
        assert pid in body
        assert f"/persons/{pid}/" in body
    for pid in hidden:
        assert pid not in body
    assert f"({len(shown)})" in body  # the count on the first-registration tab
    assert 'id="tab-transfer_in"' in body
    assert "(1)" in body


def test_kind_tab_commune_filter_and_htmx_partial(world, items):
    client = login(world, Role.PROVINCE_STAFF, world.provincial)
    body = client.get("/worklists/?kind=transfer_in").content.decode()
    assert "Đỗ Văn Đi" in body
    assert "Xã Một2 (99002)" in body
    assert "Lê Văn A" not in body
    body = client.get("/worklists/?commune=99003").content.decode()
    assert "099200000002" in body
    assert "099200000000" not in body
    partial = client.get("/worklists/?kind=due_first_registration", headers=HTMX)
    assert b"<html" not in partial.content
    assert b"worklist-table" in partial.content
    # An unknown kind or a commune outside the scope falls back to the defaults.
    commune_user = login(world, Role.COMMUNE_STAFF, world.commune_commands[0], "c")
    body = commune_user.get("/worklists/?kind=nope&commune=99003").content.decode()
    assert "099200000000" in body
    assert "Xã Một3" not in body
    assert 'value="99003"' not in body


def test_pages(world):
    for i in range(30):
        person = make_person(world.communes[0], f"Phạm Văn {i:02d}", birth_date=date(2009, 1, 2))
        actions.work_item_open(
            kind=Kind.DUE_FIRST_REGISTRATION,
            person=person,
            commune=world.communes[0],
            key="2026",
            year=2026,
            source="refresh",
            acting_user=None,
        )
    client = login(world, Role.COMMUNE_STAFF, world.commune_commands[0])
    first = client.get("/worklists/").content.decode()
    second = client.get("/worklists/?kind=due_first_registration&page=2").content.decode()
    assert first.count('id="work-item-') == 25
    assert 'rel="next"' in first
    assert second.count('id="work-item-') == 5
    assert 'rel="prev"' in second


def test_resolve_without_js_redirects_back(world, items):
    client = login(world, Role.COMMUNE_STAFF, world.commune_commands[0])
    item = items["99001"]
    response = client.post(
        f"/worklists/{item.pk}/resolve/",
        {"note": "Đã đăng ký", "next": "/worklists/?kind=due_first_registration&page=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/worklists/?kind=due_first_registration&page=1"
    item.refresh_from_db()
    assert item.resolved_at is not None
    assert item.resolution_note == "Đã đăng ký"
    assert AuditEvent.objects.filter(action="worklists.item.resolved").count() == 1
    body = client.get("/worklists/").content.decode()
    assert "099200000000" not in body  # resolved items leave the list
    # An off-site `next` is ignored.
    other = items["transfer"]
    response = client.post(f"/worklists/{other.pk}/resolve/", {"next": "https://evil.example/"})
    assert response["Location"] == "/worklists/"


def test_resolve_with_htmx_swaps_the_row(world, items):
    client = login(world, Role.COMMUNE_STAFF, world.commune_commands[0])
    item = items["99001"]
    response = client.post(f"/worklists/{item.pk}/resolve/", {"note": "xong"}, headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith("<tr")
    assert "xong" in body
    again = client.post(f"/worklists/{item.pk}/resolve/", {"note": "x"}, headers=HTMX)
    assert 'role="alert"' in again.content.decode()
    assert AuditEvent.objects.filter(action="worklists.item.resolved").count() == 1


def test_out_of_scope_and_get_and_auditor(world, items):
    client = login(world, Role.COMMUNE_STAFF, world.commune_commands[0])
    assert client.post(f"/worklists/{items['99003'].pk}/resolve/").status_code == 404
    assert client.get(f"/worklists/{items['99001'].pk}/resolve/").status_code == 405
    auditor = login(world, Role.AUDITOR, world.provincial, "kt")
    page = auditor.get("/worklists/").content.decode()
    assert "099200000002" in page
    assert "worklists/" in page
    assert "/resolve/" not in page
    assert auditor.post(f"/worklists/{items['99001'].pk}/resolve/").status_code == 403
    assert WorkItem.objects.filter(resolved_at__isnull=False).count() == 0


def test_anonymous_is_sent_to_login(db):
    response = Client().get("/worklists/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_overdue_items_are_flagged_and_counted(world, items):
    # The transfer was due on 16/03/2026, long past; the first-registration items have no
    # deadline here.
    client = login(world, Role.COMMUNE_STAFF, world.commune_commands[0])
    page = client.get("/worklists/?kind=transfer_in").content.decode()
    start = page.index(f'<tr id="work-item-{items["transfer"].pk}"')
    row = page[start : page.index("</tr>", start)]
    assert row.startswith(f'<tr id="work-item-{items["transfer"].pk}" class="overdue">')
    assert 'class="tag overdue"' in row
    assert 'id="worklist-overdue"' in page
    calm = client.get("/worklists/?kind=due_first_registration").content.decode()
    assert 'id="worklist-overdue"' not in calm
    assert "tag overdue" not in calm
    # Resolved, it is no longer overdue.
    actions.work_item_resolve(item=items["transfer"], note="đã đăng ký", acting_user=None)
    assert (
        'id="worklist-overdue"' not in client.get("/worklists/?kind=transfer_in").content.decode()
    )


def test_a_man_of_service_age_shows_why_he_is_listed(world):
    person = make_person(world.communes[0], "Lê Văn Muộn", birth_date=date(1996, 5, 1))
    actions.work_item_open(
        kind=Kind.DUE_FIRST_REGISTRATION, person=person, commune=world.communes[0], key="2026",
        year=2026, source="refresh", acting_user=None,
    )  # fmt: skip
    client = login(world, Role.COMMUNE_STAFF, world.commune_commands[0])
    client.cookies["django_language"] = "en"
    page = client.get("/worklists/?kind=due_first_registration").content.decode()
    assert "30 in 2026, never registered" in page
