"""The user-management pages and the own-password page."""

from __future__ import annotations

import pytest
from django.test import Client

from muster.accounts.actions import api_token_issue, user_grant
from muster.accounts.models import ApiToken, Role, User
from muster.accounts.tests.factories import World, build_world

GOOD = "Tram-nam-trong-coi"


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def manager(world: World) -> User:
    area = world.user("ptkv1", Role.AREA_STAFF, world.areas[0])
    user_grant(user=area, action="users.manage", acting_user=None)
    return area


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_only_managers_open_the_pages(world, manager):
    staff = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    assert _client(staff).get("/users/").status_code == 403
    assert _client(staff).get("/users/new/").status_code == 403
    page = _client(manager).get("/users/").content.decode()
    assert "xa1" in page
    nav = _client(staff).get("/").content.decode()
    assert 'href="/users/"' not in nav
    assert 'href="/users/"' in _client(manager).get("/").content.decode()


def test_create_offers_only_the_managers_roles_and_commands(world, manager):
    client = _client(manager)
    form = client.get("/users/new/").content.decode()
    assert world.commune_commands[1].code in form
    assert world.commune_commands[2].code not in form
    assert 'value="province_staff"' not in form
    response = client.post(
        "/users/new/",
        {
            "username": "xa2",
            "full_name": "Lê Văn Hai",
            "role": "commune_staff",
            "jurisdiction": world.commune_commands[1].code,
            "new_password": GOOD,
            "new_password_again": GOOD,
        },
    )
    made = User.objects.get(username="xa2")
    assert response.status_code == 302
    assert response["Location"] == f"/users/{made.pk}/"
    assert made.jurisdiction == world.commune_commands[1]
    assert made.check_password(GOOD)


def test_a_weak_password_is_refused_on_its_field(world, manager):
    page = _client(manager).post(
        "/users/new/",
        {
            "username": "xa2",
            "role": "commune_staff",
            "jurisdiction": world.commune_commands[1].code,
            "new_password": "12345678",
            "new_password_again": "12345678",
        },
    )
    assert page.status_code == 200
    assert 'id="id_new_password_error"' in page.content.decode()
    assert not User.objects.filter(username="xa2").exists()


def test_disable_rescope_and_reset(world, manager):
    staff = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    client = _client(manager)
    url = f"/users/{staff.pk}/"
    assert client.post(url, {"action": "deactivate"}).status_code == 302
    staff.refresh_from_db()
    assert not staff.is_active
    client.post(url, {"action": "activate"})
    client.post(
        url,
        {
            "action": "scope",
            "scope-role": "commune_staff",
            "scope-jurisdiction": world.commune_commands[1].code,
        },
    )
    client.post(url, {"action": "password", "pw-new_password": GOOD, "pw-new_password_again": GOOD})
    staff.refresh_from_db()
    assert staff.is_active
    assert staff.jurisdiction == world.commune_commands[1]
    assert staff.check_password(GOOD)
    # Another area's account is not found, for reading and for writing.
    other = world.user("xa3", Role.COMMUNE_STAFF, world.commune_commands[2])
    assert client.get(f"/users/{other.pk}/").status_code == 404
    assert client.post(f"/users/{other.pk}/", {"action": "deactivate"}).status_code == 404
    other.refresh_from_db()
    assert other.is_active


def test_own_password_needs_the_current_one_and_ends_tokens(world):
    staff = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    api_token_issue(user=staff)
    client = _client(staff)
    wrong = client.post(
        "/account/password/",
        {"current_password": "nope", "new_password": GOOD, "new_password_again": GOOD},
    )
    assert wrong.status_code == 200
    staff.refresh_from_db()
    assert not staff.check_password(GOOD)
    done = client.post(
        "/account/password/",
        {"current_password": "pw-test-12345", "new_password": GOOD, "new_password_again": GOOD},
    )
    assert done.status_code == 302
    staff.refresh_from_db()
    assert staff.check_password(GOOD)
    assert not ApiToken.objects.filter(user=staff, revoked_at__isnull=True).exists()
    # The session stays open.
    assert client.get("/account/password/").status_code == 200
