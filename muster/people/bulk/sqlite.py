"""SQLite: one batch per call, inside the caller's transaction — inserted directly for a fresh load,
else staged with executemany and merged with the same upsert as PostgreSQL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import polars as pl
from django.db import connection

from muster.people.bulk.checks import PERSON_COLUMNS
from muster.people.bulk.shared import (
    MOVED,
    MOVED_SQL,
    PERSON,
    STAGE,
    LoadClock,
    _ident,
    _residence_sql,
    _stage_ddl,
    _upsert_sql,
    last_person_id,
    open_periods_after,
)

# For the length of a load (set outside its transactions): index builds sort on two helper
# threads as well, and an ANALYZE samples the indexes instead of reading every entry (what
# `PRAGMA optimize` does). Each sorter holds up to the page cache's size in memory, so a
# 32 MB cache keeps a 5M-row load under 500 MB (a 128 MB cache: 710 MB) and is no slower.
SQLITE_LOAD_PRAGMAS = {"cache_size": -32_768, "threads": 2, "analysis_limit": 1000}


@contextlib.contextmanager
def sqlite_load_pragmas() -> Iterator[None]:
    """SQLITE_LOAD_PRAGMAS on this connection, the previous values restored afterwards."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        before: dict[str, Any] = {}
        for name, value in SQLITE_LOAD_PRAGMAS.items():
            cursor.execute(f"PRAGMA {name}")
            before[name] = cursor.fetchone()[0]
            cursor.execute(f"PRAGMA {name} = {int(value)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute(f"PRAGMA {name} = {int(value)}")


def _sqlite_text(batch: pl.DataFrame) -> pl.DataFrame:
    return batch.select(PERSON_COLUMNS).with_columns(
        pl.col("birth_date").dt.to_string("%Y-%m-%d"), pl.col("died_on").dt.to_string("%Y-%m-%d")
    )


def sqlite_rows(batch: pl.DataFrame) -> list[tuple[Any, ...]]:
    """A prepared batch as `sqlite_insert_fresh` binds it (dates as text)."""
    return _sqlite_text(batch).rows()


def _sql_text(value: str) -> str:
    """A SQL string literal (SQLite has no backslash escapes)."""
    return "'" + value.replace("'", "''") + "'"


def sqlite_insert_fresh(rows: list[tuple[Any, ...]], *, clock: LoadClock) -> int:
    """Insert `sqlite_rows` of persons nobody registered yet (indexes dropped), and their open
    residence periods by id; the number inserted. Inside the caller's transaction."""
    connection.ensure_connection()
    raw: Any = connection.connection
    # The timestamps are the same for every row: written once into the statement instead of
    # bound a million times.
    now = _sql_text(str(connection.ops.adapt_datetimefield_value(clock.now)))
    names = ", ".join(_ident(c) for c in PERSON_COLUMNS)
    marks = ", ".join("?" for _ in PERSON_COLUMNS)
    last = last_person_id()
    raw.executemany(
        f"INSERT INTO {PERSON} ({names}, created_at, updated_at) VALUES ({marks}, {now}, {now})",
        rows,
    )
    open_periods_after(last)
    return len(rows)


def sqlite_load_batch(
    batch: pl.DataFrame, *, fresh: bool, keep_phone: bool, clock: LoadClock
) -> tuple[int, int]:
    """Load one prepared batch (PERSON_COLUMNS); (inserted, updated).

    `fresh`: nobody in the batch is registered yet (an empty registry, indexes dropped), so
    rows go straight into the table and their periods follow by id; otherwise stage + upsert.
    """
    if fresh:
        return sqlite_insert_fresh(sqlite_rows(batch), clock=clock), 0
    connection.ensure_connection()
    raw: Any = connection.connection
    now = connection.ops.adapt_datetimefield_value(clock.now)
    as_text = _sqlite_text(batch)
    with connection.cursor() as cursor:
        for table in (STAGE, MOVED):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(_stage_ddl(PERSON_COLUMNS))
    names = ", ".join(_ident(c) for c in PERSON_COLUMNS)
    marks = ", ".join("?" for _ in PERSON_COLUMNS)
    raw.executemany(f"INSERT INTO {STAGE} ({names}) VALUES ({marks})", as_text.rows())
    with connection.cursor() as cursor:
        cursor.execute(MOVED_SQL)
        cursor.execute(
            f"SELECT count(*) FROM {STAGE} s WHERE NOT EXISTS "
            f"(SELECT 1 FROM {PERSON} p WHERE p.personal_id = s.personal_id)"
        )
        inserted = int(cursor.fetchone()[0])
        cursor.execute(_upsert_sql(PERSON_COLUMNS, keep_phone=keep_phone), [now, now])
        # SQLite counts a row inserted or updated by the upsert, not one its WHERE skipped.
        updated = cursor.rowcount - inserted
        for statement, param in _residence_sql(first_periods=True):
            cursor.execute(statement, [getattr(clock, param)] if param else [])
        for table in (STAGE, MOVED):
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
    return inserted, updated
