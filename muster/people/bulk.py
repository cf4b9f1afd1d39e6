"""Set-based loading of population-register extracts into Person (and residence history).

Two ways in, one set of checks (`check_rows`, vectorised) and one set of writers:

* **Fresh load** (the registry table is empty): the secondary indexes, the personal-ID unique
  constraint and the foreign keys of Person and ResidencePeriod are dropped, rows are COPYed
  straight into `people_person` (PostgreSQL) or inserted in batches (SQLite), each new person
  gets an open ResidencePeriod with one INSERT … SELECT, and the indexes are rebuilt from the
  model (`indexes_repair`). On PostgreSQL all of it is one transaction, DDL included, so a
  killed load leaves the table and its indexes as they were.
* **Merge** (anything else): staging table → one INSERT … SELECT … ON CONFLICT (personal_id)
  DO UPDATE … WHERE changed; movers get their old period closed yesterday and a new one from
  today. PostgreSQL stages with COPY, SQLite with executemany; the rest is the same SQL.

Loading the same rows twice changes nothing (0 inserted, 0 updated). Only actions, tasks, the
exchange ingest and the demo builder call this.
"""

from __future__ import annotations

import contextlib
import io
import queue
import threading
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypeVar

import polars as pl
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from psycopg import sql

from muster import audit
from muster.core.errors import FieldError, InvalidInput
from muster.geo.models import AdminUnit, Edition, Level
from muster.people import rules
from muster.people.extract_format import EXTRACT_COLUMNS
from muster.people.models import Person, ResidencePeriod
from muster.people.name_keys import NameKeys

if TYPE_CHECKING:
    from muster.accounts.models import User

REQUIRED_COLUMNS = EXTRACT_COLUMNS
# The prepared frame, in COPY order.
PERSON_COLUMNS = (
    "personal_id",
    "full_name",
    "search_key",
    "given_key",
    "sex",
    "birth_date",
    "ethnicity",
    "residence_commune_id",
    "address",
    "household_id",
    "phone",
    "life_status",
    "died_on",
    "id_warnings",
    "source",
)
# Compared to decide "changed": all but the key and `source` (a new source alone is no change).
COMPARED = tuple(c for c in PERSON_COLUMNS if c not in {"personal_id", "source"})
TEXT_COLUMNS = frozenset(
    {"full_name", "search_key", "given_key", "ethnicity", "address", "household_id", "phone"}
)
TEXT_LIMITS = {"full_name": 120, "ethnicity": 40, "address": 255, "household_id": 20, "phone": 20}
STAGE = "people_person_stage"
MOVED = "people_person_moved"
CHANGED = "people_person_changed"
PERSON = "people_person"
RESIDENCE = "people_residenceperiod"
BATCH_ROWS = 100_000
MAX_REPORTED_ERRORS = 20
_DATE_SHAPE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
# The merge's hash join of the staged rows with the registry: in memory, not in 32 batches.
MERGE_WORK_MEM = "256MB"
T = TypeVar("T")


@dataclass(frozen=True)
class BulkResult:
    """What a load did: rows read, and how many persons were inserted, updated, left alone."""

    read: int
    inserted: int
    updated: int
    unchanged: int


# --- checking and preparing rows (vectorised) -------------------------------------------------


def commune_ids(edition: str = Edition.V2025) -> dict[str, int]:
    """Commune-level unit code → AdminUnit id, of the 2025 edition unless told otherwise."""
    return dict(
        AdminUnit.objects.filter(edition=edition, level=Level.COMMUNE).values_list("code", "id")
    )


def _as_date(column: str, dtype: pl.DataType) -> tuple[pl.Expr, pl.Expr]:
    """(the column as a Date, true where it holds text that is not a real YYYY-MM-DD date)."""
    if dtype == pl.Date:
        return pl.col(column), pl.lit(False)
    text = pl.col(column).cast(pl.String).str.strip_chars()
    parsed = (
        pl.when(text.str.contains(_DATE_SHAPE))
        .then(text.str.to_date("%Y-%m-%d", strict=False, exact=True))
        .otherwise(None)
    )
    return parsed, (text.fill_null("") != "") & parsed.is_null()


