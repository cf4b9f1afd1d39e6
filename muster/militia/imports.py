"""`muster import militia FILE [--rejects R.csv]`: existing militia rosters from a spreadsheet.

The file is UTF-8 CSV (a BOM accepted) or .xlsx whose header is exactly `personal_id,
command_code, force_kind, specialty, joined_on, volunteer`. Every good row joins through
`actions.militia_join` — the same rules as a page (ages, force, the commune's flags, one open
membership…) — with the decision recorded as `imported`, decided on `joined_on`. Each bad row is
listed in the rejects report (`line, personal_id, field, reason, action`; the reason starts
with the rule code, e.g. `MILITIA_AGE: …`; action `rejected`, or `warned` for a row skipped
without harm). A row already on the roster as the file says is unchanged, so re-running the
file changes nothing. A file-level problem (missing file, wrong header, not UTF-8, no rows)
refuses the whole file before anything is written.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO

from django.db import transaction

from muster import audit
from muster.core.errors import FieldError, InvalidInput
from muster.core.exports import neutralise
from muster.core.wording import reject_text
from muster.militia import actions, rules
from muster.militia.models import MilitiaMembership
from muster.orgs.models import OrgUnit
from muster.people.models import Person

COLUMNS = ("personal_id", "command_code", "force_kind", "specialty", "joined_on", "volunteer")
REJECTS_COLUMNS = ("line", "personal_id", "field", "reason", "action")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ImportRefused(ValueError):
    """A file-level check failed; nothing was changed. The message names the check."""


@dataclass
class ImportResult:
    read: int = 0
    joined: int = 0
    unchanged: int = 0
    rejected: int = 0
    warned: int = 0
    rejects_path: Path | None = None

    def summary(self) -> str:
        return (
            f"militia: read {self.read}, joined {self.joined}, unchanged {self.unchanged}, "
            f"rejected {self.rejected}, warned {self.warned}"
        )


@dataclass(frozen=True)
class Row:
    line: int
    cells: dict[str, str] = field(default_factory=dict)


def _text(value: object) -> str:
    """A cell as text: xlsx dates as ISO, booleans as yes/no, numbers without a float tail."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _header_check(header: list[str]) -> None:
    if tuple(header) != COLUMNS:
        raise ImportRefused(
            f"columns: the header is {', '.join(header) or '(empty)'}; expected exactly "
            f"{', '.join(COLUMNS)}"
        )


def read_rows(path: Path) -> list[Row]:
    """Every data row of the CSV or xlsx file (blank rows skipped); ImportRefused on a
    file-level problem."""
    if not path.is_file():
        raise ImportRefused(f"file: no such file {path}")
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(path)
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.reader(handle))
    except UnicodeDecodeError:
        raise ImportRefused("encoding: the file is not UTF-8; save it as CSV UTF-8") from None
    if not lines:
        raise ImportRefused("columns: the file is empty (no header line)")
    _header_check([cell.strip() for cell in lines[0]])
    rows = [
        Row(number, dict(zip(COLUMNS, (cell.strip() for cell in cells), strict=False)))
        for number, cells in enumerate(lines[1:], start=2)
        if any(cell.strip() for cell in cells)
    ]
    if not rows:
        raise ImportRefused("rows: the file has a header but no data rows")
    return rows


