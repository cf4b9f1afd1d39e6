"""Jurisdiction scope: each role sees exactly its branch of the organisation."""

from __future__ import annotations

from datetime import date

import pytest

from muster.accounts.models import Role
from muster.accounts.scope import scope_for
from muster.accounts.tests.factories import build_world
from muster.orgs.models import Territory

pytestmark = pytest.mark.django_db


def test_commune_user_sees_only_their_commune():
    world = build_world()
    user = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    assert scope_for(user).commune_ids == frozenset({world.communes[0].id})


def test_area_user_sees_the_communes_of_their_area():
    world = build_world()
    user = world.user("kv", Role.AREA_STAFF, world.areas[0])
    assert scope_for(user).commune_ids == frozenset({world.communes[0].id, world.communes[1].id})


@pytest.mark.parametrize("role", [Role.PROVINCE_STAFF, Role.AUDITOR])
def test_province_level_user_sees_every_commune_of_the_province(role):
    world = build_world()
    user = world.user("tinh", role, world.provincial)
    assert scope_for(user).commune_ids == frozenset(c.id for c in world.communes)


def test_administrator_without_jurisdiction_is_national():
    world = build_world()
    admin = world.user("admin", Role.ADMINISTRATOR, None)
    scope = scope_for(admin)
    assert scope.is_national
    assert scope.allows(world.communes[2].id)


def test_inactive_user_sees_nothing():
    world = build_world()
    user = world.user("gone", Role.PROVINCE_STAFF, world.provincial)
    user.is_active = False
    assert scope_for(user).commune_ids == frozenset()


def test_scope_follows_territory_history():
    """A commune moved between areas counts for the old area before the move only."""
    world = build_world()
    moved = world.communes[1]
    row = Territory.objects.get(org_unit=world.commune_commands[1].parent, admin_unit=moved)
    row.valid_to = date(2026, 1, 31)
    row.save()
    Territory.objects.create(org_unit=world.areas[1], admin_unit=moved, valid_from=date(2026, 2, 1))
    user = world.user("kv2", Role.AREA_STAFF, world.areas[1])
    assert not scope_for(user, date(2026, 1, 31)).allows(moved.id)
    assert scope_for(user, date(2026, 2, 1)).allows(moved.id)


def test_scope_sees_a_territory_move_at_once(django_capture_on_commit_callbacks):
    from muster.orgs.actions import territory_move

    world = build_world()
    user = world.user("kv2b", Role.AREA_STAFF, world.areas[1])
    moved = world.communes[1]
    assert not scope_for(user).allows(moved.id)  # cached now
    with django_capture_on_commit_callbacks(execute=True):
        territory_move(
            admin_unit=moved,
            from_unit=world.areas[0],
            to_unit=world.areas[1],
            effective_from=date.today(),
            acting_user=None,
        )
    assert scope_for(user).allows(moved.id)