def check_rows(
    frame: pl.DataFrame,
    *,
    communes: dict[str, int],
    today: date,
    names: NameKeys | None = None,
    duplicates_in_frame: bool = True,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Check extract rows; return (rows with Person columns, problems).

    `frame` has the extract columns (text or typed) and `_row`, the row's number for reports.
    The problems frame has `_row, personal_id, field, reason, action` (action "rejected" or
    "warned"); a row with a rejected problem must not be loaded. Checks: a 12-digit ID, a name,
    sex M|F, real dates not in the future, death not before birth, died_on exactly when dead,
    a known 2025 commune code, column lengths; warnings: ID digits that disagree with sex or
    birth year (people.rules). `duplicates_in_frame` also rejects IDs repeated in the frame.
    `names`: the load's NameKeys, so batches after the first key only names not seen before.
    """
    birth, bad_birth = _as_date("birth_date", frame.schema["birth_date"])
    died, bad_died = _as_date("died_on", frame.schema["died_on"])
    has_phone = "phone" in frame.columns
    df = frame.select(
        "_row",
        pl.col("personal_id").cast(pl.String).str.strip_chars(),
        pl.col("full_name").cast(pl.String),
        pl.col("sex").cast(pl.String),
        birth.alias("birth_date"),
        bad_birth.alias("_bad_birth"),
        pl.col("birth_date").cast(pl.String).alias("_birth_text"),
        pl.col("ethnicity").cast(pl.String).fill_null(""),
        pl.col("residence_commune_code").cast(pl.String),
        pl.col("address").cast(pl.String).fill_null(""),
        pl.col("household_id").cast(pl.String).fill_null(""),
        pl.col("life_status").cast(pl.String),
        died.alias("died_on"),
        bad_died.alias("_bad_died"),
        pl.col("died_on").cast(pl.String).alias("_died_text"),
        *([pl.col("phone").cast(pl.String).fill_null("")] if has_phone else []),
    )
    df = df.hstack((names or NameKeys())(df["full_name"])).with_columns(
        residence_commune_id=pl.col("residence_commune_code").replace_strict(
            communes, default=None, return_dtype=pl.Int64
        ),
    )
    pid, birth, died, status = (
        pl.col("personal_id"),
        pl.col("birth_date"),
        pl.col("died_on"),
        pl.col("life_status"),
    )
    rejected: list[tuple[pl.Expr, str, str | pl.Expr]] = [
        (
            pid.is_null() | ~pid.str.contains(r"^[0-9]{12}$"),
            "personal_id",
            "must be exactly 12 digits",
        ),
        (pl.col("_name").fill_null("") == "", "full_name", "must not be empty"),
        (~pl.col("sex").is_in(rules.SEXES).fill_null(False), "sex", "must be M or F"),
        (
            pl.col("_bad_birth"),
            "birth_date",
            pl.format("{} is not a real date (YYYY-MM-DD)", pl.col("_birth_text")),
        ),
        (birth.is_null() & ~pl.col("_bad_birth"), "birth_date", "is required"),
        (birth > today, "birth_date", "is in the future"),
        (birth < rules.EARLIEST_BIRTH_DATE, "birth_date", "is before 1900"),
        (
            ~status.is_in(["alive", "dead"]).fill_null(False),
            "life_status",
            "must be alive or dead",
        ),
        (
            pl.col("_bad_died"),
            "died_on",
            pl.format("{} is not a real date (YYYY-MM-DD)", pl.col("_died_text")),
        ),
        (
            (status == "alive") & (died.is_not_null() | pl.col("_bad_died")),
            "died_on",
            "must be empty while alive",
        ),
        (
            (status == "dead") & died.is_null() & ~pl.col("_bad_died"),
            "died_on",
            "is required when dead",
        ),
        (died < birth, "died_on", "is before the birth date"),
        (died > today, "died_on", "is in the future"),
        (
            pl.col("residence_commune_id").is_null(),
            "residence_commune_code",
            pl.format("{} is not a 2025 commune-level unit code", pl.col("residence_commune_code")),
        ),
    ]
    if duplicates_in_frame:
        rejected.append(
            (pid.is_duplicated() & pid.is_not_null(), "personal_id", "appears more than once")
        )
    for name, limit in TEXT_LIMITS.items():
        column = "_name" if name == "full_name" else name
        if column in df.columns:
            rejected.append(
                (pl.col(column).str.len_chars() > limit, name, f"is longer than {limit} characters")
            )
    # Only a well-formed ID of a row with a sex and a birth date can disagree with them; the
    # placeholder keeps the digit casts of id_warnings_expr from failing on malformed IDs.
    checkable = pid.str.contains(r"^[0-9]{12}$").fill_null(False)
    warnings = rules.id_warnings_expr(
        pl.when(checkable).then(pid).otherwise(pl.lit("000000000000")), pl.col("sex"), birth
    )
    df = df.with_columns(
        id_warnings=pl.when(checkable & birth.is_not_null() & pl.col("sex").is_in(rules.SEXES))
        .then(warnings)
        .otherwise(pl.lit(""))
        .fill_null("")
    )

    # One pass finds the rows with any problem (usually none); only those are checked one
    # check at a time, for the report.
    suspect = df.filter(pl.any_horizontal([bad.fill_null(False) for bad, _, _ in rejected]))
    problems = [
        suspect.filter(bad.fill_null(False)).select(
            "_row",
            "personal_id",
            pl.lit(field).alias("field"),
            (reason if isinstance(reason, pl.Expr) else pl.lit(reason)).alias("reason"),
            pl.lit("rejected").alias("action"),
        )
        for bad, field, reason in (rejected if suspect.height else [])
    ]
    rejected_rows = suspect["_row"].implode()
    problems.append(
        df.filter((pl.col("id_warnings") != "") & ~pl.col("_row").is_in(rejected_rows)).select(
            "_row",
            "personal_id",
            pl.lit("personal_id").alias("field"),
            pl.format(
                "{}: the ID's digits disagree with the recorded sex or birth year; loaded",
                pl.col("id_warnings"),
            ).alias("reason"),
            pl.lit("warned").alias("action"),
        )
    )
    report = pl.concat([p.with_columns(pl.col("reason").cast(pl.String)) for p in problems]).sort(
        "_row", maintain_order=True
    )
    prepared = df.select(
        "_row",
        "personal_id",
        pl.col("_name").alias("full_name"),
        "search_key",
        "given_key",
        "sex",
        "birth_date",
        "ethnicity",
        "residence_commune_id",
        "address",
        "household_id",
        pl.col("phone") if has_phone else pl.lit("").alias("phone"),
        "life_status",
        "died_on",
        "id_warnings",
    )
    return prepared, report


def _errors(report: pl.DataFrame) -> list[FieldError]:
    errors: list[FieldError] = []
    for (field, reason), group in report.group_by(["field", "reason"], maintain_order=True):
        rows = group.sort("_row")
        errors += [
            FieldError(str(field), f"row {row} (personal_id {pid!r}): {reason}")
            for row, pid in rows.select("_row", "personal_id").head(MAX_REPORTED_ERRORS).iter_rows()
        ]
        if rows.height > MAX_REPORTED_ERRORS:
            more = rows.height - MAX_REPORTED_ERRORS
            errors.append(FieldError(str(field), f"… and {more} more rows"))
    return errors


def prepare_frame(
    frame: pl.DataFrame, *, source: str, edition: str = Edition.V2025
) -> pl.DataFrame:
    """The frame as Person columns, or InvalidInput naming every bad row (up to 20 per rule);
    residence commune codes are of `edition`."""
    missing = [name for name in REQUIRED_COLUMNS if name not in frame.columns]
    if missing:
        raise InvalidInput.single("frame", f"missing columns: {', '.join(missing)}")
    numbered = frame.with_columns(_row=pl.int_range(1, pl.len() + 1))
    prepared, report = check_rows(
        numbered,
        communes=commune_ids(edition),
        today=timezone.localdate(),
        duplicates_in_frame=True,
    )
    errors = _errors(report.filter(pl.col("action") == "rejected"))
    if errors:
        raise InvalidInput(errors)
    return with_source(prepared, source)


def with_source(prepared: pl.DataFrame, source: str) -> pl.DataFrame:
    """Prepared rows in PERSON_COLUMNS order with their `source`."""
    return prepared.with_columns(source=pl.lit(source)).select(PERSON_COLUMNS)


# --- indexes: dropped for a fresh load, rebuilt from the model ----------------------------------


def _models() -> tuple[type[Model], ...]:
    return (Person, ResidencePeriod)


def _quoted(name: Any) -> str:
    return str(name).strip('"')


def _unique_fields(model: type[Model]) -> list[str]:
    return [f.column for f in model._meta.local_fields if f.unique and not f.primary_key]


def _foreign_keys(model: type[Model]) -> list[Any]:
    return [
        f
        for f in model._meta.local_fields
        if f.remote_field is not None and getattr(f, "db_constraint", False)
    ]


def _primary_key_name(table: str) -> str:
    return f"{table}_pkey"  # PostgreSQL's own name, the one the migrations got


def _lacks_primary_key(constraints: dict[str, Any]) -> bool:
    """Whether a table, by its introspected constraints, has no primary key."""
    return not any(info["primary_key"] for info in constraints.values())


def _unreferenced(table: str) -> bool:
    """PostgreSQL: no foreign key points at `table` (its primary key can be dropped)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT EXISTS (SELECT FROM pg_constraint WHERE confrelid = %s::regclass)", [table]
        )
        return bool(cursor.fetchone()[0])