def _xlsx_rows(path: Path) -> list[Row]:
    from openpyxl import load_workbook  # only an xlsx file needs it

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # a broken or disguised file: refused, whatever the library says
        raise ImportRefused(
            f"file: not a readable xlsx workbook ({exc.__class__.__name__})"
        ) from None
    try:
        sheet = book.worksheets[0]
        found = [[_text(v) for v in values] for values in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    if not found:
        raise ImportRefused("columns: the sheet is empty (no header line)")
    header = found[0]
    while header and not header[-1]:
        header = header[:-1]
    _header_check(header)
    rows = [
        Row(number, dict(zip(COLUMNS, cells, strict=False)))
        for number, cells in enumerate(found[1:], start=2)
        if any(cells)
    ]
    if not rows:
        raise ImportRefused("rows: the sheet has a header but no data rows")
    return rows


@dataclass(frozen=True)
class Values:
    command_code: str
    force_kind: str
    specialty: str
    joined_on: date
    volunteer: bool


def parse(cells: dict[str, str]) -> tuple[Values | None, list[FieldError]]:
    """The row's cells read, or what is wrong with them (each with its code)."""
    problems: list[FieldError] = []
    for name in ("personal_id", "command_code", "force_kind", "joined_on"):
        if not cells.get(name):
            problems.append(FieldError(name, "REQUIRED"))
    force = cells.get("force_kind", "")
    if force and force not in rules.FORCE_KINDS:
        problems.append(FieldError("force_kind", "NOT_ONE_OF", {"choices": rules.FORCE_KINDS}))
    joined: date | None = None
    text = cells.get("joined_on", "")
    if text:
        try:
            joined = date.fromisoformat(text) if ISO_DATE.fullmatch(text) else None
        except ValueError:
            joined = None
        if joined is None:
            problems.append(FieldError("joined_on", "NOT_A_DATE_VALUE", {"value": text}))
    volunteer = cells.get("volunteer", "").lower()
    if volunteer not in ("yes", "no", ""):
        problems.append(FieldError("volunteer", "MILITIA_IMPORT_YES_NO", {"value": volunteer}))
    if problems or joined is None:
        return None, problems
    return Values(
        cells["command_code"], force, cells.get("specialty", ""), joined, volunteer == "yes"
    ), []


class Rejects:
    """The rejects report, written beside and renamed into place when the run ends."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tmp = path.with_name(f".{path.name}.part")
        self._out: IO[str] = self._tmp.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._out, lineterminator="\n")
        self._writer.writerow(REJECTS_COLUMNS)

    def write(self, line: int, personal_id: str, error: FieldError, action: str) -> None:
        # The report quotes the file's own cells: formula-safe like every export.
        self._writer.writerow(
            (line, neutralise(personal_id), error.field, neutralise(reject_text(error)), action)
        )

    def close(self, *, keep: bool) -> None:
        self._out.close()
        if keep:
            os.replace(self._tmp, self.path)
        else:
            self._tmp.unlink(missing_ok=True)


def _already(person: Person, command: OrgUnit, values: Values) -> bool:
    """The roster already holds this row (a re-run): the same join on the same command."""
    return MilitiaMembership.objects.filter(
        person=person,
        joined_on=values.joined_on,
        force_kind=values.force_kind,
        unit__code=command.code,
    ).exists()


def militia_import(path: Path, *, rejects: Path) -> ImportResult:
    """Import one roster file; ImportRefused (nothing written) on a file-level failure."""
    rows = read_rows(path)
    report = Rejects(rejects)
    result = ImportResult(rejects_path=rejects)
    seen: dict[str, tuple[int, dict[str, str]]] = {}
    try:
        for row in rows:
            result.read += 1
            pid = row.cells.get("personal_id", "")
            first = seen.get(pid) if pid else None
            if first is not None:
                if first[1] == row.cells:
                    copy = FieldError("personal_id", "MILITIA_IMPORT_COPY", {"line": first[0]})
                    report.write(row.line, pid, copy, "warned")
                    result.warned += 1
                else:
                    clash = FieldError("personal_id", "MILITIA_IMPORT_CONFLICT", {"line": first[0]})
                    report.write(row.line, pid, clash, "rejected")
                    result.rejected += 1
                continue
            if pid:
                seen[pid] = (row.line, row.cells)
            errors = _load(row, pid, result)
            for error in errors:
                report.write(row.line, pid, error, "rejected")
            if errors:
                result.rejected += 1
        with transaction.atomic():
            audit.record(
                "militia.import.completed",
                actor=None,
                target=("militia.import", path.name),
                data={
                    "file": path.name,
                    "read": result.read,
                    "joined": result.joined,
                    "unchanged": result.unchanged,
                    "rejected": result.rejected,
                    "warned": result.warned,
                },
            )
    except BaseException:
        report.close(keep=False)
        raise
    report.close(keep=True)
    return result


def _load(row: Row, pid: str, result: ImportResult) -> list[FieldError]:
    """Join one row (its own transaction, in the action); the problems when refused."""
    values, errors = parse(row.cells)
    if values is None:
        return errors
    person = Person.objects.select_related("residence_commune").filter(personal_id=pid).first()
    if person is None:
        return [FieldError("personal_id", "PERSON_NOT_IN_REGISTRY")]
    command = OrgUnit.objects.filter(code=values.command_code).first()
    if command is None:
        return [
            FieldError(
                "command_code",
                "NOT_A_COMMUNE_COMMAND_ON",
                {"code": values.command_code, "day": values.joined_on},
            )
        ]
    if _already(person, command, values):
        result.unchanged += 1
        return []
    try:
        actions.militia_join(
            person=person,
            unit=command,
            joined_on=values.joined_on,
            force_kind=values.force_kind,
            specialty=values.specialty,
            volunteer=values.volunteer,
            decision=actions.Decision.imported(values.joined_on),
            acting_user=None,
        )
    except InvalidInput as exc:
        return [_as_column(e) for e in exc.errors]
    result.joined += 1
    return []


def _as_column(error: FieldError) -> FieldError:
    """The action's field named as the file's column."""
    column = {"unit": "command_code", "person": "personal_id", "grounds": "personal_id"}
    return FieldError(column.get(error.field, error.field), error.code, error.params)
