"""Users' jurisdictions through a restructuring (`core.restructuring`), set-based.

A user whose jurisdiction is a command that ends moves to its default successor (journal
`user`: old and new org unit id); revert moves back those still on the successor. A user left
on a command that ends without a successor is an orphan of the plan (and a gap: someone must
assign a jurisdiction by hand).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection

from muster import audit
from muster.accounts.models import User
from muster.core.restructuring import Counts, Journal, PlanCounts, UnitCount, UnitMove
from muster.orgs.models import OrgUnit

RECORD = "user"
USERS = User._meta.db_table


def _target(journal: Journal) -> tuple[str, str]:
    return ("restructure.plan", str(journal.plan_id))


def restructure_plan(journal: Journal) -> PlanCounts:
    """Users that would move, by old command → successor; users on commands ending without
    one."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.jurisdiction_id, m.new_id, COUNT(*) FROM {USERS} u "
            f"JOIN {journal.successors('org')} m ON m.old_id = u.jurisdiction_id "
            "GROUP BY u.jurisdiction_id, m.new_id"
        )
        moves = [UnitMove(RECORD, "org", old, new, n) for old, new, n in sorted(cursor.fetchall())]
        cursor.execute(
            f"SELECT u.jurisdiction_id, COUNT(*) FROM {USERS} u "
            f"JOIN {OrgUnit._meta.db_table} o ON o.id = u.jurisdiction_id WHERE o.valid_to < %s "
            f"AND u.jurisdiction_id NOT IN (SELECT old_id FROM {journal.successors('org')} s) "
            "GROUP BY u.jurisdiction_id",
            [connection.ops.adapt_datefield_value(journal.day)],
        )
        orphans = [UnitCount("org", unit, n) for unit, n in cursor.fetchall()]
    return PlanCounts(moves=moves, orphans=orphans)


def restructure_apply(journal: Journal, day: date, acting_user: Any) -> Counts:
    """Every user whose jurisdiction ends moves to its default successor."""
    moved = journal.add(
        RECORD,
        "SELECT u.id AS record_id, u.jurisdiction_id AS old_value, m.new_id AS new_value, "
        f"0 AS flags FROM {USERS} u "
        f"JOIN {journal.successors('org')} m ON m.old_id = u.jurisdiction_id",
    )
    if moved:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {USERS} AS u SET jurisdiction_id = j.new_value "
                f"FROM {journal.rows(RECORD, this_batch=True)} j WHERE u.id = j.record_id"
            )
        audit.record(
            "restructure.plan.jurisdictions_moved",
            actor=acting_user,
            target=_target(journal),
            data={"batch": journal.batch, "users": moved},
        )
    return {"users": moved}


def restructure_revert(journal: Journal, acting_user: Any) -> Counts:
    """Users still on the successor go back to their old jurisdiction."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {USERS} AS u SET jurisdiction_id = j.old_value "
            f"FROM {journal.rows(RECORD)} j "
            "WHERE u.id = j.record_id AND u.jurisdiction_id = j.new_value"
        )
        restored = int(cursor.rowcount)
    if restored:
        audit.record(
            "restructure.plan.jurisdictions_restored",
            actor=acting_user,
            target=_target(journal),
            data={"users": restored},
        )
    return {"users": restored}
