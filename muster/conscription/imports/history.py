"""Imports of past service and of the reserve register, migrated from paper (issue 17):

    muster import service FILE [--rejects R.csv]   personal_id, enlisted_on, discharged_on, unit
    muster import reserve FILE [--rejects R.csv]   personal_id, basis, entered_on, rank, specialty

The same file-level checks and rejects report as the other imports (`imports.file`). Each row
goes through the actions staff use, one row one transaction, so a row is written whole or not
at all and audited like a form: a service row is `service_enlist` + `service_discharge`, which
enters the reserve by the same rules as a discharge today (MSL Art. 24; a past discharge was
registered back then, so no report item); a reserve row is `reserve.actions.reserve_enter` on
its MSL Art. 24 basis. A refusal (a man in active service, already a reservist, a basis of the
other sex…) is the row's reject, with the rule's code.

Idempotent on (person, enlisted_on) and (person, basis, entered_on): a re-run changes nothing;
a later file with another rank or specialty updates them. These imports live in conscription
because the service record is its own and the file helpers are here; the reserve rows are
written by the reserve's actions.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction

from muster import audit
from muster.conscription.actions.service import service_discharge, service_enlist
from muster.conscription.imports.file import (
    CellError,
    ImportRefused,
    Rejects,
    cell_date,
    check_file,
    read_rows,
)
from muster.conscription.models import ServiceRecord, Source
from muster.core.errors import FieldError, InvalidInput
from muster.core.wording import reject_text
from muster.people.models import Person
from muster.people.rules import text_errors, text_shown
from muster.reserve import rules as reserve_rules
from muster.reserve.actions import reserve_enter, reserve_member_update
from muster.reserve.models import ReserveMembership

SERVICE_COLUMNS = ("personal_id", "enlisted_on", "discharged_on", "unit")
RESERVE_COLUMNS = ("personal_id", "basis", "entered_on", "rank", "specialty")
INSERTED, UPDATED, UNCHANGED = "inserted", "updated", "unchanged"


@dataclass
class HistoryResult:
    kind: str
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    rejects_path: Path | None = None
    seen: dict[tuple[str, ...], tuple[int, dict[str, str]]] = field(default_factory=dict)

    def summary(self) -> str:
        return (
            f"read {self.read} · inserted {self.inserted} · updated {self.updated} · "
            f"unchanged {self.unchanged} · rejected {self.rejected}"
            + (f" · identical duplicate rows skipped {self.skipped}" if self.skipped else "")
        )


def _date(
    values: dict[str, Any], errors: list[FieldError], cells: dict[str, str], name: str
) -> None:
    try:
        values[name] = cell_date(cells.get(name, ""))
    except CellError as exc:
        errors.append(FieldError(name, exc.code, exc.params))
        return
    if values[name] is None:
        errors.append(FieldError(name, "REQUIRED"))


def _service_row(person: Person, cells: dict[str, str]) -> str:
    """One past service: enlist, discharge (entering the reserve). InvalidInput refuses it."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    _date(values, errors, cells, "enlisted_on")
    _date(values, errors, cells, "discharged_on")
    unit = cells.get("unit", "")
    if not unit:
        errors.append(FieldError("unit", "REQUIRED"))
    if errors:
        raise InvalidInput(errors)
    enlisted_on: date = values["enlisted_on"]
    discharged_on: date = values["discharged_on"]
    existing = ServiceRecord.objects.filter(person=person, enlisted_on=enlisted_on).first()
    if existing is not None:
        if existing.discharged_on == discharged_on and existing.unit_name == unit:
            return UNCHANGED
        if existing.discharged_on is not None:
            raise InvalidInput([FieldError("discharged_on", "SERVICE_ALREADY_ENDED")])
        service_discharge(
            record=existing, discharged_on=discharged_on, report_due=False, acting_user=None
        )
        return UPDATED
    record = service_enlist(
        person=person, enlisted_on=enlisted_on, unit_name=unit, source=Source.IMPORT,
        acting_user=None,
    )  # fmt: skip
    service_discharge(
        record=record, discharged_on=discharged_on, report_due=False, acting_user=None
    )
    return INSERTED


