"""accounts.permissions: the table of actions × roles, grants and jurisdiction.

The world (accounts.tests.factories): province 99 under command BCHQS-99, area PTKV-99-1 over
communes 99001 and 99002, area PTKV-99-2 over 99003, one commune command each.
"""

from __future__ import annotations

import pytest
from django.utils import translation

from muster.accounts import permissions
from muster.accounts.actions import user_create, user_grant, user_grant_revoke, user_set_password
from muster.accounts.models import Role, UserGrant
from muster.accounts.permissions import NATIONWIDE, may, require
from muster.accounts.tests.factories import World, build_world
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput, PermissionDenied

pytestmark = pytest.mark.django_db

STAFF = (Role.COMMUNE_STAFF, Role.AREA_STAFF, Role.PROVINCE_STAFF, Role.REGION_STAFF)

# Who may do what, by role alone (jurisdiction aside): the declared table, spelled out.
ALLOWED = {
    "people.register": {*STAFF, Role.ADMINISTRATOR},
    "people.edit": {*STAFF, Role.ADMINISTRATOR},
    "worklists.resolve": {*STAFF, Role.ADMINISTRATOR},
    "militia.join": {*STAFF, Role.ADMINISTRATOR},
    "callup.records.edit": {*STAFF, Role.ADMINISTRATOR},
    "callup.cycle.manage": {Role.PROVINCE_STAFF, Role.REGION_STAFF, Role.ADMINISTRATOR},
    "callup.quota.override": {Role.PROVINCE_STAFF, Role.REGION_STAFF, Role.ADMINISTRATOR},
    "callup.batch.approve": {*STAFF, Role.ADMINISTRATOR},
    "linkage.review.decide": {*STAFF, Role.ADMINISTRATOR},
    "restructure.plan.edit": {Role.PROVINCE_STAFF, Role.REGION_STAFF, Role.ADMINISTRATOR},
    "restructure.plan.apply": {Role.PROVINCE_STAFF, Role.REGION_STAFF, Role.ADMINISTRATOR},
    "audit.read": {Role.AUDITOR, Role.ADMINISTRATOR},
    "users.manage": {Role.ADMINISTRATOR},  # the others need a grant
    "users.grant": {Role.ADMINISTRATOR},
}


@pytest.fixture
def world() -> World:
    return build_world()


def _user(world: World, role: Role, name: str = ""):
    jurisdiction = None if role == Role.ADMINISTRATOR else world.provincial
    return world.user(name or f"u-{role}", role, jurisdiction)


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("role", list(Role))
def test_roles_of_each_action(world, action, role):
    assert may(_user(world, role), action) == (role in ALLOWED[action])


def test_the_system_may_do_everything(world):
    for action in permissions.ACTIONS:
        assert may(None, action, unit=NATIONWIDE)


def test_an_undeclared_action_is_a_programming_error(world):
    with pytest.raises(ValueError, match="undeclared action"):
        may(_user(world, Role.ADMINISTRATOR), "people.teleport")


def test_an_inactive_user_may_nothing(world):
    user = _user(world, Role.ADMINISTRATOR)
    user.is_active = False
    assert not may(user, "people.edit")


def test_jurisdiction_commune_unit_and_province(world):
    area = world.user("area", Role.AREA_STAFF, world.areas[0])  # communes 99001, 99002
    c1, c2, c3 = (c.pk for c in world.communes)
    assert may(area, "militia.join", commune_id=c1)
    assert may(area, "militia.join", commune_id=c2)
    assert not may(area, "militia.join", commune_id=c3)
    assert may(area, "militia.join", unit=world.commune_commands[1])
    assert not may(area, "militia.join", unit=world.commune_commands[2])
    # The province reaches past the area: all of it must be covered.
    assert not may(area, "people.edit", area=world.province)
    assert not may(area, "people.edit", unit=world.provincial)
    assert not may(area, "people.edit", unit=NATIONWIDE)
    provincial = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    assert may(provincial, "callup.cycle.manage", area=world.province)
    assert not may(provincial, "callup.cycle.manage", unit=NATIONWIDE)
    admin = _user(world, Role.ADMINISTRATOR)
    assert may(admin, "callup.cycle.manage", unit=NATIONWIDE)


