"""The audit log pages: who may look, what their jurisdiction shows, filters, the chain check."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from muster.accounts.actions import user_create
from muster.accounts.models import Role, User
from muster.audit.chain import READ, WRITE
from muster.audit.checkpoints import checkpoint_write
from muster.audit.labels import ACTION_LABELS, TARGET_LABELS
from muster.audit.models import AuditEvent
from muster.audit.registry import AUDIT_ACTIONS
from muster.people import actions as people_actions
from muster.readiness.tests.factories import PASSWORD, World, build_world
from muster.web.views_audit import AUDIT_PAGE_SIZE

pytestmark = pytest.mark.django_db

AUDIT_ROUTES = ("web:audit_log", "web:audit_reads", "web:audit_chain_check")


@pytest.fixture
def world() -> World:
    world = build_world()
    # One change in each of c1 (An) and c2 (Bình) by the province staff, c3 (Cường) by the admin.
    for person, phone in ((world.an, "0900000001"), (world.binh, "0900000002")):
        people_actions.person_update(
            person=person, changes={"phone": phone}, acting_user=world.province_user
        )
    people_actions.person_update(
        person=world.cuong, changes={"phone": "0900000003"}, acting_user=world.admin
    )
    return world


def make_auditor(world: World, username: str = "kiemtra", jurisdiction=None) -> User:
    return user_create(
        username=username,
        password=PASSWORD,
        role=Role.AUDITOR,
        jurisdiction=jurisdiction or world.cc1,
        acting_user=None,
    )


def login(client: Client, user: User) -> Client:
    assert client.login(username=user.username, password=PASSWORD)
    return client


def event_ids(page: str) -> list[int]:
    body = page[page.index('id="audit-events"') :]
    return [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', body)]


def test_auditor_sees_only_events_of_communes_in_scope(client: Client, world: World) -> None:
    login(client, make_auditor(world))  # commune command of c1
    response = client.get(reverse("web:audit_log"))
    page = response.content.decode()
    assert response.status_code == 200
    an_event = AuditEvent.objects.get(target_type="people.person", target_id=str(world.an.pk))
    assert event_ids(page) == [an_event.pk]
    assert "0900000001" in page
    assert "0900000002" not in page  # Bình, c2
    assert "0900000003" not in page  # Cường, c3
    assert world.c3.code not in page
    # Events without a commune (account creation) are national: not for a commune auditor.
    assert 'title="accounts.user.created"' not in page


def test_area_auditor_sees_both_communes_of_the_area(client: Client, world: World) -> None:
    login(client, make_auditor(world, jurisdiction=world.area1))
    page = client.get(reverse("web:audit_log")).content.decode()
    assert "0900000001" in page
    assert "0900000002" in page
    assert "0900000003" not in page


def test_administrator_sees_everything(client: Client, world: World) -> None:
    login(client, world.admin)
    page = client.get(reverse("web:audit_log")).content.decode()
    for phone in ("0900000001", "0900000002", "0900000003"):
        assert phone in page
    assert 'title="accounts.user.created"' in page
    assert len(event_ids(page)) == AuditEvent.objects.count()


@pytest.mark.parametrize("role", [Role.COMMUNE_STAFF, Role.AREA_STAFF, Role.PROVINCE_STAFF])
def test_staff_roles_get_403(client: Client, world: World, role: Role) -> None:
    user = {
        Role.COMMUNE_STAFF: world.commune_user,
        Role.AREA_STAFF: world.area_user,
        Role.PROVINCE_STAFF: world.province_user,
    }[role]
    login(client, user)
    for route in AUDIT_ROUTES:
        response = client.get(reverse(route))
        assert response.status_code == 403, route
        assert "Chỉ kiểm tra viên và quản trị viên" in response.content.decode()
    page = client.get(reverse("web:dashboard")).content.decode()
    assert reverse("web:audit_log") not in page  # no link in the navigation either


def test_nav_links_the_audit_log_for_auditors(client: Client, world: World) -> None:
    login(client, make_auditor(world))
    page = client.get(reverse("web:dashboard")).content.decode()
    assert f'href="{reverse("web:audit_log")}"' in page


def test_filters(client: Client, world: World) -> None:
    login(client, world.admin)
    url = reverse("web:audit_log")
    an_event = AuditEvent.objects.get(target_type="people.person", target_id=str(world.an.pk))
    page = client.get(url, {"action": "people.person.updated"}).content.decode()
    assert len(event_ids(page)) == 3
    page = client.get(url, {"actor": world.admin.username}).content.decode()
    assert "0900000003" in page
    assert "0900000001" not in page
    page = client.get(url, {"target_id": str(world.an.pk)}).content.decode()
    same_id = AuditEvent.objects.filter(target_id=str(world.an.pk)).order_by("-id")
    assert event_ids(page) == [event.pk for event in same_id]  # any type with that id
    assert an_event.pk in event_ids(page)
    today = timezone.localdate()
    page = client.get(
        url, {"date_from": today.isoformat(), "date_to": today.isoformat()}
    ).content.decode()
    assert len(event_ids(page)) == AuditEvent.objects.count()
    yesterday = (today - timedelta(days=1)).isoformat()
    page = client.get(url, {"date_to": yesterday}).content.decode()
    assert event_ids(page) == []
    assert "Không có sự kiện nào phù hợp." in page
    page = client.get(url, {"action": "people.person.updated"}).content.decode()
    assert "Đã thay đổi hồ sơ của một công dân" in page  # the action's translated label


def test_bad_filters_name_the_field(client: Client, world: World) -> None:
    login(client, world.admin)
    url = reverse("web:audit_log")
    page = client.get(url, {"action": "no.such.action"}).content.decode()
    assert 'id="form-errors"' in page
    assert 'id="audit-events"' not in page
    page = client.get(url, {"date_from": "2025-02-02", "date_to": "2025-01-01"}).content.decode()
    assert "Không được trước “Từ ngày”." in page


def test_pages_of_fifty(client: Client, world: World) -> None:
    for i in range(AUDIT_PAGE_SIZE):
        people_actions.person_update(
            person=world.an, changes={"phone": f"09{i:08d}"}, acting_user=world.commune_user
        )
    login(client, make_auditor(world))
    url = reverse("web:audit_log")
    first = client.get(url).content.decode()
    assert len(event_ids(first)) == AUDIT_PAGE_SIZE
    assert 'rel="next"' in first
    second = client.get(url, {"page": "2"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in second
    assert len(event_ids(second)) == 1  # 51 events of c1 in all
    assert 'rel="prev"' in second
    assert max(event_ids(second)) < min(event_ids(first))  # newest first


def test_chain_check_reports_intact_then_broken(client: Client, world: World) -> None:
    login(client, make_auditor(world))
    log = client.get(reverse("web:audit_log")).content.decode()
    # Not run with the page: only on request.
    assert 'id="chain-intact"' not in log
    assert f'hx-get="{reverse("web:audit_chain_check")}"' in log
    url = reverse("web:audit_chain_check")
    total = AuditEvent.objects.count()
    # The test's transaction never commits, so write the checkpoints a commit would.
    checkpoint_write(WRITE)
    checkpoint_write(READ)
    intact = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in intact
    assert 'id="chain-intact"' in intact
    assert f"Cả hai chuỗi nguyên vẹn: đã kiểm tra {total} sự kiện ghi" in intact

    tampered = AuditEvent.objects.get(target_type="people.person", target_id=str(world.binh.pk))
    AuditEvent.objects.filter(pk=tampered.pk).update(data={"after": {"phone": "0000000000"}})

    broken = client.get(url).content.decode()
    assert "<html" in broken  # without HTMX: a page of its own
    assert 'id="chain-broken"' in broken
    assert f"Sự kiện ghi, sự kiện {tampered.pk}: đã bị sửa sau khi ghi" in broken


def test_views_of_personal_data_are_scoped(client: Client, world: World) -> None:
    viewer = Client()
    login(viewer, world.province_user)
    for person in (world.an, world.binh, world.cuong):
        assert (
            viewer.get(reverse("web:person_detail", args=[person.personal_id])).status_code == 200
        )
    login(client, make_auditor(world))
    page = client.get(reverse("web:audit_reads")).content.decode()
    table = page[page.index('id="audit-reads"') :]
    assert world.an.personal_id in table
    assert world.an.full_name in table
    assert world.province_user.username in table
    assert world.binh.personal_id not in page
    assert world.cuong.personal_id not in page
    assert table.count("<tr>") == 2  # header and An's one view
    page = client.get(
        reverse("web:audit_reads"), {"personal_id": world.cuong.personal_id}
    ).content.decode()
    table = page[page.index('id="audit-reads"') :]
    assert world.cuong.personal_id not in table
    assert "Không có lượt xem nào phù hợp." in table
    admin = Client()
    login(admin, world.admin)
    page = admin.get(reverse("web:audit_reads")).content.decode()
    for person in (world.an, world.binh, world.cuong):
        assert person.personal_id in page
    page = admin.get(
        reverse("web:audit_reads"), {"personal_id": world.binh.personal_id, "actor": "tinh"}
    ).content.decode()
    assert world.binh.personal_id in page
    assert world.an.personal_id not in page


def test_every_audit_action_has_a_label() -> None:
    assert set(ACTION_LABELS) == set(AUDIT_ACTIONS)


def test_every_muster_model_has_a_name_for_the_audit_log() -> None:
    models = {m._meta.label_lower for m in apps.get_models() if m.__module__.startswith("muster.")}
    assert set(TARGET_LABELS) == models