def loaded_tables_indexes_drop() -> None:
    """Drop what a fresh load would otherwise maintain row by row (call inside its transaction).

    Secondary indexes on both tables; on PostgreSQL also the unique constraint on personal_id,
    the foreign keys (deferred FK checks queue one trigger event per row) and the primary key
    of a table no foreign key points at (residence periods: their INSERT … SELECT 1.5 → 1.1 s
    for a million rows, the key built afterwards included). SQLite keeps its inline UNIQUE
    and FOREIGN KEY clauses. `indexes_repair` brings everything back.
    """
    # Private helpers of the schema editor: the same SQL and names the migrations produced.
    editor: Any = connection.schema_editor()
    with connection.cursor() as cursor:
        for model in _models():
            table = model._meta.db_table
            existing = connection.introspection.get_constraints(cursor, table)
            if connection.vendor == "postgresql":
                for field in _foreign_keys(model):
                    name = _quoted(
                        editor._create_fk_sql(model, field, "_fk_%(to_table)s_%(to_column)s").parts[
                            "name"
                        ]
                    )
                    if name in existing:
                        cursor.execute(
                            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                                sql.Identifier(table), sql.Identifier(name)
                            )
                        )
                for column in _unique_fields(model):
                    for name, info in existing.items():
                        if (
                            info["unique"]
                            and not info["primary_key"]
                            and info["columns"] == [column]
                        ):
                            cursor.execute(
                                sql.SQL("ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}").format(
                                    sql.Identifier(table), sql.Identifier(name)
                                )
                            )
                if _primary_key_name(table) in existing and _unreferenced(table):
                    cursor.execute(
                        sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                            sql.Identifier(table), sql.Identifier(_primary_key_name(table))
                        )
                    )
            for statement in editor._model_indexes_sql(model):
                name = _quoted(statement.parts["name"])
                if name in existing:
                    cursor.execute(f"DROP INDEX IF EXISTS {_ident(name)}")


