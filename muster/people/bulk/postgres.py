"""PostgreSQL: one transaction, COPY — straight into the table for a fresh load (indexes dropped
and rebuilt), else into a stage merged with one upsert."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import polars as pl
from django.db import connection
from psycopg import sql

from muster.people.bulk.checks import PERSON_COLUMNS
from muster.people.bulk.indexes import indexes_repair, loaded_tables_indexes_drop
from muster.people.bulk.overlap import prefetch
from muster.people.bulk.shared import (
    CHANGED,
    MOVED,
    MOVED_FROM_CHANGED_SQL,
    PERSON,
    RESIDENCE,
    STAGE,
    LoadClock,
    _changed_sql,
    _residence_sql,
    _stage_ddl,
    _upsert_sql,
    open_periods_after,
)

# The merge's hash join of the staged rows with the registry: in memory, not in 32 batches.
MERGE_WORK_MEM = "256MB"


def _copy_rows(
    table: str,
    columns: Sequence[str],
    batches: Iterable[pl.DataFrame],
    progress: Callable[[int], None] | None,
) -> int:
    raw: Any = connection.connection
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )

    def encoded() -> Iterator[tuple[bytes, int]]:
        for batch in batches:
            # Polars writes CSV in native code; an empty string is quoted, a null is bare.
            out = io.BytesIO()
            batch.select(columns).write_csv(out, include_header=False)
            yield out.getvalue(), batch.height

    done = 0
    with (
        contextlib.closing(prefetch(encoded())) as chunks,
        raw.cursor() as cursor,
        cursor.copy(copy_sql) as copy,
    ):
        for chunk, height in chunks:
            copy.write(chunk)
            done += height
            if progress:
                progress(done)
    return done


@contextlib.contextmanager
def _column_defaults(table: str, values: dict[str, Any]) -> Iterator[None]:
    """`values` as the columns' defaults inside the caller's transaction, then the defaults
    they had. A timestamp common to every row is parsed once as a default, not twice per row
    from the COPY text (a million rows: ~0.5–0.9 s of the server's COPY)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE a.attrelid = %s::regclass AND a.attname = ANY(%s)",
            [table, list(values)],
        )
        before = dict(cursor.fetchall())
        for column, value in values.items():
            cursor.execute(
                sql.SQL("ALTER TABLE {} ALTER COLUMN {} SET DEFAULT {}").format(
                    sql.Identifier(table), sql.Identifier(column), sql.Literal(value)
                )
            )
    yield  # an error rolls the caller's transaction back, the defaults with it
    with connection.cursor() as cursor:
        for column in values:
            default = before.get(column)
            cursor.execute(
                sql.SQL("ALTER TABLE {} ALTER COLUMN {} ").format(
                    sql.Identifier(table), sql.Identifier(column)
                )
                + (
                    sql.SQL("SET DEFAULT ") + sql.SQL(default)
                    if default
                    else sql.SQL("DROP DEFAULT")
                )
            )


def postgres_load(
    batches: Iterable[pl.DataFrame],
    *,
    fresh: bool,
    keep_phone: bool,
    clock: LoadClock,
    progress: Callable[[int], None] | None = None,
    same_in_every_row: dict[str, str] | None = None,
) -> tuple[int, int]:
    """Load prepared batches (PERSON_COLUMNS); (inserted, updated). Inside the caller's atomic.

    `fresh` (the caller checked `registry_is_empty(lock=True)` in this transaction): drop the
    indexes, COPY straight into the table, open residence periods set-based, rebuild. Columns
    of `same_in_every_row` (e.g. the extract's source) are then column defaults, not COPY text.
    """
    connection.ensure_connection()
    with connection.cursor() as cursor:
        # Index builds sort in memory instead of on disk; only for this transaction.
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute("SET LOCAL max_parallel_maintenance_workers = 2")
        # Re-adding a foreign key checks every row with one anti-join; with the default 4 MB
        # it spills a million-row hash to disk.
        cursor.execute(f"SET LOCAL work_mem = '{MERGE_WORK_MEM}'")
    if fresh:
        with connection.cursor() as cursor:
            # ALTER TABLE refuses while deferred FK checks of this transaction are pending
            # (e.g. units created just before): run them now; this load checks its own.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        loaded_tables_indexes_drop()
        constant = {"created_at": clock.now, "updated_at": clock.now, **(same_in_every_row or {})}
        columns = [c for c in PERSON_COLUMNS if c not in constant]
        with _column_defaults(PERSON, constant):
            inserted = _copy_rows(PERSON, columns, batches, progress)
        open_periods_after(0)  # the registry was empty
        indexes_repair()
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {PERSON}")
            cursor.execute(f"ANALYZE {RESIDENCE}")
        return inserted, 0

    with connection.cursor() as cursor:
        for table in (STAGE, CHANGED, MOVED):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(_stage_ddl(PERSON_COLUMNS))
    _copy_rows(STAGE, PERSON_COLUMNS, batches, progress)
    with connection.cursor() as cursor:
        # No ANALYZE of the stage: the one hash join below needs only its size, which the
        # planner reads from the file.
        cursor.execute(f"SET LOCAL work_mem = '{MERGE_WORK_MEM}'")
        cursor.execute(_changed_sql(PERSON_COLUMNS, keep_phone=keep_phone))
        cursor.execute(MOVED_FROM_CHANGED_SQL)
        # xmax = 0 marks a row this statement inserted (an updated row carries our xid).
        # New persons get their open residence period in the same statement.
        upsert = _upsert_sql(PERSON_COLUMNS, keep_phone=keep_phone, source=CHANGED)
        cursor.execute(
            f"WITH up AS ({upsert} "
            "RETURNING id, residence_commune_id, address, (xmax = 0) AS inserted), "
            f"periods AS (INSERT INTO {RESIDENCE} "
            "(person_id, commune_id, address, valid_from, valid_to) "
            "SELECT id, residence_commune_id, address, NULL, NULL FROM up WHERE inserted) "
            "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
            "FROM up",
            [clock.now, clock.now],
        )
        inserted, updated = cursor.fetchone()
        for statement, param in _residence_sql(first_periods=False):
            cursor.execute(statement, [getattr(clock, param)] if param else [])
        for table in (STAGE, CHANGED, MOVED):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        if inserted + updated >= 10_000:
            # Fresh statistics, or the planner misjudges prefix searches right after a load.
            cursor.execute(f"ANALYZE {PERSON}")
    return int(inserted), int(updated)
