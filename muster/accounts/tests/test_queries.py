"""The accounts a manager sees: their command's subtree, roles up to their own."""

from __future__ import annotations

import pytest

from muster.accounts import queries
from muster.accounts.actions import user_grant
from muster.accounts.models import Role
from muster.accounts.tests.factories import World, build_world
from muster.core.errors import NotFound


@pytest.fixture
def world(db) -> World:
    return build_world()


def test_managed_accounts_and_units(world):
    area = world.user("ptkv1", Role.AREA_STAFF, world.areas[0])
    xa1 = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    xa3 = world.user("xa3", Role.COMMUNE_STAFF, world.commune_commands[2])
    tinh = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    assert list(queries.users_managed(area)) == []  # no grant yet
    user_grant(user=area, action="users.manage", acting_user=None)
    area.refresh_from_db()
    assert list(queries.users_managed(area)) == [area, xa1]
    with pytest.raises(NotFound):
        queries.access_managed_user(area, xa3.pk)
    with pytest.raises(NotFound):
        queries.access_managed_user(area, tinh.pk)  # above the manager
    assert {u.code for u in queries.units_managed(area)} == {
        "PTKV-99-1",
        "BCHQS-X-99001",
        "BCHQS-X-99002",
    }
    admin = world.user("admin", Role.ADMINISTRATOR, None)
    assert xa3 in queries.users_managed(admin)