def indexes_repair() -> list[str]:
    """Create whatever index, unique constraint or foreign key of Person and ResidencePeriod
    is missing (after a fresh load, or a load killed between its SQLite batches); names built.
    """
    # Private helpers of the schema editor: the same SQL and names the migrations produced.
    editor: Any = connection.schema_editor()
    built: list[str] = []
    with connection.cursor() as cursor:
        for model in _models():
            table = model._meta.db_table
            existing = connection.introspection.get_constraints(cursor, table)
            for statement in editor._model_indexes_sql(model):
                name = _quoted(statement.parts["name"])
                if name not in existing:
                    cursor.execute(str(statement))
                    built.append(name)
            if connection.vendor != "postgresql":
                continue
            if _lacks_primary_key(existing):
                name = _primary_key_name(table)
                cursor.execute(
                    sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY ({})").format(
                        sql.Identifier(table),
                        sql.Identifier(name),
                        sql.Identifier(model._meta.pk.column),
                    )
                )
                built.append(name)
            for column in _unique_fields(model):
                if not any(
                    info["unique"] and info["columns"] == [column] for info in existing.values()
                ):
                    name = f"{table}_{column}_key"
                    cursor.execute(
                        sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} UNIQUE ({})").format(
                            sql.Identifier(table), sql.Identifier(name), sql.Identifier(column)
                        )
                    )
                    built.append(name)
            for field in _foreign_keys(model):
                statement = editor._create_fk_sql(model, field, "_fk_%(to_table)s_%(to_column)s")
                name = _quoted(statement.parts["name"])
                if name not in existing:
                    cursor.execute(str(statement))
                    built.append(name)
    return built


