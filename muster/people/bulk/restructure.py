"""Persons and their residence periods through a restructuring (`core.restructuring`).

Everyone living in a unit that ends moves to its default successor (a person of a split ward to
the commune decided for them): their open residence period closes the day before and a new one
opens on the day, so a count "as of" either side of the change holds. A person without any
period first gets the one they lived in before the change (journal flag `BACKFILLED`).

Two paths, both set-based and journaled (`person`: old and new commune):
* batched: each call journals the next `journal.limit` persons by id, re-points them with one
  UPDATE … FROM the journal and closes and opens their periods with INSERT … SELECT — the engine
  commits each batch, so a killed run continues after the last journaled person;
* rewrite (PostgreSQL, a large plan, one transaction under the engine's locks): who moves where
  is staged once in a temporary table, then `people_person` and `people_residenceperiod` are
  written as fresh copies and swapped in (`core.tableswap`: indexes, constraints and foreign
  keys rebuilt once each under the same names) — a bare UPDATE of a million persons writes a new
  row version and an entry in each of the person table's indexes per row, twice with the periods.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.utils import timezone
from psycopg import sql

from muster import audit
from muster.core.restructuring import Counts, Journal, PlanCounts, UnitCount, UnitMove
from muster.core.tableswap import TableSwap
from muster.geo.models import AdminUnit
from muster.people.bulk.shared import PERSON, RESIDENCE

RECORD = "person"
BACKFILLED = 1  # journal flags: the person had no period, the one before the change was added
TABLES = (PERSON, RESIDENCE)
MOVES = "people_restructure_moves"  # temporary: person, old and new commune, flags, address


def _target(journal: Journal) -> tuple[str, str]:
    return ("restructure.plan", str(journal.plan_id))


def _moving(journal: Journal) -> str:
    """FROM person p: where each mover goes — the split decision, else the default successor."""
    return (
        f"FROM {PERSON} p JOIN {journal.successors('admin')} m "
        f"ON m.old_id = p.residence_commune_id "
        f"LEFT JOIN {journal.choices()} c ON c.person_id = p.id"
    )


def restructure_plan(journal: Journal) -> PlanCounts:
    """Persons that would move, by old commune → new commune, and those left on a unit that
    ends without a successor."""
    counts = PlanCounts()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.residence_commune_id, COALESCE(c.commune_id, m.new_id), COUNT(*) "
            f"{_moving(journal)} GROUP BY p.residence_commune_id, COALESCE(c.commune_id, m.new_id)"
        )
        counts.moves = [
            UnitMove(RECORD, "admin", old, new, n, commune_id=new)
            for old, new, n in sorted(cursor.fetchall())
        ]
        cursor.execute(
            f"SELECT p.residence_commune_id, COUNT(*) FROM {PERSON} p "
            f"JOIN {AdminUnit._meta.db_table} a ON a.id = p.residence_commune_id "
            "WHERE a.valid_to < %s "
            f"AND p.residence_commune_id NOT IN (SELECT old_id FROM {journal.successors('admin')} s) "
            "GROUP BY p.residence_commune_id",
            [connection.ops.adapt_datefield_value(journal.day)],
        )
        counts.orphans = [UnitCount("admin", unit, n) for unit, n in cursor.fetchall()]
    return counts


def restructure_apply(journal: Journal, day: date, acting_user: Any) -> Counts:
    """Move the next batch of persons (or, on the fast path, all of them); audited."""
    moved = _rewrite(journal, day) if journal.rewrite else _batch(journal, day)
    if moved:
        audit.record(
            "restructure.plan.persons_moved",
            actor=acting_user,
            target=_target(journal),
            data={"batch": journal.batch, "persons": moved},
        )
    return {"persons": moved}


def _batch(journal: Journal, day: date) -> int:
    adapt = connection.ops.adapt_datefield_value
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(record_id), 0) FROM {journal.rows(RECORD)} j")
        last = int(cursor.fetchone()[0])
        moved = journal.add(
            RECORD,
            "SELECT p.id AS record_id, p.residence_commune_id AS old_value, "
            "COALESCE(c.commune_id, m.new_id) AS new_value, "
            f"CASE WHEN EXISTS (SELECT 1 FROM {RESIDENCE} r WHERE r.person_id = p.id) "
            f"THEN 0 ELSE {BACKFILLED} END AS flags "
            f"{_moving(journal)} WHERE p.id > %s ORDER BY p.id"
            + (" LIMIT %s" if journal.limit else ""),
            [last, journal.limit] if journal.limit else [last],
        )
        if not moved:
            return 0
        batch = journal.rows(RECORD, this_batch=True)
        cursor.execute(
            f"UPDATE {PERSON} AS p SET residence_commune_id = j.new_value, updated_at = %s "
            f"FROM {batch} j WHERE p.id = j.record_id",
            [timezone.now()],
        )
        cursor.execute(
            f"UPDATE {RESIDENCE} SET valid_to = %s "
            "WHERE valid_to IS NULL AND (valid_from IS NULL OR valid_from < %s) "
            f"AND person_id IN (SELECT j.record_id FROM {batch} j)",
            [adapt(journal.before), adapt(day)],
        )
        # Persons without any history get the period they lived in before the change.
        cursor.execute(
            f"INSERT INTO {RESIDENCE} (person_id, commune_id, address, valid_from, valid_to) "
            f"SELECT j.record_id, j.old_value, p.address, NULL, %s "
            f"FROM {batch} j JOIN {PERSON} p ON p.id = j.record_id WHERE j.flags = {BACKFILLED}",
            [adapt(journal.before)],
        )
        cursor.execute(
            f"INSERT INTO {RESIDENCE} (person_id, commune_id, address, valid_from, valid_to) "
            f"SELECT j.record_id, j.new_value, p.address, %s, NULL "
            f"FROM {batch} j JOIN {PERSON} p ON p.id = j.record_id",
            [adapt(day)],
        )
    return moved


def _rewrite(journal: Journal, day: date) -> int:
    """Every person still in an ending unit, by rewriting both tables (the engine holds the
    locks and the transaction)."""
    with connection.cursor() as cursor:
        with journal.steps.step("moves"):
            moved = _moves_stage(cursor, journal)
        if not moved:
            return 0
        journal.add(
            RECORD,
            "SELECT person_id AS record_id, old_id AS old_value, new_id AS new_value, flags "
            f"FROM {MOVES}",
        )
        swap = TableSwap(cursor, TABLES)
        with journal.steps.step(f"fill {PERSON}"):
            _persons_fill(cursor, swap)
        with journal.steps.step(f"fill {RESIDENCE}"):
            _periods_fill(cursor, swap, day, journal.before)
        swap.swap(journal.steps)
    return moved


def _moves_stage(cursor: Any, journal: Journal) -> int:
    """Who moves where, like a batch's journal rows, minus anyone journaled already (a killed
    batched run is finished this way)."""
    cursor.execute(f"DROP TABLE IF EXISTS {MOVES}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {MOVES} ON COMMIT DROP AS "
        "SELECT p.id AS person_id, p.residence_commune_id AS old_id, "
        "COALESCE(c.commune_id, m.new_id) AS new_id, "
        f"CASE WHEN EXISTS (SELECT 1 FROM {RESIDENCE} r WHERE r.person_id = p.id) "
        f"THEN 0 ELSE {BACKFILLED} END AS flags, p.address "
        f"{_moving(journal)} "
        f"WHERE NOT EXISTS (SELECT 1 FROM {journal.rows(RECORD)} j WHERE j.record_id = p.id)"
    )
    moved = int(cursor.rowcount)
    cursor.execute(f"ANALYZE {MOVES}")  # temporary tables are never auto-analysed
    return moved


def _select_list(
    swap: TableSwap, table: str, alias: str, **changed: sql.Composable
) -> sql.Composed:
    """Every column of `table` as `alias.column`, except those given new expressions."""
    return sql.SQL(", ").join(
        changed.get(column, sql.SQL("{}.{}").format(sql.Identifier(alias), sql.Identifier(column)))
        for column in swap.columns(table)
    )


def _persons_fill(cursor: Any, swap: TableSwap) -> None:
    columns = _select_list(
        swap,
        PERSON,
        "p",
        residence_commune_id=sql.SQL("COALESCE(mv.new_id, p.residence_commune_id)"),
        updated_at=sql.SQL("CASE WHEN mv.person_id IS NULL THEN p.updated_at ELSE %s END"),
    )
    cursor.execute(
        sql.SQL("INSERT INTO {} SELECT {} FROM {} p LEFT JOIN {} mv ON mv.person_id = p.id").format(
            swap.staging(PERSON), columns, sql.Identifier(PERSON), sql.Identifier(MOVES)
        ),
        [timezone.now()],
    )


def _periods_fill(cursor: Any, swap: TableSwap, day: date, before: date) -> None:
    """Open periods of movers closed the day before; persons without any history get the
    period before the change backfilled; everyone who moved gets a period from the day."""
    columns = _select_list(
        swap,
        RESIDENCE,
        "r",
        valid_to=sql.SQL(
            "CASE WHEN mv.person_id IS NOT NULL AND r.valid_to IS NULL "
            "AND (r.valid_from IS NULL OR r.valid_from < %s) THEN %s ELSE r.valid_to END"
        ),
    )
    staging = swap.staging(RESIDENCE)
    cursor.execute(
        sql.SQL(
            "INSERT INTO {} SELECT {} FROM {} r LEFT JOIN {} mv ON mv.person_id = r.person_id"
        ).format(staging, columns, sql.Identifier(RESIDENCE), sql.Identifier(MOVES)),
        [day, before],
    )
    added = sql.SQL(
        "INSERT INTO {} (id, person_id, commune_id, address, valid_from, valid_to) "
        "SELECT nextval(%s::regclass), person_id, {}, address, %s, %s FROM {} {}"
    )
    sequence = swap.sequence(RESIDENCE)
    cursor.execute(
        added.format(
            staging,
            sql.Identifier("old_id"),
            sql.Identifier(MOVES),
            sql.SQL(f"WHERE flags = {BACKFILLED}"),
        ),
        [sequence, None, before],
    )
    cursor.execute(
        added.format(staging, sql.Identifier("new_id"), sql.Identifier(MOVES), sql.SQL("")),
        [sequence, day, None],
    )


def restructure_revert(journal: Journal, acting_user: Any) -> Counts:
    """Put every journaled person back in their old commune with their periods as they were."""
    adapt = connection.ops.adapt_datefield_value
    persons = journal.rows(RECORD)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {RESIDENCE} WHERE valid_from = %s AND EXISTS ("
            f"SELECT 1 FROM {persons} j WHERE j.record_id = {RESIDENCE}.person_id "
            f"AND j.new_value = {RESIDENCE}.commune_id)",
            [adapt(journal.day)],
        )
        cursor.execute(
            f"DELETE FROM {RESIDENCE} WHERE valid_from IS NULL AND valid_to = %s AND EXISTS ("
            f"SELECT 1 FROM {persons} j WHERE j.flags = {BACKFILLED} "
            f"AND j.record_id = {RESIDENCE}.person_id AND j.old_value = {RESIDENCE}.commune_id)",
            [adapt(journal.before)],
        )
        cursor.execute(
            f"UPDATE {RESIDENCE} SET valid_to = NULL WHERE valid_to = %s AND EXISTS ("
            f"SELECT 1 FROM {persons} j WHERE j.flags = 0 "
            f"AND j.record_id = {RESIDENCE}.person_id AND j.old_value = {RESIDENCE}.commune_id)",
            [adapt(journal.before)],
        )
        cursor.execute(
            f"UPDATE {PERSON} AS p SET residence_commune_id = j.old_value FROM {persons} j "
            "WHERE p.id = j.record_id AND p.residence_commune_id = j.new_value"
        )
        restored = int(cursor.rowcount)
    if restored:
        audit.record(
            "restructure.plan.persons_restored",
            actor=acting_user,
            target=_target(journal),
            data={"persons": restored},
        )
    return {"persons": restored}
