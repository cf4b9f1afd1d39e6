"""Which roles a manager of users may give: none above their own (issue 14), staff roles only
for staff, any for administrators; the chain of command of domain-rules §4."""

from __future__ import annotations

import pytest

from muster.accounts.models import Role
from muster.accounts.rules import role_assignable, roles_assignable

C, A, P, R = Role.COMMUNE_STAFF, Role.AREA_STAFF, Role.PROVINCE_STAFF, Role.REGION_STAFF


# issue 14 ("never above their own role"); domain-rules §4 (commune → area → province → region)
@pytest.mark.parametrize(
    ("manager", "role", "allowed"),
    [
        (A, C, True),
        (A, A, True),  # at their own rank
        (A, P, False),  # one above
        (P, A, True),
        (P, P, True),
        (P, R, False),
        (R, P, True),
        (C, C, True),  # the rule alone; the permission table keeps commune staff out
        (P, Role.AUDITOR, False),  # auditors watch the staff: an administrator makes them
        (P, Role.ADMINISTRATOR, False),
        (Role.AUDITOR, C, False),
        (Role.ADMINISTRATOR, Role.ADMINISTRATOR, True),
        (Role.ADMINISTRATOR, Role.AUDITOR, True),
    ],
)
def test_role_assignable(manager: str, role: str, allowed: bool) -> None:
    assert role_assignable(manager, role) is allowed


def test_roles_assignable_in_the_order_of_the_roles() -> None:
    assert roles_assignable(A) == [C, A]
    assert roles_assignable(P) == [C, A, P]
    assert roles_assignable(Role.AUDITOR) == []
    assert roles_assignable(Role.ADMINISTRATOR) == list(Role.values)
