"""Reads of user accounts for the pages that manage them: a manager sees the accounts of their
own command and the commands below it (`users.manage` over them), nothing else. Accounts are
staff, not the registry's persons: their reads are not in the read log."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from muster.accounts import permissions, rules
from muster.accounts.models import Role, User
from muster.accounts.scope import org_subtree_ids
from muster.core.collation import vi
from muster.core.errors import NotFound
from muster.core.validity import valid_on
from muster.orgs.models import OrgUnit


def _subtree(manager: User) -> set[int] | None:
    """The org units `manager` manages users in (None: every one, a national manager)."""
    if permissions.role_of(manager) == Role.ADMINISTRATOR and manager.jurisdiction_id is None:
        return None
    if manager.jurisdiction_id is None:
        return set()
    return org_subtree_ids(manager.jurisdiction_id, timezone.localdate())


def users_managed(manager: User) -> QuerySet[User]:
    """The accounts `manager` may manage: in their command's subtree and of a role at or below
    their own, by user name. Empty for anyone without `users.manage`."""
    if not permissions.may(manager, "users.manage"):
        return User.objects.none()
    roles = rules.roles_assignable(permissions.role_of(manager))
    accounts = User.objects.filter(role__in=roles)
    units = _subtree(manager)
    if units is not None:
        accounts = accounts.filter(jurisdiction_id__in=sorted(units), is_superuser=False)
    return accounts.select_related("jurisdiction").order_by("username", "id")


def access_managed_user(manager: User, user_id: int) -> User:
    """An account `manager` may manage; absent and out of reach are both NotFound."""
    found = users_managed(manager).filter(pk=user_id).first()
    if found is None:
        raise NotFound("USER_NOT_FOUND", {"id": user_id})
    return found


def units_managed(manager: User) -> list[OrgUnit]:
    """The commands an account may be given by `manager` (valid today), by name."""
    units = _subtree(manager)
    today = timezone.localdate()
    found = OrgUnit.objects.filter(valid_on(today))
    if units is not None:
        found = found.filter(Q(pk__in=sorted(units)))
    return list(found.order_by(vi("name"), "code"))