def indexes_missing() -> list[str]:
    """Names of Person/ResidencePeriod indexes (or primary keys) the model declares but the
    database lacks."""
    # Private helpers of the schema editor: the same SQL and names the migrations produced.
    editor: Any = connection.schema_editor()
    missing: list[str] = []
    with connection.cursor() as cursor:
        for model in _models():
            table = model._meta.db_table
            existing = connection.introspection.get_constraints(cursor, table)
            missing += [
                _quoted(s.parts["name"])
                for s in editor._model_indexes_sql(model)
                if _quoted(s.parts["name"]) not in existing
            ]
            if _lacks_primary_key(existing):
                missing.append(_primary_key_name(table))
    return missing


# --- SQL shared by both backends -------------------------------------------------------------


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


def _chunks(frame: pl.DataFrame, size: int) -> Iterator[pl.DataFrame]:
    for offset in range(0, frame.height, size):
        yield frame.slice(offset, size)


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


# --- overlapping checks with writes -----------------------------------------------------------


@dataclass(frozen=True)
class _Failed:
    error: BaseException


_END = object()


def _offer(box: queue.Queue[Any], item: object, stop: threading.Event) -> bool:
    """Put `item` unless the consumer has gone away; whether it was put."""
    while not stop.is_set():
        with contextlib.suppress(queue.Full):
            box.put(item, timeout=0.1)
            return True
    return False


def prefetch(items: Iterable[T], *, depth: int = 1) -> Generator[T, None, None]:
    """`items`, produced by a background thread at most `depth` ahead of the consumer.

    Reading and checking the next batch (polars, which releases the GIL) then runs on one core
    while the database takes the current one on the other. The producer must not use the
    Django connection (it is per thread). Its errors are raised here; closing this iterator
    stops it.
    """
    box: queue.Queue[Any] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def produce() -> None:
        source = iter(items)
        try:
            for item in source:
                if not _offer(box, item, stop):
                    return
            _offer(box, _END, stop)
        except BaseException as exc:  # handed to the consumer, which re-raises it
            _offer(box, _Failed(exc), stop)
        finally:
            close = getattr(source, "close", None)
            if close is not None:
                close()

    worker = threading.Thread(target=produce, name="muster-prefetch", daemon=True)
    worker.start()
    try:
        while (item := box.get()) is not _END:
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        worker.join()


