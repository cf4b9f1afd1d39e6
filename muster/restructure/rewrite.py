"""The fast path of `plan_apply` on PostgreSQL: every person moved by rewriting three tables.

Re-pointing a million persons with UPDATE writes a new tuple and an entry in each of the
person table's dozen indexes per row; closing their periods does the same again, and every
journal row queues a deferred foreign-key check. Here the moves are worked out once into a
temporary table, and the journal (`MoveRecord`), the persons and their residence periods are
written as fresh copies with INSERT … SELECT and swapped in (`tableswap.TableSwap`: indexes and
constraints rebuilt once each, same names). Same end state as the batched path, one batch.

All of it runs in the caller's transaction with ACCESS EXCLUSIVE locks on these tables and on
every table their foreign keys touch: a maintenance-window operation. A kill rolls it all back.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone
from psycopg import sql

from muster import audit
from muster.core.errors import InvalidInput
from muster.people.models import Person
from muster.restructure.models import MoveRecord, Plan, SplitCase, UnitMapping
from muster.restructure.resolve import Resolved
from muster.restructure.tableswap import Steps, TableSwap, tables_lock, unsupported

# Below this many persons the batched path is about as fast and keeps the tables open.
REWRITE_MIN_PERSONS = 100_000
JOURNAL = MoveRecord._meta.db_table
MAPPING = UnitMapping._meta.db_table
SPLITS = SplitCase._meta.db_table
PERSON = Person._meta.db_table
RESIDENCE = "people_residenceperiod"
TABLES = (JOURNAL, PERSON, RESIDENCE)
MOVES = "restructure_moves"  # temporary: person, old and new commune, flags, address
CREATED = 1  # MoveRecord.flags: the row was created by the plan / a period was backfilled
# For this transaction only: index builds sort in memory; joins hash the narrow moves table in
# memory (a larger work_mem lets the planner hash the wide person rows instead, 2x slower);
# JIT compiling costs more than it saves on these single-pass statements.
SESSION = (
    "SET LOCAL maintenance_work_mem = '1GB'",
    "SET LOCAL work_mem = '64MB'",
    "SET LOCAL jit = off",
)


def rewrite_chosen(resolved: Resolved, forced: bool | None) -> bool:
    """Whether `plan_apply` takes the rewrite path: `forced` True/False decides; None picks
    it on PostgreSQL when at least REWRITE_MIN_PERSONS persons move. Either way only if
    nothing depends on the tables that a swap could not carry over (`tableswap.unsupported`)."""
    if forced is False:
        return False
    if connection.vendor != "postgresql":
        if forced:
            raise InvalidInput.single("rewrite", "the rewrite path needs PostgreSQL")
        return False
    if not forced:
        old_ids = sorted(resolved.admin_default())
        movers = Person.objects.filter(residence_commune_id__in_array=old_ids).count()
        if movers < REWRITE_MIN_PERSONS:
            return False
    with connection.cursor() as cursor:
        refusal = unsupported(cursor, TABLES)
    if refusal and forced:
        raise InvalidInput.single("rewrite", f"cannot rewrite the tables: {refusal}")
    return refusal is None


def persons_lock(steps: Steps) -> None:
    """Take the rewrite's locks (see `tableswap.tables_lock`) at the start of its transaction."""
    with steps.step("lock"), connection.cursor() as cursor:
        tables_lock(cursor, TABLES)


def persons_rewrite(plan: Plan, *, steps: Steps, acting_user: Any = None) -> int:
    """Journal, re-point and re-date every person still in an ending unit; returns how many.

    Must run inside the caller's transaction (with the mapping and split decisions in place).
    """
    day = plan.effective_on
    persons_lock(steps)  # held already when called by plan_apply
    with connection.cursor() as cursor:
        for statement in SESSION:
            cursor.execute(statement)
        with steps.step("moves"):
            moved = _moves_stage(cursor, plan)
        if not moved:
            return 0
        cursor.execute(
            f"SELECT COALESCE(MAX(batch), 0) + 1 FROM {JOURNAL} WHERE plan_id = %s", [plan.pk]
        )
        batch = int(cursor.fetchone()[0])
        swap = TableSwap(cursor, TABLES)
        with steps.step(f"fill {JOURNAL}"):
            _journal_fill(cursor, swap, plan, batch)
        with steps.step(f"fill {PERSON}"):
            _persons_fill(cursor, swap)
        with steps.step(f"fill {RESIDENCE}"):
            _periods_fill(cursor, swap, day)
        swap.swap(steps)
        audit.record(
            "restructure.plan.batch_applied",
            actor=acting_user,
            target=plan,
            data={"batch": batch, "persons": moved, "rewrite": True},
        )
    return moved


def _moves_stage(cursor: Any, plan: Plan) -> int:
    """Who moves where, like the batched path's journal insert, minus anyone journaled."""
    cursor.execute(f"DROP TABLE IF EXISTS {MOVES}")
    cursor.execute(
        f"""
        CREATE TEMPORARY TABLE {MOVES} ON COMMIT DROP AS
        SELECT p.id AS person_id, p.residence_commune_id AS old_id,
               COALESCE(sc.decided_commune_id, sc.proposed_commune_id, m.new_id) AS new_id,
               CASE WHEN EXISTS (SELECT 1 FROM {RESIDENCE} r WHERE r.person_id = p.id)
                    THEN 0 ELSE {CREATED} END AS flags,
               p.address
        FROM {PERSON} p
        JOIN {MAPPING} m
          ON m.plan_id = %s AND m.unit_type = 'admin' AND m.old_id = p.residence_commune_id
        LEFT JOIN {SPLITS} sc ON sc.plan_id = %s AND sc.person_id = p.id
        WHERE NOT EXISTS (
          SELECT 1 FROM {JOURNAL} j
          WHERE j.plan_id = %s AND j.record_type = 'person' AND j.record_id = p.id)
        """,
        [plan.pk, plan.pk, plan.pk],
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


def _journal_fill(cursor: Any, swap: TableSwap, plan: Plan, batch: int) -> None:
    swap.copy_all(JOURNAL)
    cursor.execute(
        sql.SQL(
            "INSERT INTO {} (id, plan_id, record_type, record_id, old_value, new_value, flags, "
            "batch) SELECT nextval(%s::regclass), %s, 'person', person_id, old_id, new_id, "
            "flags, %s FROM {}"
        ).format(swap.staging(JOURNAL), sql.Identifier(MOVES)),
        [swap.sequence(JOURNAL), plan.pk, batch],
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


def _periods_fill(cursor: Any, swap: TableSwap, day: date) -> None:
    """Open periods of movers closed the day before; persons without any history get the
    period before the change backfilled; everyone who moved gets a period from the day."""
    before = day - timedelta(days=1)
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
            sql.SQL(f"WHERE flags = {CREATED}"),
        ),
        [sequence, None, before],
    )
    cursor.execute(
        added.format(staging, sql.Identifier("new_id"), sql.Identifier(MOVES), sql.SQL("")),
        [sequence, day, None],
    )