def _reserve_row(person: Person, cells: dict[str, str]) -> str:
    """One reserve entry on its MSL Art. 24 basis; a later file may change rank/specialty."""
    errors: list[FieldError] = []
    values: dict[str, Any] = {}
    basis = cells.get("basis", "")
    if not basis:
        errors.append(FieldError("basis", "REQUIRED"))
    elif basis not in reserve_rules.BASES:
        errors.append(FieldError("basis", "RESERVE_BASIS_UNKNOWN", {"basis": basis}))
    _date(values, errors, cells, "entered_on")
    if errors:
        raise InvalidInput(errors)
    entered_on: date = values["entered_on"]
    rank, specialty = cells.get("rank", ""), cells.get("specialty", "")
    source = f"import:{basis}:{entered_on.isoformat()}"
    existing = ReserveMembership.objects.filter(person=person, source=source).first()
    if existing is not None:
        new_rank, new_specialty = rank or existing.rank, specialty or existing.specialty
        if (new_rank, new_specialty) == (existing.rank, existing.specialty):
            return UNCHANGED
        reserve_member_update(
            membership=existing, rank=new_rank, specialty=new_specialty, acting_user=None
        )
        return UPDATED
    entry = reserve_rules.entry_for_basis(basis)
    assert entry is not None  # checked above
    reserve_enter(
        person=person, entry=entry, entered_on=entered_on, source=source, rank=rank,
        specialty=specialty, acting_user=None,
    )  # fmt: skip
    return INSERTED


ROWS: dict[
    str, tuple[tuple[str, ...], Callable[[Person, dict[str, str]], str], tuple[str, ...]]
] = {
    "service": (SERVICE_COLUMNS, _service_row, ("enlisted_on",)),
    "reserve": (RESERVE_COLUMNS, _reserve_row, ("basis", "entered_on")),
}


def history_import(kind: str, path: Path, *, rejects: Path | None = None) -> HistoryResult:
    """Check and import one `service` or `reserve` file; ImportRefused (nothing written) on a
    file-level failure. Rows are applied one by one; rejects go to the report."""
    columns, apply, key_fields = ROWS[kind]
    checked = check_file(path, columns)
    report = Rejects(rejects)
    result = HistoryResult(kind=kind, rejects_path=rejects)

    def reject(line: int, pid: str, errors: list[FieldError]) -> None:
        for error in errors:
            report.write(line, pid, error.field, reject_text(error))
        result.rejected += 1

    try:
        for raw in read_rows(checked):
            result.read += 1
            cells, pid = raw.cells, raw.cells.get("personal_id", "")
            if raw.width_error is not None:
                reject(raw.line, pid, [raw.width_error])
                continue
            unreadable = [e for name, text in cells.items() for e in text_errors(name, text)]
            if unreadable:
                reject(raw.line, text_shown(pid), unreadable)
                continue
            if not pid:
                reject(raw.line, pid, [FieldError("personal_id", "REQUIRED")])
                continue
            key = (pid, *(cells.get(name, "") for name in key_fields))
            first = result.seen.get(key)
            if first is not None:
                if first[1] == cells:
                    copy = FieldError("line", "ROW_IDENTICAL_COPY", {"line": first[0]})
                    report.write(raw.line, pid, copy.field, reject_text(copy), "warned")
                    result.skipped += 1
                else:
                    conflict = FieldError(
                        ", ".join(key_fields),
                        "ROW_CONFLICTING_COPY",
                        {"line": first[0], "fields": key_fields},
                    )
                    reject(raw.line, pid, [conflict])
                continue
            result.seen[key] = (raw.line, cells)
            person = Person.objects.filter(personal_id=pid).first()
            if person is None:
                reject(raw.line, pid, [FieldError("personal_id", "PERSON_NOT_IN_REGISTRY")])
                continue
            try:
                with transaction.atomic():
                    outcome = apply(person, cells)
            except InvalidInput as exc:
                reject(raw.line, pid, exc.errors)
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
        with transaction.atomic():
            audit.record(
                f"{'conscription' if kind == 'service' else 'reserve'}.import.completed",
                actor=None,
                target=(
                    f"{'conscription' if kind == 'service' else 'reserve'}.import",
                    checked.sha256,
                ),
                data={
                    "kind": kind,
                    "file": path.name,
                    "sha256": checked.sha256,
                    "read": result.read,
                    "inserted": result.inserted,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "rejected": result.rejected,
                    "skipped": result.skipped,
                },
            )
    except BaseException:
        report.close(keep=False)
        raise
    report.close(keep=True)
    result.seen = {}
    return result


def cli_history_import(kind: str, options: dict[str, Any], out: TextIO) -> int:
    """`muster import service|reserve FILE [--rejects R.csv]`: exit 2 with nothing changed on a
    file-level refusal, 0 when the rows were processed (rejects counted and reported)."""
    path: Path = options["file"]
    rejects: Path = options.get("rejects") or path.with_name(path.name + ".rejects.csv")
    try:
        result = history_import(kind, path, rejects=rejects)
    except ImportRefused as exc:
        out.write(f"refused, nothing changed — {exc}\n")
        return 2
    out.write(f"{result.summary()}\n")
    if result.rejected:
        out.write(f"{result.rejected} rows were rejected: see the report\n")
    out.write(f"quality report: {result.rejects_path}\n")
    return 0
