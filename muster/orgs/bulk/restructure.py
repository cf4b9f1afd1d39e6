"""Commands and territories through a restructuring (`core.restructuring`), set-based.

Every command a step ends is closed the day before (journal `org_unit`: old and new `valid_to`
as ordinals). Every territory still open on the day of an ending command or on an ending admin
unit is closed the day before (`territory`, likewise); a continuing command's territory on an
ending admin unit follows it to the unit's default successor from the day (a new row, journal
flag `CREATED` with the command and admin unit ids), unless the command already covers the
successor. Revert puts the dates back
and deletes the rows it created.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection

from muster import audit
from muster.core.restructuring import (
    Counts,
    Journal,
    PlanCounts,
    UnitMove,
    date_ordinal_sql,
    fresh_ids_sql,
    ordinal_date_sql,
)
from muster.orgs.models import OrgKind, OrgUnit, Territory

ORG_UNIT, TERRITORY = "org_unit", "territory"
CREATED = 1  # journal flags of a territory: the row was created by the plan
ORG_UNITS = OrgUnit._meta.db_table
TERRITORIES = Territory._meta.db_table


def _target(journal: Journal) -> tuple[str, str]:
    return ("restructure.plan", str(journal.plan_id))


def _open_on(alias: str) -> str:
    """SQL: the row is still valid on or after the day (the first parameter)."""
    return f"({alias}.valid_to IS NULL OR {alias}.valid_to >= %s)"


def restructure_plan(journal: Journal) -> PlanCounts:
    """Commune commands' territories on an ending admin unit, by old unit → successor (they
    follow it); commands and users are counted by their own participants."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT t.admin_unit_id, m.new_id, COUNT(*) FROM {TERRITORIES} t "
            f"JOIN {journal.successors('admin')} m ON m.old_id = t.admin_unit_id "
            f"JOIN {ORG_UNITS} o ON o.id = t.org_unit_id "
            f"WHERE {_open_on('t')} AND o.kind = %s GROUP BY t.admin_unit_id, m.new_id",
            [connection.ops.adapt_datefield_value(journal.day), OrgKind.COMMUNE_COMMAND],
        )
        moves = [
            UnitMove(TERRITORY, "admin", old, new, n, commune_id=new)
            for old, new, n in sorted(cursor.fetchall())
        ]
    return PlanCounts(moves=moves)


def restructure_apply(journal: Journal, day: date, acting_user: Any) -> Counts:
    """Close ending commands and territories; carry continuing commands' territories over."""
    adapt = connection.ops.adapt_datefield_value
    on_day, before = adapt(day), adapt(journal.before)
    closed_to = journal.before.toordinal()
    org_units = journal.add(
        ORG_UNIT,
        f"SELECT o.id AS record_id, {date_ordinal_sql('o.valid_to')} AS old_value, "
        f"{closed_to} AS new_value, 0 AS flags FROM {ORG_UNITS} o "
        f"JOIN {journal.ending('org')} e ON e.unit_id = o.id WHERE {_open_on('o')}",
        [on_day],
    )
    closing = journal.add(
        TERRITORY,
        f"SELECT t.id AS record_id, {date_ordinal_sql('t.valid_to')} AS old_value, "
        f"{closed_to} AS new_value, 0 AS flags FROM {TERRITORIES} t WHERE {_open_on('t')} "
        f"AND (t.org_unit_id IN (SELECT unit_id FROM {journal.ending('org')} e) "
        f"OR t.admin_unit_id IN (SELECT unit_id FROM {journal.ending('admin')} e))",
        [on_day],
    )
    closed = f"(SELECT record_id FROM {journal.rows(TERRITORY, this_batch=True)} j)"
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ORG_UNITS} SET valid_to = %s "
            f"WHERE id IN (SELECT record_id FROM {journal.rows(ORG_UNIT, this_batch=True)} j)",
            [before],
        )
        cursor.execute(f"UPDATE {TERRITORIES} SET valid_to = %s WHERE id IN {closed}", [before])
    # Each carried-over territory is journaled first, under an id drawn for it (command and
    # admin unit in the value columns), then created from its journal row.
    created = journal.add(
        TERRITORY,
        f"SELECT {fresh_ids_sql(TERRITORIES, 'c.org_unit_id, c.admin_unit_id')} AS record_id, "
        f"c.org_unit_id AS old_value, c.admin_unit_id AS new_value, {CREATED} AS flags FROM ("
        f"SELECT DISTINCT t.org_unit_id, m.new_id AS admin_unit_id FROM {TERRITORIES} t "
        f"JOIN {journal.successors('admin')} m ON m.old_id = t.admin_unit_id "
        f"WHERE t.id IN {closed} "
        f"AND t.org_unit_id NOT IN (SELECT unit_id FROM {journal.ending('org')} e) "
        f"AND NOT EXISTS (SELECT 1 FROM {TERRITORIES} o WHERE o.org_unit_id = t.org_unit_id "
        f"AND o.admin_unit_id = m.new_id AND {_open_on('o')})) c",
        [on_day],
    )
    if created:
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {TERRITORIES} (id, org_unit_id, admin_unit_id, valid_from, valid_to) "
                f"SELECT j.record_id, j.old_value, j.new_value, %s, NULL "
                f"FROM {journal.rows(TERRITORY, this_batch=True)} j WHERE j.flags = {CREATED}",
                [on_day],
            )
    counts = {"org_units": org_units, "territories": closing + created}
    if org_units or closing:
        audit.record(
            "restructure.plan.territories_moved",
            actor=acting_user,
            target=_target(journal),
            data={"batch": journal.batch, **counts},
        )
    return counts


def restructure_revert(journal: Journal, acting_user: Any) -> Counts:
    """Dates as they were; territories the plan created deleted."""
    territories = journal.rows(TERRITORY)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ORG_UNITS} AS o SET valid_to = {ordinal_date_sql('j.old_value')} "
            f"FROM {journal.rows(ORG_UNIT)} j WHERE o.id = j.record_id"
        )
        org_units = int(cursor.rowcount)
        cursor.execute(
            f"DELETE FROM {TERRITORIES} WHERE id IN "
            f"(SELECT record_id FROM {territories} j WHERE j.flags = {CREATED})"
        )
        cursor.execute(
            f"UPDATE {TERRITORIES} AS t SET valid_to = {ordinal_date_sql('j.old_value')} "
            f"FROM {territories} j WHERE t.id = j.record_id AND j.flags <> {CREATED}"
        )
        cursor.execute(f"SELECT COUNT(*) FROM {territories} j")
        restored = int(cursor.fetchone()[0])
    counts = {"org_units": org_units, "territories": restored}
    if org_units or restored:
        audit.record(
            "restructure.plan.territories_restored",
            actor=acting_user,
            target=_target(journal),
            data=counts,
        )
    return counts