def test_refusals_name_the_action_and_say_why(world):
    commune = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    with pytest.raises(PermissionDenied) as role:
        require(commune, "callup.cycle.manage")
    assert (role.value.params["permission"], role.value.code) == (
        "callup.cycle.manage",
        permissions.ROLE,
    )
    with pytest.raises(PermissionDenied) as place:
        require(commune, "militia.join", commune_id=world.communes[2].pk)
    assert place.value.code == permissions.JURISDICTION
    auditor = world.user("kt", Role.AUDITOR, world.provincial)
    with pytest.raises(PermissionDenied) as read_only:
        require(auditor, "people.edit")
    assert read_only.value.code == permissions.READ_ONLY
    with translation.override("vi"):
        assert read_only.value.message.startswith("Kiểm tra viên được xem sổ đăng ký")
        assert "mở đợt gọi nhập ngũ" in role.value.message
    with translation.override("en"):
        assert place.value.message == (
            "This lies outside your jurisdiction: put a person on a militia roster."
        )
        refused = permissions.refusal(commune, "audit.read")
        assert refused is not None
        assert refused.message == "Only auditors and administrators can see the audit log."


# users.manage: provincial and area staff given the permission, administrators always --------


def test_managing_users_needs_the_role_and_the_grant(world):
    admin = _user(world, Role.ADMINISTRATOR, "admin")
    area = world.user("area", Role.AREA_STAFF, world.areas[0])
    commune = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    assert not may(area, "users.manage", unit=world.commune_commands[0])
    with pytest.raises(PermissionDenied) as refused:
        require(area, "users.manage")
    assert refused.value.code == permissions.GRANT
    user_grant(user=area, action="users.manage", acting_user=admin)
    area.refresh_from_db()
    assert may(area, "users.manage", unit=world.commune_commands[0])
    assert not may(area, "users.manage", unit=world.commune_commands[2])  # another area's
    assert not may(area, "users.manage", unit=NATIONWIDE)
    # Commune staff cannot be given it at all; only administrators give it.
    with pytest.raises(InvalidInput):
        user_grant(user=commune, action="users.manage", acting_user=admin)
    with pytest.raises(PermissionDenied):
        user_grant(user=commune, action="users.manage", acting_user=area)
    with pytest.raises(InvalidInput):
        user_grant(user=area, action="people.edit", acting_user=admin)  # not grantable


def test_grants_are_audited_and_given_once(world):
    admin = _user(world, Role.ADMINISTRATOR, "admin")
    provincial = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    user_grant(user=provincial, action="users.manage", acting_user=admin)
    user_grant(user=provincial, action="users.manage", acting_user=admin)
    assert UserGrant.objects.filter(user=provincial).count() == 1
    given = AuditEvent.objects.filter(action="accounts.grant.given")
    assert given.count() == 1
    assert given.get().data == {"action": "users.manage"}
    assert user_grant_revoke(user=provincial, action="users.manage", acting_user=admin)
    assert not user_grant_revoke(user=provincial, action="users.manage", acting_user=admin)
    assert AuditEvent.objects.filter(action="accounts.grant.revoked").count() == 1
    provincial.refresh_from_db()
    assert not may(provincial, "users.manage")


def test_a_manager_creates_users_inside_their_jurisdiction_only(world):
    admin = _user(world, Role.ADMINISTRATOR, "admin")
    area = world.user("area", Role.AREA_STAFF, world.areas[0])
    user_grant(user=area, action="users.manage", acting_user=admin)
    area.refresh_from_db()
    made = user_create(
        username="xa-moi",
        password="pw-1234567890",
        role=Role.COMMUNE_STAFF,
        jurisdiction=world.commune_commands[1],
        acting_user=area,
    )
    assert made.jurisdiction == world.commune_commands[1]
    with pytest.raises(PermissionDenied):
        user_create(
            username="xa-khac",
            password="pw-1234567890",
            role=Role.COMMUNE_STAFF,
            jurisdiction=world.commune_commands[2],
            acting_user=area,
        )
    with pytest.raises(PermissionDenied):
        user_create(
            username="root2",
            password="pw-1234567890",
            role=Role.ADMINISTRATOR,
            jurisdiction=None,
            acting_user=area,
        )
    # Everyone sets their own password; another's needs the permission over them.
    user_set_password(user=area, password="pw-8765432109", acting_user=area)
    user_set_password(user=made, password="pw-8765432109", acting_user=area)
    outsider = world.user("xa3", Role.COMMUNE_STAFF, world.commune_commands[2])
    with pytest.raises(PermissionDenied):
        user_set_password(user=outsider, password="pw-8765432109", acting_user=area)
