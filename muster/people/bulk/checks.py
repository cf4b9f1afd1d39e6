"""Checking and preparing extract rows, vectorised in polars: `check_rows` gives the rows as
Person columns and a report of problems (rejected or warned, by row and field); `prepare_frame`
refuses a frame with any rejected row, naming up to 20 rows per rule."""

from __future__ import annotations

from datetime import date

import polars as pl
from django.utils import timezone

from muster.core.errors import FieldError, InvalidInput
from muster.geo.models import AdminUnit, Edition, Level
from muster.people import rules
from muster.people.extract_format import EXTRACT_COLUMNS
from muster.people.name_keys import NameKeys

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
# Free-text columns held to people.rules' character rule (control, bidirectional, zero-width);
# the other columns are codes, dates and digits their own checks already hold to a shape.
CHECKED_TEXT = ("full_name", "ethnicity", "address", "household_id", "phone")
MAX_REPORTED_ERRORS = 20
_DATE_SHAPE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


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
    a known 2025 commune code, column lengths, no control, bidirectional or zero-width
    character in the free text (people.rules.FORBIDDEN_CHARACTERS); warnings: ID digits that
    disagree with sex or birth year (people.rules). `duplicates_in_frame` also rejects IDs
    repeated in the frame.
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

    # The character rule (people.rules): one regex over each free-text column, in the same
    # pass; the report says which character and where (people.rules.text_character_problem).
    rejected += [
        (
            pl.col(name).str.contains(rules.FORBIDDEN_PATTERN),
            name,
            pl.col(name).map_elements(rules.text_character_problem, return_dtype=pl.String),
        )
        for name in CHECKED_TEXT
        if name in df.columns
    ]
    # One pass finds the rows with any problem (usually none); only those are checked one
    # check at a time, for the report.
    suspect = df.filter(pl.any_horizontal([bad.fill_null(False) for bad, _, _ in rejected]))
    # A report quotes the row's own text: never the forbidden characters themselves.
    shown = "\ufffd"
    problems = [
        suspect.filter(bad.fill_null(False)).select(
            "_row",
            pl.col("personal_id").str.replace_all(rules.FORBIDDEN_PATTERN, shown),
            pl.lit(field).alias("field"),
            (reason if isinstance(reason, pl.Expr) else pl.lit(reason))
            .cast(pl.String)
            .str.replace_all(rules.FORBIDDEN_PATTERN, shown)
            .alias("reason"),
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
