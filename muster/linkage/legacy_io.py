"""Reading and validating a legacy CSV: file-level errors raise, row-level problems are listed.

Nothing is dropped silently: a row that cannot be linked is a `rejected` line of the rejects
report, a field that was cleared (an unusable personal ID) is a `warned` line.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from muster.core.errors import FieldError, InvalidInput
from muster.core.text import nfc
from muster.core.wording import reject_text
from muster.linkage.addresses import LegacyGeo
from muster.linkage.rules import LEGACY_COLUMNS
from muster.people.rules import text_errors, text_shown

_SEX = {"m": "M", "nam": "M", "male": "M", "f": "F", "nu": "F", "nữ": "F", "female": "F"}
_ID = re.compile(r"^\d{12}$")
FIRST_YEAR = 1900


@dataclass(frozen=True)
class Reject:
    line: int
    legacy_id: str
    error: FieldError
    action: str = "rejected"  # or "warned": row kept, field cleared

    @property
    def field(self) -> str:
        return self.error.field

    @property
    def reason(self) -> str:
        """`CODE: wording` in the active language, for the rejects report."""
        return reject_text(self.error)


@dataclass
class LegacyFile:
    frame: pl.DataFrame  # validated rows, with `commune` (2025 code or null)
    rejects: list[Reject] = field(default_factory=list)
    read: int = 0


LEGACY_SCHEMA: dict[str, pl.DataType] = {
    "legacy_id": pl.Utf8(),
    "full_name": pl.Utf8(),
    "birth_date": pl.Date(),
    "birth_year": pl.Int32(),
    "sex": pl.Utf8(),
    "address": pl.Utf8(),
    "personal_id": pl.Utf8(),
    "father_name": pl.Utf8(),
    "mother_name": pl.Utf8(),
    "commune": pl.Utf8(),
    "communes": pl.List(pl.Utf8()),
    "districts": pl.List(pl.Utf8()),
    "line": pl.Int64(),
}


def _text(path: Path) -> str:
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput.single("file", "FILE_NOT_UTF8", {"byte": exc.start}) from None


def read_legacy(path: Path, geo: LegacyGeo, *, today: date | None = None) -> LegacyFile:
    """Validate every row of a legacy CSV. Wrong columns or encoding raise InvalidInput;
    bad rows become rejects naming their line and field."""
    today = today or date.today()
    reader = csv.reader(io.StringIO(_text(path), newline=""))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in LEGACY_COLUMNS if c not in header]
    extra = [c for c in header if c not in LEGACY_COLUMNS]
    if missing or extra:
        raise InvalidInput.single(
            "header",
            "LEGACY_COLUMNS",
            {"missing": missing or "—", "extra": extra or "—", "expected": LEGACY_COLUMNS},
        )
    index = {name: header.index(name) for name in LEGACY_COLUMNS}
    rows: dict[str, list[object]] = {name: [] for name in LEGACY_SCHEMA}
    rejects: list[Reject] = []
    seen: dict[str, int] = {}
    read = 0
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        read += 1
        if len(cells) != len(header):
            width = FieldError("row", "ROW_WIDTH", {"fields": len(cells), "width": len(header)})
            rejects.append(Reject(line, cells[0] if cells else "", width))
            continue
        # Control, bidirectional and zero-width characters: refused as in every person's
        # record (people.rules), before the cells are normalised.
        unreadable = [e for name, i in index.items() for e in text_errors(name, cells[i])]
        if unreadable:
            lid_shown = text_shown(cells[index["legacy_id"]].strip())
            rejects.extend(Reject(line, lid_shown, error) for error in unreadable)
            continue
        value = {name: nfc(cells[i]) for name, i in index.items()}
        lid = value["legacy_id"]
        problems: list[FieldError] = []
        if not lid:
            problems.append(FieldError("legacy_id", "REQUIRED"))
        elif lid in seen:
            problems.append(FieldError("legacy_id", "LEGACY_ID_REPEATED", {"line": seen[lid]}))
        if not value["full_name"]:
            problems.append(FieldError("full_name", "REQUIRED"))
        born: date | None = None
        if value["birth_date"]:
            try:
                born = date.fromisoformat(value["birth_date"])
            except ValueError:
                problems.append(
                    FieldError("birth_date", "NOT_A_DATE_VALUE", {"value": value["birth_date"]})
                )
            else:
                if born > today or born.year < FIRST_YEAR:
                    problems.append(
                        FieldError("birth_date", "LEGACY_DATE_IMPOSSIBLE", {"day": born})
                    )
        year: int | None = None
        if value["birth_year"]:
            if (
                value["birth_year"].isdigit()
                and FIRST_YEAR <= int(value["birth_year"]) <= today.year
            ):
                year = int(value["birth_year"])
            else:
                problems.append(
                    FieldError(
                        "birth_year", "LEGACY_YEAR_IMPLAUSIBLE", {"value": value["birth_year"]}
                    )
                )
        if born is not None and year is not None and born.year != year:
            problems.append(
                FieldError("birth_year", "LEGACY_YEAR_DISAGREES", {"year": year, "day": born})
            )
        if born is None and year is None and not any(p.field.startswith("birth") for p in problems):
            problems.append(FieldError("birth_year", "LEGACY_BIRTH_MISSING"))
        sex = _SEX.get(value["sex"].lower()) if value["sex"] else None
        if value["sex"] and sex is None:
            problems.append(FieldError("sex", "SEX_INVALID", {"value": value["sex"]}))
        if problems:
            rejects.extend(Reject(line, lid, problem) for problem in problems)
            continue
        seen[lid] = line
        pid = value["personal_id"].replace(" ", "")
        if pid and not _ID.match(pid):
            ignored = FieldError("personal_id", "LEGACY_ID_IGNORED", {"value": pid})
            rejects.append(Reject(line, lid, ignored, "warned"))
            pid = ""
        for name, val in (
            ("legacy_id", lid),
            ("full_name", value["full_name"]),
            ("birth_date", born),
            ("birth_year", year if year is not None else born.year if born else None),
            ("sex", sex),
            ("address", value["address"]),
            ("personal_id", pid or None),
            ("father_name", value["father_name"]),
            ("mother_name", value["mother_name"]),
            ("line", line),
        ):
            rows[name].append(val)
        commune, communes, district = geo.resolve(value["address"])
        rows["commune"].append(commune)
        rows["communes"].append(communes)
        rows["districts"].append([district] if district else [])
    return LegacyFile(pl.DataFrame(rows, schema=LEGACY_SCHEMA), rejects, read)


def legacy_frame(records: pl.DataFrame, geo: LegacyGeo) -> pl.DataFrame:
    """A generated (all-text) legacy frame in the validated shape, without going through CSV."""
    return (
        records.select(
            "legacy_id",
            "full_name",
            pl.col("birth_date").replace("", None).str.to_date("%Y-%m-%d"),
            pl.col("birth_year").cast(pl.Int32),
            pl.col("sex").replace("", None),
            "address",
            pl.col("personal_id").replace("", None),
            "father_name",
            "mother_name",
            pl.col("address").map_elements(_resolved(geo), return_dtype=_RESOLVED).alias("_where"),
            (pl.int_range(pl.len()) + 2).cast(pl.Int64).alias("line"),
        )
        .unnest("_where")
        .select(list(LEGACY_SCHEMA))
    )


_RESOLVED = pl.Struct(
    {"commune": pl.Utf8(), "communes": pl.List(pl.Utf8()), "districts": pl.List(pl.Utf8())}
)


def _resolved(geo: LegacyGeo) -> Callable[[str], dict[str, object]]:
    def resolve(address: str) -> dict[str, object]:
        commune, communes, district = geo.resolve(address or "")
        return {
            "commune": commune,
            "communes": communes,
            "districts": [district] if district else [],
        }

    return resolve