# --- PostgreSQL: one transaction, COPY -------------------------------------------------------


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


# --- SQLite: one batch per call, inside the caller's transaction ------------------------------

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


# --- the frame API (the demo builder) ------------------------------------------------------


def persons_load_frame(
    frame: pl.DataFrame,
    *,
    source: str,
    acting_user: User | None = None,
    progress: Callable[[int], None] | None = None,
    edition: str = Edition.V2025,
    periods_from: date | None = None,
) -> BulkResult:
    """Upsert a population-register extract by personal_id; idempotent; audited once.

    Columns: personal_id, full_name, sex, birth_date (Date), ethnicity, residence_commune_code
    (2025 code), address, household_id, life_status, died_on (Date, null when alive), and
    optionally phone (without it, phones Muster recorded are kept). New persons get an open
    ResidencePeriod; persons whose commune changed get the old period closed yesterday and a
    new one from today. `progress(rows_loaded)` is called per batch. One transaction: a
    failure leaves the registry as it was. An empty registry takes the fresh-load path.

    `edition`: the edition of the residence commune codes (the legacy demo loads people as
    they lived before 2025-07-01). `periods_from`: the open periods of new persons start that
    day, or at birth if later, instead of at an unknown date.
    """
    prepared = prepare_frame(frame, source=source, edition=edition)
    keep_phone = "phone" not in frame.columns
    clock = LoadClock.current()
    with transaction.atomic():
        floor = last_person_id() if periods_from is not None else 0
        if connection.vendor == "postgresql":
            fresh = registry_is_empty(lock=True) and prepared.height > 0
            inserted, updated = postgres_load(
                _chunks(prepared, BATCH_ROWS),
                fresh=fresh,
                keep_phone=keep_phone,
                clock=clock,
                progress=progress,
            )
        else:
            indexes_repair()
            # Dropping and rebuilding indexes pays off only for a large load.
            fresh = registry_is_empty(lock=False) and prepared.height >= 50_000
            if fresh:
                loaded_tables_indexes_drop()
            inserted = updated = done = 0
            for chunk in _chunks(prepared, BATCH_ROWS):
                i, u = sqlite_load_batch(chunk, fresh=fresh, keep_phone=keep_phone, clock=clock)
                inserted, updated, done = inserted + i, updated + u, done + chunk.height
                if progress:
                    progress(done)
            if fresh:
                indexes_repair()
        if periods_from is not None:
            _open_periods_start(after_person=floor, day=periods_from)
        if connection.vendor != "postgresql" and inserted + updated >= 10_000:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {PERSON}")
                cursor.execute(f"ANALYZE {RESIDENCE}")
        result = BulkResult(
            read=frame.height,
            inserted=inserted,
            updated=updated,
            unchanged=frame.height - inserted - updated,
        )
        audit.record(
            "people.persons.bulk_loaded",
            actor=acting_user,
            target=("people.person", "*"),
            data={
                "source": source,
                **({"edition": edition} if edition != Edition.V2025 else {}),
                "read": result.read,
                "inserted": result.inserted,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "loaded_on": timezone.localdate().isoformat(),
            },
        )
    return result


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


def _open_periods_start(*, after_person: int, day: date) -> None:
    """Open residence periods without a start, of persons with id > `after_person` (this
    load's new persons): from `day`, or the birth date if later."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {RESIDENCE} SET valid_from = CASE WHEN p.birth_date > %s "
            f"THEN p.birth_date ELSE %s END FROM {PERSON} p "
            f"WHERE p.id = {RESIDENCE}.person_id AND {RESIDENCE}.valid_from IS NULL "
            f"AND {RESIDENCE}.valid_to IS NULL AND p.id > %s",
            [day, day, after_person],
        )
