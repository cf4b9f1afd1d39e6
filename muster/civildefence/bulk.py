"""Civil-defence records through a restructuring (`core.restructuring`), set-based.

Shelters, rescue means, commune civil-defence commands and current response plans of an
ending command go to its default successor; shelters and means in an ending commune go to the
successor commune. Every current plan whose command ends or whose tasks lie in an ending
commune is flagged for revision (`rules.REVISION_RESTRUCTURED`): its version stays as it was
computed, the next computation follows the new boundaries. Journal `civildef`: record id with
flags saying what moved, old and new value. Revert puts each back.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection

from muster import audit
from muster.civildefence.models import (
    CivilDefenceCommand,
    PlanTask,
    RescueMeans,
    ResponsePlan,
    Shelter,
)
from muster.civildefence.rules import REVISION_RESTRUCTURED
from muster.core.restructuring import Counts, Journal, PlanCounts, UnitMove

RECORD = "civildef"
SHELTERS = Shelter._meta.db_table
MEANS = RescueMeans._meta.db_table
COMMANDS = CivilDefenceCommand._meta.db_table
PLANS = ResponsePlan._meta.db_table
TASKS = PlanTask._meta.db_table
FLAG = 9  # a plan flagged for revision: old_value its needs_revision before (0/1)
# What moves: (flag, table, unit type, column, the rows that move).
MOVED = (
    (0, SHELTERS, "org", "unit_id", "TRUE"),
    (1, MEANS, "org", "unit_id", "TRUE"),
    (2, COMMANDS, "org", "unit_id", "t.valid_to IS NULL"),
    (3, PLANS, "org", "unit_id", "t.status = 'current'"),
    (4, SHELTERS, "admin", "commune_id", "TRUE"),
    (5, MEANS, "admin", "commune_id", "TRUE"),
)


def _target(journal: Journal) -> tuple[str, str]:
    return ("restructure.plan", str(journal.plan_id))


def _flagged_sql(journal: Journal) -> str:
    """Current plans whose command ends or one of whose tasks lies in an ending commune."""
    return (
        f"SELECT p.id AS record_id, CASE WHEN p.needs_revision THEN 1 ELSE 0 END AS old_value, "
        f"1 AS new_value, {FLAG} AS flags FROM {PLANS} p WHERE p.status = 'current' AND ("
        f"p.unit_id IN (SELECT unit_id FROM {journal.ending('org')} e) OR EXISTS ("
        f"SELECT 1 FROM {TASKS} k WHERE k.plan_id = p.id AND k.commune_id IN "
        f"(SELECT unit_id FROM {journal.ending('admin')} a)))"
    )


def restructure_plan(journal: Journal) -> PlanCounts:
    """Civil-defence records of ending units, by old unit → successor."""
    moves: list[UnitMove] = []
    with connection.cursor() as cursor:
        for _flag, table, unit_type, column, where in MOVED:
            cursor.execute(
                f"SELECT t.{column}, s.new_id, COUNT(*) FROM {table} t "
                f"JOIN {journal.successors(unit_type)} s ON s.old_id = t.{column} "
                f"WHERE {where} GROUP BY t.{column}, s.new_id"
            )
            moves += [UnitMove(RECORD, unit_type, old, new, n) for old, new, n in cursor.fetchall()]
    return PlanCounts(moves=sorted(moves, key=lambda m: (m.unit_type, m.old_id, m.new_id)))


def restructure_apply(journal: Journal, day: date, acting_user: Any) -> Counts:
    """Re-point the records to the successors and flag the plans; returns the rows changed."""
    flagged = journal.add(RECORD, _flagged_sql(journal))
    moved = 0
    for flag, table, unit_type, column, where in MOVED:
        moved += journal.add(
            RECORD,
            f"SELECT t.id AS record_id, t.{column} AS old_value, s.new_id AS new_value, "
            f"{flag} AS flags FROM {table} t "
            f"JOIN {journal.successors(unit_type)} s ON s.old_id = t.{column} WHERE {where}",
        )
    if not moved and not flagged:
        return {"civildefence": 0}
    rows = journal.rows(RECORD, this_batch=True)
    with connection.cursor() as cursor:
        for flag, table, _unit_type, column, _where in MOVED:
            cursor.execute(
                f"UPDATE {table} SET {column} = (SELECT j.new_value FROM {rows} j "
                f"WHERE j.record_id = {table}.id AND j.flags = {flag}) "
                f"WHERE id IN (SELECT record_id FROM {rows} j WHERE j.flags = {flag})"
            )
        cursor.execute(
            f"UPDATE {PLANS} SET needs_revision = %s, revision_reason = %s "
            f"WHERE id IN (SELECT record_id FROM {rows} j WHERE j.flags = {FLAG})",
            [True, REVISION_RESTRUCTURED],
        )
    audit.record(
        "restructure.plan.civildefence_moved",
        actor=acting_user,
        target=_target(journal),
        data={"records": moved, "plans_flagged": flagged, "batch": journal.batch},
    )
    return {"civildefence": moved, "civildefence_flagged": flagged}


def restructure_revert(journal: Journal, acting_user: Any) -> Counts:
    """Put the records back on the units they left and the plans' flags as they were."""
    rows = journal.rows(RECORD)
    restored = 0
    with connection.cursor() as cursor:
        for flag, table, _unit_type, column, _where in MOVED:
            cursor.execute(
                f"UPDATE {table} SET {column} = (SELECT j.old_value FROM {rows} j "
                f"WHERE j.record_id = {table}.id AND j.flags = {flag}) "
                f"WHERE id IN (SELECT record_id FROM {rows} j WHERE j.flags = {flag})"
            )
            restored += max(cursor.rowcount, 0)
        cursor.execute(
            f"UPDATE {PLANS} SET needs_revision = %s, revision_reason = '' "
            f"WHERE id IN (SELECT record_id FROM {rows} j WHERE j.flags = {FLAG} "
            f"AND j.old_value = 0)",
            [False],
        )
        restored += max(cursor.rowcount, 0)
    if restored:
        audit.record(
            "restructure.plan.civildefence_restored",
            actor=acting_user,
            target=_target(journal),
            data={"records": restored},
        )
    return {"civildefence": restored}
