"""Reserve units through a restructuring (`core.restructuring`), set-based.

A reserve unit is kept by a provincial command and recruits from an area defence command's
communes (LLDBĐV Art. 14, 16(1)). When a plan ends either command, the unit follows to the
default successor: its `command_id` (journal record type `reserve`) or `area_id` (`res_area`)
is re-pointed in place — the unit, its establishment and its assignments stay what they are, so
assignments as of any day still name the same unit. Revert puts back each value the plan moved,
unless the unit was moved again since.

Technical means are registered in a commune (LLDBĐV Art. 13): an item whose commune ends goes
to the default successor commune (journal record type `res_means`), retired items too so their
history reads the same place; their assignments to units stay. Revert puts each back.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection

from muster import audit
from muster.core.restructuring import Counts, Journal, PlanCounts, UnitCount, UnitMove
from muster.reserve.models_units import ReserveUnit, TechnicalMeans

UNITS = ReserveUnit._meta.db_table
MEANS = TechnicalMeans._meta.db_table
MEANS_RECORD = "res_means"  # an item's commune_id
# Journal record type → the column it re-points (a journal row is one per record and type).
COLUMNS = {"reserve": "command_id", "res_area": "area_id"}


def _target(journal: Journal) -> tuple[str, str]:
    return ("restructure.plan", str(journal.plan_id))


def restructure_plan(journal: Journal) -> PlanCounts:
    """Units by old command → successor (provincial and area commands each), units whose
    provincial command ends without a successor (orphans), and means by old commune →
    successor."""
    moves: list[UnitMove] = []
    with connection.cursor() as cursor:
        for record, column in COLUMNS.items():
            cursor.execute(
                f"SELECT u.{column}, s.new_id, COUNT(*) FROM {UNITS} u "
                f"JOIN {journal.successors('org')} s ON s.old_id = u.{column} "
                "WHERE u.valid_to IS NULL "
                f"GROUP BY u.{column}, s.new_id"
            )
            moves += [UnitMove(record, "org", o, n, c) for o, n, c in sorted(cursor.fetchall())]
        cursor.execute(
            f"SELECT u.command_id, COUNT(*) FROM {UNITS} u "
            f"JOIN {journal.ending('org')} e ON e.unit_id = u.command_id "
            "WHERE e.new_id IS NULL AND u.valid_to IS NULL GROUP BY u.command_id"
        )
        orphans = [UnitCount("org", unit, n) for unit, n in cursor.fetchall()]
        cursor.execute(
            f"SELECT m.commune_id, s.new_id, COUNT(*) FROM {MEANS} m "
            f"JOIN {journal.successors('admin')} s ON s.old_id = m.commune_id "
            "GROUP BY m.commune_id, s.new_id"
        )
        moves += [UnitMove(MEANS_RECORD, "admin", o, n, c) for o, n, c in sorted(cursor.fetchall())]
    return PlanCounts(moves=moves, orphans=orphans)


def restructure_apply(journal: Journal, day: date, acting_user: Any) -> Counts:
    """Re-point the units of ending commands, and the means of ending communes, to the
    successors; returns how many of each moved."""
    moved = 0
    for record, column in COLUMNS.items():
        added = journal.add(
            record,
            f"SELECT u.id AS record_id, u.{column} AS old_value, s.new_id AS new_value, "
            f"0 AS flags FROM {UNITS} u "
            f"JOIN {journal.successors('org')} s ON s.old_id = u.{column} "
            "WHERE u.valid_to IS NULL",
        )
        if added:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {UNITS} AS u SET {column} = j.new_value "
                    f"FROM {journal.rows(record, this_batch=True)} j WHERE u.id = j.record_id"
                )
        moved += added
    means = journal.add(
        MEANS_RECORD,
        f"SELECT m.id AS record_id, m.commune_id AS old_value, s.new_id AS new_value, "
        f"0 AS flags FROM {MEANS} m "
        f"JOIN {journal.successors('admin')} s ON s.old_id = m.commune_id",
    )
    if means:
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {MEANS} AS m SET commune_id = j.new_value "
                f"FROM {journal.rows(MEANS_RECORD, this_batch=True)} j WHERE m.id = j.record_id"
            )
    if not moved and not means:
        return {"reserve_units": 0, "reserve_means": 0}
    audit.record(
        "restructure.plan.reserve_units_moved",
        actor=acting_user,
        target=_target(journal),
        data={"reserve_units": moved, "reserve_means": means, "batch": journal.batch},
    )
    return {"reserve_units": moved, "reserve_means": means}


def restructure_revert(journal: Journal, acting_user: Any) -> Counts:
    """Put back the commands and communes the plan moved; returns how many of each."""
    restored = 0
    with connection.cursor() as cursor:
        for record, column in COLUMNS.items():
            cursor.execute(
                f"UPDATE {UNITS} AS u SET {column} = j.old_value FROM {journal.rows(record)} j "
                f"WHERE u.id = j.record_id AND u.{column} = j.new_value"
            )
            restored += cursor.rowcount
        cursor.execute(
            f"UPDATE {MEANS} AS m SET commune_id = j.old_value "
            f"FROM {journal.rows(MEANS_RECORD)} j "
            "WHERE m.id = j.record_id AND m.commune_id = j.new_value"
        )
        means = max(cursor.rowcount, 0)
    if restored or means:
        audit.record(
            "restructure.plan.reserve_units_restored",
            actor=acting_user,
            target=_target(journal),
            data={"reserve_units": restored, "reserve_means": means},
        )
    return {"reserve_units": restored, "reserve_means": means}
