"""Pure decisions about accounts: which roles a manager of users may give.

Staff who manage users (`users.manage`, issue 14) do so inside their own command and never
above themselves: the chain of command runs commune → area → province → region
(domain-rules §4: the commune, the area defence command, the provincial command, the military
region). An auditor watches the staff (PDP Law 2025 Art. 3) and an administrator holds national
scope: both are given by administrators only.
"""

from __future__ import annotations

from muster.accounts.models import Role

# Rank in the chain of command; roles outside it (auditor, administrator) have none.
STAFF_RANK: dict[str, int] = {
    Role.COMMUNE_STAFF: 1,
    Role.AREA_STAFF: 2,
    Role.PROVINCE_STAFF: 3,
    Role.REGION_STAFF: 4,
}


def role_assignable(manager_role: str, role: str) -> bool:
    """Whether a manager of `manager_role` may give (or manage an account holding) `role`.

    An administrator may give any role; staff a staff role at or below their own rank
    (issue 14: "never above their own role"); nobody else any.
    """
    if manager_role == Role.ADMINISTRATOR:
        return True
    own = STAFF_RANK.get(manager_role)
    wanted = STAFF_RANK.get(role)
    return own is not None and wanted is not None and wanted <= own


def roles_assignable(manager_role: str) -> list[str]:
    """The roles `manager_role` may give, in the order of `Role`."""
    return [role for role in Role.values if role_assignable(manager_role, role)]
