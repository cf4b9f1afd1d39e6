"""Set-based loading of population-register extracts into Person (and residence history).

Staging table → one INSERT … SELECT … ON CONFLICT (personal_id) DO UPDATE … WHERE changed.
PostgreSQL stages with COPY, SQLite with executemany; the rest is the same SQL. Loading the
same frame twice changes nothing (0 inserted, 0 updated). Only actions, tasks and the demo
builder call this.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import polars as pl
from django.db import connection, transaction
from django.utils import timezone
from psycopg import sql

from muster import audit
from muster.core.errors import FieldError, InvalidInput
from muster.core.text import fold, nfc
from muster.geo.models import AdminUnit, Edition, Level
from muster.people import rules
from muster.people.extract_format import EXTRACT_COLUMNS

if TYPE_CHECKING:
    from muster.accounts.models import User

REQUIRED_COLUMNS = EXTRACT_COLUMNS
# Compared to decide "changed"; `source` is written but a new source alone is no change.
COMPARED = (
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
)
TEXT_COLUMNS = frozenset(
    {"full_name", "search_key", "given_key", "ethnicity", "address", "household_id", "phone"}
)
STAGE = "people_person_stage"
MOVED = "people_person_moved"
SQLITE_BATCH = 10_000
COPY_BATCH = 100_000
MAX_REPORTED_ERRORS = 20


@dataclass(frozen=True)
class BulkResult:
    """What a load did: rows read, and how many persons were inserted, updated, left alone."""

    read: int
    inserted: int
    updated: int
    unchanged: int


# --- preparing the frame (validation and derived columns, all vectorised) ---------------------


def _row_errors(frame: pl.DataFrame, bad: pl.Expr, field: str, message: str) -> list[FieldError]:
    rows = frame.filter(bad).select("_row", "personal_id")
    errors = [
        FieldError(field, f"row {row} (personal_id {pid!r}): {message}")
        for row, pid in rows.head(MAX_REPORTED_ERRORS).iter_rows()
    ]
    if rows.height > MAX_REPORTED_ERRORS:
        errors.append(FieldError(field, f"… and {rows.height - MAX_REPORTED_ERRORS} more rows"))
    return errors


def _name_keys(names: pl.Series) -> pl.DataFrame:
    """NFC name, search_key and given_key per distinct raw name (names repeat a lot)."""
    unique = names.unique().to_list()
    clean = [nfc(name or "") for name in unique]
    keys = [fold(name) for name in clean]
    given = [rules.given_key(name) if name else "" for name in clean]
    return pl.DataFrame(
        {"full_name": unique, "_name": clean, "search_key": keys, "given_key": given},
        schema={
            "full_name": pl.String,
            "_name": pl.String,
            "search_key": pl.String,
            "given_key": pl.String,
        },
    )


def _commune_ids() -> dict[str, int]:
    return dict(
        AdminUnit.objects.filter(edition=Edition.V2025, level=Level.COMMUNE).values_list(
            "code", "id"
        )
    )


def prepare_frame(frame: pl.DataFrame, *, source: str) -> pl.DataFrame:
    """The frame as Person columns, or InvalidInput naming every bad row (up to 20 per rule)."""
    missing = [name for name in REQUIRED_COLUMNS if name not in frame.columns]
    if missing:
        raise InvalidInput.single("frame", f"missing columns: {', '.join(missing)}")
    today = timezone.localdate()
    has_phone = "phone" in frame.columns
    df = frame.select(
        pl.col("personal_id").cast(pl.String).str.strip_chars(),
        pl.col("full_name").cast(pl.String),
        pl.col("sex").cast(pl.String),
        pl.col("birth_date").cast(pl.Date),
        pl.col("ethnicity").cast(pl.String).fill_null(""),
        pl.col("residence_commune_code").cast(pl.String),
        pl.col("address").cast(pl.String).fill_null(""),
        pl.col("household_id").cast(pl.String).fill_null(""),
        pl.col("life_status").cast(pl.String),
        pl.col("died_on").cast(pl.Date),
        *([pl.col("phone").cast(pl.String).fill_null("")] if has_phone else []),
    ).with_columns(_row=pl.int_range(1, pl.len() + 1))
    df = df.join(_name_keys(df["full_name"]), on="full_name", how="left", maintain_order="left")
    communes = _commune_ids()
    df = df.with_columns(
        residence_commune_id=pl.col("residence_commune_code").replace_strict(
            communes, default=None, return_dtype=pl.Int64
        )
    )

    pid, birth, died, status = (
        pl.col("personal_id"),
        pl.col("birth_date"),
        pl.col("died_on"),
        pl.col("life_status"),
    )
    checks: list[tuple[pl.Expr, str, str]] = [
        (
            pid.is_null() | ~pid.str.contains(r"^[0-9]{12}$"),
            "personal_id",
            "must be exactly 12 digits",
        ),
        (pid.is_duplicated() & pid.is_not_null(), "personal_id", "appears more than once"),
        (pl.col("_name").fill_null("") == "", "full_name", "must not be empty"),
        (pl.col("_name").str.len_chars() > 120, "full_name", "is longer than 120 characters"),
        (~pl.col("sex").is_in(rules.SEXES).fill_null(False), "sex", "must be M or F"),
        (birth.is_null(), "birth_date", "is required"),
        (birth > today, "birth_date", "is in the future"),
        (birth < rules.EARLIEST_BIRTH_DATE, "birth_date", "is before 1900"),
        (
            ~status.is_in(["alive", "dead"]).fill_null(False),
            "life_status",
            "must be alive or dead",
        ),
        ((status == "alive") & died.is_not_null(), "died_on", "must be empty while alive"),
        ((status == "dead") & died.is_null(), "died_on", "is required when dead"),
        (died < birth, "died_on", "is before the birth date"),
        (died > today, "died_on", "is in the future"),
        (
            pl.col("residence_commune_id").is_null(),
            "residence_commune_code",
            "is not a 2025 commune-level unit code",
        ),
    ]
    for name, limit in (("ethnicity", 40), ("address", 255), ("household_id", 20), ("phone", 20)):
        if name in df.columns:
            checks.append(
                (pl.col(name).str.len_chars() > limit, name, f"is longer than {limit} characters")
            )
    errors: list[FieldError] = []
    for bad, field, message in checks:
        errors += _row_errors(df, bad.fill_null(False), field, message)
    if errors:
        raise InvalidInput(errors)

    return df.select(
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
        # Without a phone column the insert writes "" and the update leaves phone alone.
        pl.col("phone") if has_phone else pl.lit("").alias("phone"),
        "life_status",
        "died_on",
        rules.id_warnings_expr(pid, pl.col("sex"), birth).alias("id_warnings"),
        pl.lit(source).alias("source"),
    )


# --- SQL shared by both backends -------------------------------------------------------------


def _ident(name: str) -> str:
    return connection.ops.quote_name(name)


def _stage_ddl(columns: Sequence[str]) -> str:
    types = {"residence_commune_id": "bigint", "birth_date": "date", "died_on": "date"}
    body = ", ".join(f"{_ident(c)} {types.get(c, 'varchar(255)')}" for c in columns)
    if connection.vendor == "postgresql":
        return f"CREATE TEMPORARY TABLE {STAGE} ({body}) ON COMMIT DROP"
    return f"CREATE TEMPORARY TABLE {STAGE} ({body})"


def _upsert_sql(columns: Sequence[str], *, keep_phone: bool) -> str:
    """INSERT … SELECT of new or changed staged rows, upserting on personal_id."""
    target = "people_person"

    def staged(c: str) -> str:
        return f"COALESCE(s.{_ident(c)}, '')" if c in TEXT_COLUMNS else f"s.{_ident(c)}"

    compared = [c for c in COMPARED if c in columns and not (keep_phone and c == "phone")]
    updates = ", ".join(f"{_ident(c)} = excluded.{_ident(c)}" for c in [*compared, "source"])
    if connection.vendor == "postgresql":
        differs = "({}) IS DISTINCT FROM ({})".format(
            ", ".join(f"p.{_ident(c)}" for c in compared), ", ".join(map(staged, compared))
        )
        conflict_differs = "({}) IS DISTINCT FROM ({})".format(
            ", ".join(f"{target}.{_ident(c)}" for c in compared),
            ", ".join(f"excluded.{_ident(c)}" for c in compared),
        )
    else:
        differs = " OR ".join(f"p.{_ident(c)} IS NOT {staged(c)}" for c in compared)
        conflict_differs = " OR ".join(
            f"{target}.{_ident(c)} IS NOT excluded.{_ident(c)}" for c in compared
        )
    names = ", ".join(_ident(c) for c in columns)
    # Unchanged rows are dropped by the join before the upsert: on a re-load of a million
    # rows, taking a row lock per conflict would cost far more than one hash join. The
    # ON CONFLICT … WHERE still guards against a concurrent writer between the two.
    return (
        f"INSERT INTO {target} ({names}, created_at, updated_at) "
        f"SELECT {', '.join(map(staged, columns))}, %s, %s FROM {STAGE} s "
        f"LEFT JOIN {target} p ON p.personal_id = s.personal_id "
        f"WHERE p.id IS NULL OR {differs} "
        f"ON CONFLICT (personal_id) DO UPDATE SET {updates}, updated_at = excluded.updated_at "
        f"WHERE {conflict_differs}"
    )


def _residence_sql(*, first_periods: bool) -> list[tuple[str, str]]:
    """(statement, parameter kind) — residence history for movers (and first periods).

    PostgreSQL opens first periods inside the upsert statement; SQLite, without a
    data-modifying CTE, adds them here for staged persons who have none.
    """
    statements = [
        # A mover's period opened today never held a whole day: replace it.
        (
            f"DELETE FROM people_residenceperiod WHERE valid_to IS NULL AND valid_from = %s "
            f"AND person_id IN (SELECT person_id FROM {MOVED})",
            "today",
        ),
        (
            f"UPDATE people_residenceperiod SET valid_to = %s WHERE valid_to IS NULL "
            f"AND person_id IN (SELECT person_id FROM {MOVED})",
            "yesterday",
        ),
        (
            "INSERT INTO people_residenceperiod (person_id, commune_id, address, valid_from, "
            f"valid_to) SELECT person_id, commune_id, address, %s, NULL FROM {MOVED}",
            "today",
        ),
    ]
    if first_periods:
        # New persons: one period open at both ends (the move-in date is unknown).
        statements.append(
            (
                "INSERT INTO people_residenceperiod (person_id, commune_id, address, "
                "valid_from, valid_to) SELECT p.id, p.residence_commune_id, p.address, NULL, NULL "
                f"FROM people_person p JOIN {STAGE} s ON s.personal_id = p.personal_id "
                "WHERE NOT EXISTS "
                "(SELECT 1 FROM people_residenceperiod r WHERE r.person_id = p.id)",
                "",
            )
        )
    return statements


MOVED_SQL = (
    f"CREATE TEMPORARY TABLE {MOVED} AS "
    "SELECT p.id AS person_id, s.residence_commune_id AS commune_id, "
    "COALESCE(s.address, '') AS address "
    f"FROM {STAGE} s JOIN people_person p ON p.personal_id = s.personal_id "
    "WHERE p.residence_commune_id <> s.residence_commune_id"
)


def _chunks(frame: pl.DataFrame, size: int) -> Iterable[pl.DataFrame]:
    for offset in range(0, frame.height, size):
        yield frame.slice(offset, size)


# --- backends ---------------------------------------------------------------------------------


def _stage_postgres(frame: pl.DataFrame, progress: Callable[[int], None] | None) -> None:
    connection.ensure_connection()
    raw: Any = connection.connection
    copy_sql = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
        sql.Identifier(STAGE), sql.SQL(", ").join(map(sql.Identifier, frame.columns))
    )
    done = 0
    with raw.cursor() as cursor, cursor.copy(copy_sql) as copy:
        for chunk in _chunks(frame, COPY_BATCH):
            # Polars writes CSV in native code; an empty string is quoted, a null is bare.
            copy.write(chunk.write_csv(include_header=False).encode())
            done += chunk.height
            if progress:
                progress(done)


def _stage_sqlite(frame: pl.DataFrame, progress: Callable[[int], None] | None) -> None:
    connection.ensure_connection()
    raw: Any = connection.connection
    as_text = frame.with_columns(
        pl.col("birth_date").dt.to_string("%Y-%m-%d"),
        pl.col("died_on").dt.to_string("%Y-%m-%d"),
    )
    names = ", ".join(_ident(c) for c in frame.columns)
    marks = ", ".join("?" for _ in frame.columns)
    statement = f"INSERT INTO {STAGE} ({names}) VALUES ({marks})"
    done = 0
    for chunk in _chunks(as_text, SQLITE_BATCH):
        raw.executemany(statement, chunk.iter_rows())
        done += chunk.height
        if progress:
            progress(done)


def _upsert(columns: Sequence[str], now: Any, *, keep_phone: bool) -> tuple[int, int]:
    """(inserted, updated)."""
    upsert = _upsert_sql(columns, keep_phone=keep_phone)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # xmax = 0 marks a row this statement inserted (an updated row carries our xid).
            # New persons get their open residence period in the same statement.
            cursor.execute(
                f"WITH up AS ({upsert} RETURNING id, residence_commune_id, address, "
                "(xmax = 0) AS inserted), "
                "periods AS (INSERT INTO people_residenceperiod "
                "(person_id, commune_id, address, valid_from, valid_to) "
                "SELECT id, residence_commune_id, address, NULL, NULL FROM up WHERE inserted) "
                "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) "
                "FROM up",
                [now, now],
            )
            inserted, updated = cursor.fetchone()
            return int(inserted), int(updated)
        cursor.execute(
            f"SELECT count(*) FROM {STAGE} s WHERE NOT EXISTS "
            "(SELECT 1 FROM people_person p WHERE p.personal_id = s.personal_id)"
        )
        inserted = int(cursor.fetchone()[0])
        cursor.execute(upsert, [now, now])
        # SQLite counts a row inserted or updated by the upsert, not one its WHERE skipped.
        return inserted, cursor.rowcount - inserted


def persons_load_frame(
    frame: pl.DataFrame,
    *,
    source: str,
    acting_user: User | None = None,
    progress: Callable[[int], None] | None = None,
) -> BulkResult:
    """Upsert a population-register extract by personal_id; idempotent; audited once.

    Columns: personal_id, full_name, sex, birth_date (Date), ethnicity, residence_commune_code
    (2025 code), address, household_id, life_status, died_on (Date, null when alive), and
    optionally phone (without it, phones Muster recorded are kept). New persons get an open
    ResidencePeriod; persons whose commune changed get the old period closed yesterday and a
    new one from today. `progress(rows_staged)` is called per batch. One transaction: a
    failure leaves the registry as it was.
    """
    prepared = prepare_frame(frame, source=source)
    columns = prepared.columns
    today = timezone.localdate()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    days: dict[str, Any] = {
        "today": connection.ops.adapt_datefield_value(today),
        "yesterday": connection.ops.adapt_datefield_value(today - timedelta(days=1)),
    }
    with transaction.atomic():
        with connection.cursor() as cursor:
            for table in (STAGE, MOVED):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(_stage_ddl(columns))
        if connection.vendor == "postgresql":
            _stage_postgres(prepared, progress)
        else:
            _stage_sqlite(prepared, progress)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {STAGE}")  # temp tables get no autovacuum statistics
            cursor.execute(MOVED_SQL)
        inserted, updated = _upsert(columns, now, keep_phone="phone" not in frame.columns)
        with connection.cursor() as cursor:
            for statement, param in _residence_sql(first_periods=connection.vendor != "postgresql"):
                cursor.execute(statement, [days[param]] if param else [])
            for table in (STAGE, MOVED):
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
            if inserted + updated >= 10_000:
                # Fresh statistics, or the planner misjudges prefix searches right after a load.
                cursor.execute("ANALYZE people_person")
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
                "read": result.read,
                "inserted": result.inserted,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "loaded_on": today.isoformat(),
            },
        )
    return result
