"""File-level checks, streaming and the rejects report of the military-service imports
(issue #4 "Imports"), shaped like the extract ingest (exchange/ingest_file.py).

Every file-level check runs before anything is written; the first that fails raises
`ImportRefused` whose message starts with the check's name: file, encoding, columns, rows.
Rows are then read one at a time (UTF-8, a BOM accepted), so memory stays bounded.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from muster.core.errors import CodedError, FieldError
from muster.core.exports import neutralise

REJECTS_COLUMNS = ("line", "personal_id", "field", "reason", "action")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


class ImportRefused(ValueError):
    """A file-level check failed; nothing was changed. The message names the check."""


class CellError(CodedError, ValueError):
    """One cell cannot be read: a code and its parameters, for the rejects report."""


@dataclass(frozen=True)
class CheckedFile:
    path: Path
    sha256: str
    columns: tuple[str, ...]


def _hash_and_check_utf8(path: Path) -> str:
    """SHA-256 of the file, after making sure every byte decodes as UTF-8 (one pass)."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = lines = 0
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            try:
                decoder.decode(block)
            except UnicodeDecodeError as exc:
                line = lines + block.count(b"\n", 0, exc.start) + 1
                raise ImportRefused(
                    f"encoding: byte 0x{block[exc.start]:02X} at offset {offset + exc.start} "
                    f"(line {line}) is not UTF-8; save the spreadsheet as CSV UTF-8"
                ) from None
            lines += block.count(b"\n")
            offset += len(block)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise ImportRefused("encoding: the file ends inside a UTF-8 character") from None
    return digest.hexdigest()


def check_file(path: Path, expected: tuple[str, ...]) -> CheckedFile:
    """Run the file-level checks in order; ImportRefused names the first that fails."""
    if not path.is_file():
        raise ImportRefused(f"file: no such file {path}")
    sha256 = _hash_and_check_utf8(path)
    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        has_rows = any(any(cell.strip() for cell in row) for row in reader)
    if not header or not any(cell.strip() for cell in header):
        raise ImportRefused("columns: the file is empty (no header line)")
    columns = tuple(cell.strip() for cell in header)
    missing = [c for c in expected if c not in columns]
    extra = [c for c in columns if c not in expected]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    problems = [
        f"{label} {', '.join(names)}"
        for label, names in (("missing", missing), ("unexpected", extra), ("repeated", repeated))
        if names
    ]
    if problems:
        raise ImportRefused(
            f"columns: {'; '.join(problems)} (expected exactly: {', '.join(expected)})"
        )
    if not has_rows:
        raise ImportRefused("rows: the file has a header but no data rows")
    return CheckedFile(path=path, sha256=sha256, columns=columns)


@dataclass(frozen=True)
class RawRow:
    line: int  # the file line the row ends on (header = line 1)
    cells: dict[str, str]  # column → stripped text ("" = unknown)
    width_error: FieldError | None = None


def read_rows(checked: CheckedFile) -> Iterator[RawRow]:
    """Data rows in file order; blank lines are skipped, a row of the wrong width is flagged."""
    width = len(checked.columns)
    with checked.path.open("r", encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            cells = dict(zip(checked.columns, (cell.strip() for cell in row), strict=False))
            problem = (
                FieldError("line", "ROW_WIDTH", {"fields": len(row), "width": width})
                if len(row) != width
                else None
            )
            yield RawRow(reader.line_num, cells, problem)


# ── Cells ("" is unknown) ──────────────────────────────────────────────────────────────────


def cell_date(text: str) -> date | None:
    if not text:
        return None
    if not _ISO_DATE.fullmatch(text):
        raise CellError("NOT_A_DATE_VALUE", {"value": text})
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CellError("CELL_NOT_A_CALENDAR_DATE", {"value": text}) from None


def cell_number(text: str) -> float | None:
    if not text:
        return None
    if not _NUMBER.fullmatch(text):
        raise CellError("CELL_NOT_A_NUMBER", {"value": text})
    return float(text)


def cell_int(text: str) -> int | None:
    if not text:
        return None
    if not re.fullmatch(r"-?\d+", text):
        raise CellError("CELL_NOT_A_WHOLE_NUMBER", {"value": text})
    return int(text)


def cell_yes_no(text: str) -> bool | None:
    if not text:
        return None
    lowered = text.lower()
    if lowered not in {"yes", "no"}:
        raise CellError("CELL_NOT_YES_NO", {"value": text})
    return lowered == "yes"


class Rejects:
    """The rejects report, written to a temporary file and renamed into place at the end."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._tmp = path.with_name(f".{path.name}.part") if path else None
        self._out: IO[str] | None = None
        self._writer: csv.DictWriter[str] | None = None
        if self._tmp is not None:
            self._out = self._tmp.open("w", encoding="utf-8", newline="")
            self._writer = csv.DictWriter(self._out, fieldnames=REJECTS_COLUMNS)
            self._writer.writeheader()

    def write(
        self, line: int, personal_id: str, field: str, reason: str, action: str = "rejected"
    ) -> None:
        if self._writer is not None:
            # The report quotes the file's own cells: formula-safe like every export.
            self._writer.writerow(
                {
                    "line": line,
                    "personal_id": neutralise(personal_id),
                    "field": neutralise(field),
                    "reason": neutralise(reason),
                    "action": action,
                }
            )

    def close(self, *, keep: bool) -> None:
        if self._out is None or self._tmp is None or self.path is None:
            return
        self._out.close()
        if keep:
            os.replace(self._tmp, self.path)
        else:
            self._tmp.unlink(missing_ok=True)
