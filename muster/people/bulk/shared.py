"""SQL shared by the PostgreSQL and SQLite loads: the tables, the stage and the upsert of new or
changed rows, residence history for movers and new persons, the load's clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import connection
from django.utils import timezone
from psycopg import sql

from muster.people.bulk.checks import COMPARED, TEXT_COLUMNS

STAGE = "people_person_stage"
MOVED = "people_person_moved"
CHANGED = "people_person_changed"
PERSON = "people_person"
RESIDENCE = "people_residenceperiod"


def _ident(name: str) -> str:
    return connection.ops.quote_name(name)


def _stage_ddl(columns: Sequence[str]) -> str:
    types = {"residence_commune_id": "bigint", "birth_date": "date", "died_on": "date"}
    body = ", ".join(f"{_ident(c)} {types.get(c, 'varchar(255)')}" for c in columns)
    if connection.vendor == "postgresql":
        return f"CREATE TEMPORARY TABLE {STAGE} ({body}) ON COMMIT DROP"
    return f"CREATE TEMPORARY TABLE {STAGE} ({body})"


def _staged(column: str) -> str:
    return f"COALESCE(s.{_ident(column)}, '')" if column in TEXT_COLUMNS else f"s.{_ident(column)}"


def _compared(columns: Sequence[str], *, keep_phone: bool) -> list[str]:
    return [c for c in COMPARED if c in columns and not (keep_phone and c == "phone")]


def _differs(old: Sequence[str], new: Sequence[str]) -> str:
    """SQL: true when any `old` value is not the `new` one (nulls compare as values)."""
    if connection.vendor == "postgresql":
        return f"({', '.join(old)}) IS DISTINCT FROM ({', '.join(new)})"
    return " OR ".join(f"{o} IS NOT {n}" for o, n in zip(old, new, strict=True))


def _stage_differs(columns: Sequence[str], *, keep_phone: bool) -> str:
    """SQL of a join of the stage `s` with the registry `p`: the staged row is new or differs."""
    compared = _compared(columns, keep_phone=keep_phone)
    return "p.id IS NULL OR " + _differs(
        [f"p.{_ident(c)}" for c in compared], [_staged(c) for c in compared]
    )


def _upsert_sql(columns: Sequence[str], *, keep_phone: bool, source: str | None = None) -> str:
    """INSERT … SELECT of new or changed rows, upserting on personal_id: the staged rows that
    differ (by a join), or every row of `source` (already only those)."""
    compared = _compared(columns, keep_phone=keep_phone)
    updates = ", ".join(f"{_ident(c)} = excluded.{_ident(c)}" for c in [*compared, "source"])
    conflict_differs = _differs(
        [f"{PERSON}.{_ident(c)}" for c in compared], [f"excluded.{_ident(c)}" for c in compared]
    )
    names = ", ".join(_ident(c) for c in columns)
    # Unchanged rows are dropped by the join before the upsert: on a re-load of a million
    # rows, taking a row lock per conflict would cost far more than one hash join. The
    # ON CONFLICT … WHERE still guards against a concurrent writer between the two.
    select = (
        f"SELECT {names}, %s, %s FROM {source}"
        if source
        else f"SELECT {', '.join(map(_staged, columns))}, %s, %s FROM {STAGE} s "
        f"LEFT JOIN {PERSON} p ON p.personal_id = s.personal_id "
        f"WHERE {_stage_differs(columns, keep_phone=keep_phone)}"
    )
    return (
        f"INSERT INTO {PERSON} ({names}, created_at, updated_at) {select} "
        f"ON CONFLICT (personal_id) DO UPDATE SET {updates}, updated_at = excluded.updated_at "
        f"WHERE {conflict_differs}"
    )


def _changed_sql(columns: Sequence[str], *, keep_phone: bool) -> str:
    """PostgreSQL: the staged rows that are new or differ, with the registered id and commune
    (one hash join serves both the upsert and the movers)."""
    return (
        f"CREATE TEMPORARY TABLE {CHANGED} ON COMMIT DROP AS "
        f"SELECT {', '.join(f'{_staged(c)} AS {_ident(c)}' for c in columns)}, "
        "p.id AS old_id, p.residence_commune_id AS old_commune_id "
        f"FROM {STAGE} s LEFT JOIN {PERSON} p ON p.personal_id = s.personal_id "
        f"WHERE {_stage_differs(columns, keep_phone=keep_phone)}"
    )


def _residence_sql(*, first_periods: bool) -> list[tuple[str, str]]:
    """(statement, parameter kind) — residence history for movers (and first periods).

    PostgreSQL opens first periods inside the upsert statement; SQLite, without a
    data-modifying CTE, adds them here for staged persons who have none.
    """
    statements = [
        # A mover's period opened today never held a whole day: replace it.
        (
            f"DELETE FROM {RESIDENCE} WHERE valid_to IS NULL AND valid_from = %s "
            f"AND person_id IN (SELECT person_id FROM {MOVED})",
            "today",
        ),
        (
            f"UPDATE {RESIDENCE} SET valid_to = %s WHERE valid_to IS NULL "
            f"AND person_id IN (SELECT person_id FROM {MOVED})",
            "yesterday",
        ),
        (
            f"INSERT INTO {RESIDENCE} (person_id, commune_id, address, valid_from, "
            f"valid_to) SELECT person_id, commune_id, address, %s, NULL FROM {MOVED}",
            "today",
        ),
    ]
    if first_periods:
        # New persons: one period open at both ends (the move-in date is unknown).
        statements.append(
            (
                f"INSERT INTO {RESIDENCE} (person_id, commune_id, address, "
                "valid_from, valid_to) SELECT p.id, p.residence_commune_id, p.address, NULL, NULL "
                f"FROM {PERSON} p JOIN {STAGE} s ON s.personal_id = p.personal_id "
                "WHERE NOT EXISTS "
                f"(SELECT 1 FROM {RESIDENCE} r WHERE r.person_id = p.id)",
                "",
            )
        )
    return statements


MOVED_SQL = (
    f"CREATE TEMPORARY TABLE {MOVED} AS "
    "SELECT p.id AS person_id, s.residence_commune_id AS commune_id, "
    "COALESCE(s.address, '') AS address "
    f"FROM {STAGE} s JOIN {PERSON} p ON p.personal_id = s.personal_id "
    "WHERE p.residence_commune_id <> s.residence_commune_id"
)
MOVED_FROM_CHANGED_SQL = (
    f"CREATE TEMPORARY TABLE {MOVED} ON COMMIT DROP AS "
    "SELECT old_id AS person_id, residence_commune_id AS commune_id, address "
    f"FROM {CHANGED} WHERE old_id IS NOT NULL AND old_commune_id <> residence_commune_id"
)


@dataclass
class LoadClock:
    """The timestamps a load writes: now for created/updated, today/yesterday for periods."""

    now: Any
    today: Any
    yesterday: Any

    @classmethod
    def current(cls) -> LoadClock:
        today = timezone.localdate()
        return cls(
            now=timezone.now(),
            today=connection.ops.adapt_datefield_value(today),
            yesterday=connection.ops.adapt_datefield_value(today - timedelta(days=1)),
        )


def registry_is_empty(*, lock: bool) -> bool:
    """True when no person is registered. `lock` (PostgreSQL) holds writers off until commit."""
    with connection.cursor() as cursor:
        if lock and connection.vendor == "postgresql":
            cursor.execute(
                sql.SQL("LOCK TABLE {}, {} IN SHARE ROW EXCLUSIVE MODE").format(
                    sql.Identifier(PERSON), sql.Identifier(RESIDENCE)
                )
            )
        cursor.execute(f"SELECT 1 FROM {PERSON} LIMIT 1")
        return cursor.fetchone() is None


def last_person_id() -> int:
    """The highest person id so far (0 for an empty registry): persons a load inserts after
    this call have higher ids."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {PERSON}")
        return int(cursor.fetchone()[0])


def open_periods_after(last: int) -> None:
    """An open residence period (no start, no end) for every person with id > `last`: the
    new persons of a fresh load, inserted without periods."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RESIDENCE} (person_id, commune_id, address, valid_from, valid_to) "
            f"SELECT id, residence_commune_id, address, NULL, NULL FROM {PERSON} WHERE id > %s",
            [last],
        )
