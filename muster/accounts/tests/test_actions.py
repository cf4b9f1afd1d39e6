"""Managing accounts: create, re-scope, disable, enable and reset passwords inside the
manager's jurisdiction and never above their role; every change audited, tokens ended."""

from __future__ import annotations

import pytest

from muster.accounts import actions
from muster.accounts.models import ApiToken, Role
from muster.accounts.tests.factories import World, build_world
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput, PermissionDenied

GOOD = "Tram-nam-trong-coi"


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def area(world):
    """Area staff of area 1 (communes 99001, 99002), given `users.manage`."""
    manager = world.user("ptkv1", Role.AREA_STAFF, world.areas[0])
    actions.user_grant(user=manager, action="users.manage", acting_user=None)
    return manager


def test_create_inside_and_not_above(world, area):
    made = actions.user_create(
        username="xa2",
        password=GOOD,
        role=Role.COMMUNE_STAFF,
        jurisdiction=world.commune_commands[1],
        acting_user=area,
    )
    assert made.jurisdiction == world.commune_commands[1]
    with pytest.raises(PermissionDenied) as above:
        actions.user_create(
            username="tinh2",
            password=GOOD,
            role=Role.PROVINCE_STAFF,
            jurisdiction=world.commune_commands[1],
            acting_user=area,
        )
    assert above.value.code == "ROLE_ABOVE_OWN"
    with pytest.raises(PermissionDenied) as outside:
        actions.user_create(
            username="xa3",
            password=GOOD,
            role=Role.COMMUNE_STAFF,
            jurisdiction=world.commune_commands[2],
            acting_user=area,
        )
    assert outside.value.code == "PERMISSION_JURISDICTION"
    with pytest.raises(InvalidInput) as weak:
        actions.user_create(
            username="xa4",
            password="1",
            role=Role.COMMUNE_STAFF,
            jurisdiction=world.commune_commands[0],
            acting_user=area,
        )
    assert weak.value.errors[0].field == "password"


def test_rescope_audited_and_held_to_both_jurisdictions(world, area):
    staff = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    actions.user_rescope(
        user=staff, role=Role.AREA_STAFF, jurisdiction=world.areas[0], acting_user=area
    )
    staff.refresh_from_db()
    assert (staff.role, staff.jurisdiction) == (Role.AREA_STAFF, world.areas[0])
    event = AuditEvent.objects.filter(action="accounts.user.updated", target_id=str(staff.pk))
    assert event.get().data["after"] == {"role": "area_staff", "jurisdiction": "PTKV-99-1"}
    with pytest.raises(PermissionDenied):  # to another area's commune
        actions.user_rescope(
            user=staff,
            role=Role.COMMUNE_STAFF,
            jurisdiction=world.commune_commands[2],
            acting_user=area,
        )
    with pytest.raises(PermissionDenied) as above:
        actions.user_rescope(
            user=staff, role=Role.PROVINCE_STAFF, jurisdiction=world.areas[0], acting_user=area
        )
    assert above.value.code == "ROLE_ABOVE_OWN"
    with pytest.raises(PermissionDenied) as itself:
        actions.user_rescope(
            user=area, role=Role.AREA_STAFF, jurisdiction=world.areas[0], acting_user=area
        )
    assert itself.value.code == "USER_SELF_MANAGE"


def test_another_areas_or_a_higher_account_is_out_of_reach(world, area):
    other = world.user("xa3", Role.COMMUNE_STAFF, world.commune_commands[2])
    higher = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    inside_but_higher = world.user("ptkv1b", Role.AUDITOR, world.areas[0])
    for target in (other, higher, inside_but_higher):
        for act in (actions.user_deactivate, actions.user_activate):
            with pytest.raises(PermissionDenied):
                act(user=target, acting_user=area)
        with pytest.raises(PermissionDenied):
            actions.user_set_password(user=target, password=GOOD, acting_user=area)


def test_disable_ends_tokens_and_enable_opens_again(world, area):
    staff = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    actions.api_token_issue(user=staff)
    actions.user_deactivate(user=staff, acting_user=area)
    staff.refresh_from_db()
    assert not staff.is_active
    assert not ApiToken.objects.filter(user=staff, revoked_at__isnull=True).exists()
    actions.user_activate(user=staff, acting_user=area)
    staff.refresh_from_db()
    assert staff.is_active
    # The old token stays revoked.
    assert not ApiToken.objects.filter(user=staff, revoked_at__isnull=True).exists()
    changes = AuditEvent.objects.filter(action="accounts.user.updated", target_id=str(staff.pk))
    assert [e.data["after"] for e in changes.order_by("id")] == [
        {"is_active": False},
        {"is_active": True},
    ]


def test_reset_password_validated_and_tokens_end(world, area):
    staff = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    actions.api_token_issue(user=staff)
    with pytest.raises(InvalidInput):
        actions.user_set_password(user=staff, password="12345678", acting_user=area)
    actions.user_set_password(user=staff, password=GOOD, acting_user=area)
    staff.refresh_from_db()
    assert staff.check_password(GOOD)
    assert not ApiToken.objects.filter(user=staff, revoked_at__isnull=True).exists()
