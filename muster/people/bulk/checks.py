"""Checking and preparing extract rows, vectorised in polars: `check_rows` gives the rows as
Person columns and a report of problems (rejected or warned, by row and field); `prepare_frame`
refuses a frame with any rejected row, naming up to 20 rows per rule."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any

import polars as pl
from django.utils import timezone

from muster.core.errors import FieldError, InvalidInput
from muster.core.wording import reject_text
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
# A check's parameters: name → the expression giving each rejected row's value.
Params = Mapping[str, pl.Expr]
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
    The problems frame has `_row, personal_id, field, code, params, action` (action
    "rejected" or "warned"; `reject_reasons` words it); a row with a rejected problem must not
    be loaded. Checks: a 12-digit ID, a name,
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
    # (rows it rejects, field, error code, the code's parameters: name → value, or None)
    rejected: list[tuple[pl.Expr, str, str, Params | None]] = [
        (
            pid.is_null() | ~pid.str.contains(r"^[0-9]{12}$"),
            "personal_id",
            "PERSONAL_ID_FORMAT",
            {"value": pid.fill_null("")},
        ),
        (pl.col("_name").fill_null("") == "", "full_name", "REQUIRED", None),
        (
            ~pl.col("sex").is_in(rules.SEXES).fill_null(False),
            "sex",
            "SEX_INVALID",
            {"value": pl.col("sex").fill_null("")},
        ),
        (
            pl.col("_bad_birth"),
            "birth_date",
            "NOT_A_DATE_VALUE",
            {"value": pl.col("_birth_text")},
        ),
        (birth.is_null() & ~pl.col("_bad_birth"), "birth_date", "REQUIRED", None),
        (birth > today, "birth_date", "DATE_IN_FUTURE", None),
        (birth < rules.EARLIEST_BIRTH_DATE, "birth_date", "DATE_BEFORE_1900", None),
        (
            ~status.is_in(["alive", "dead"]).fill_null(False),
            "life_status",
            "LIFE_STATUS_INVALID",
            {"value": status.fill_null("")},
        ),
        (pl.col("_bad_died"), "died_on", "NOT_A_DATE_VALUE", {"value": pl.col("_died_text")}),
        (
            (status == "alive") & (died.is_not_null() | pl.col("_bad_died")),
            "died_on",
            "DIED_ON_WHILE_ALIVE",
            None,
        ),
        (
            (status == "dead") & died.is_null() & ~pl.col("_bad_died"),
            "died_on",
            "DIED_ON_REQUIRED",
            None,
        ),
        (died < birth, "died_on", "DIED_BEFORE_BIRTH", None),
        (died > today, "died_on", "DATE_IN_FUTURE", None),
        (
            pl.col("residence_commune_id").is_null(),
            "residence_commune_code",
            "COMMUNE_NOT_2025",
            {"code": pl.col("residence_commune_code").fill_null("")},
        ),
    ]
    if duplicates_in_frame:
        rejected.append(
            (pid.is_duplicated() & pid.is_not_null(), "personal_id", "PERSONAL_ID_REPEATED", None)
        )
    for name, limit in TEXT_LIMITS.items():
        column = "_name" if name == "full_name" else name
        if column in df.columns:
            rejected.append(
                (
                    pl.col(column).str.len_chars() > limit,
                    name,
                    "TOO_LONG",
                    {"limit": pl.lit(limit)},
                )
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
    # pass; the report says which character and where (people.rules.text_character_problem),
    # worked out only for the rows it rejects.
    rejected += [
        (
            pl.col(name).str.contains(rules.FORBIDDEN_PATTERN),
            name,
            "TEXT_FORBIDDEN_CHARACTER",
            {"character": _character(name), "position": _position(name)},
        )
        for name in CHECKED_TEXT
        if name in df.columns
    ]
    # One pass finds the rows with any problem (usually none); only those are checked one
    # check at a time, for the report.
    suspect = df.filter(pl.any_horizontal([bad.fill_null(False) for bad, *_ in rejected]))
    problems = [
        problem_rows(suspect.filter(bad.fill_null(False)), field, code, params, action="rejected")
        for bad, field, code, params in (rejected if suspect.height else [])
    ]
    rejected_rows = suspect["_row"].implode()
    # Each disagreement of the ID's digits is its own warning, coded as people.rules codes it.
    warned = (
        df.filter((pl.col("id_warnings") != "") & ~pl.col("_row").is_in(rejected_rows))
        .with_columns(_warning=pl.col("id_warnings").str.split(rules.WARNING_SEPARATOR))
        .explode("_warning")
    )
    problems.append(
        warned.select(
            "_row",
            "personal_id",
            pl.lit("personal_id").alias("field"),
            pl.col("_warning").alias("code"),
            pl.lit(None, pl.String).alias("params"),
            pl.lit("warned").alias("action"),
        )
    )
    report = pl.concat(problems).sort("_row", maintain_order=True)
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


def problem_rows(
    rows: pl.DataFrame,
    field: str,
    code: str,
    params: Params | None,
    *,
    action: str,
) -> pl.DataFrame:
    """`rows` as problems of the report: `_row, personal_id, field, code, params, action`
    (`params`: the code's parameters as a JSON object of texts, or null). The report quotes
    the file's own cells, never the characters no record may hold (people.rules)."""
    encoded = (
        pl.struct(
            [_quoted(value.cast(pl.String)).alias(name) for name, value in params.items()]
        ).struct.json_encode()
        if params
        else pl.lit(None, pl.String)
    )
    return rows.select(
        "_row",
        _quoted(pl.col("personal_id")),
        pl.lit(field).alias("field"),
        pl.lit(code).alias("code"),
        encoded.alias("params"),
        pl.lit(action).alias("action"),
    )


def _quoted(text: pl.Expr) -> pl.Expr:
    """A cell as a report may quote it: each forbidden character shown as U+FFFD."""
    return text.str.replace_all(rules.FORBIDDEN_PATTERN, "\ufffd")


def _character(column: str) -> pl.Expr:
    """The first forbidden character of `column`, as "U+202E" (rows that hold one)."""
    return pl.col(column).map_elements(
        lambda text: getattr(rules.text_character_problem(text), "character", None),
        return_dtype=pl.String,
    )


def _position(column: str) -> pl.Expr:
    """Where that character is in `column` (1-based)."""
    return pl.col(column).map_elements(
        lambda text: getattr(rules.text_character_problem(text), "position", None),
        return_dtype=pl.Int64,
    )


def _params(encoded: str | None) -> dict[str, Any]:
    return json.loads(encoded) if encoded else {}


def problem_errors(report: pl.DataFrame) -> list[FieldError]:
    """Each problem of a report as a FieldError on its field (no row: see `_errors`)."""
    return [
        FieldError(field, code, _params(params))
        for field, code, params in report.select("field", "code", "params").iter_rows()
    ]


def reject_reasons(report: pl.DataFrame) -> pl.Series:
    """The report's `reason` column for people: `CODE: wording` in the active language, each
    distinct problem worded once."""
    distinct = report.select("field", "code", "params").unique(maintain_order=True)
    worded = distinct.with_columns(
        reason=pl.Series([reject_text(e) for e in problem_errors(distinct)], dtype=pl.String)
    )
    return report.join(
        worded,
        on=["field", "code", "params"],
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )["reason"]


def _errors(report: pl.DataFrame) -> list[FieldError]:
    errors: list[FieldError] = []
    for (field, code), group in report.group_by(["field", "code"], maintain_order=True):
        rows = group.sort("_row")
        shown = rows.head(MAX_REPORTED_ERRORS)
        for row, pid, params in shown.select("_row", "personal_id", "params").iter_rows():
            # The row leads the field, as `line N` does in other files' errors.
            errors.append(
                FieldError(
                    f"row {row}: {field}", str(code), {"personal_id": pid, **_params(params)}
                )
            )
        if rows.height > MAX_REPORTED_ERRORS:
            more = rows.height - MAX_REPORTED_ERRORS
            errors.append(FieldError(str(field), "MORE_ROWS", {"count": more}))
    return errors


def prepare_frame(
    frame: pl.DataFrame, *, source: str, edition: str = Edition.V2025
) -> pl.DataFrame:
    """The frame as Person columns, or InvalidInput naming every bad row (up to 20 per rule);
    residence commune codes are of `edition`."""
    missing = [name for name in REQUIRED_COLUMNS if name not in frame.columns]
    if missing:
        raise InvalidInput.single("frame", "MISSING_COLUMNS", {"columns": missing})
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
