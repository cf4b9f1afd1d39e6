"""Imports migrating existing military-service records from spreadsheets (issue #4 "Imports"):
`muster import registrations|health|deferrals FILE [--rejects R.csv]`.

    checks  (imports.file.check_file: file, encoding, columns, rows) → nothing written if any fails
    rows    read one at a time, each cell parsed ("" = unknown), checked with the same rules as
            the forms (actions.records.*_errors, rules.ground_problem), problems streamed to the
            rejects report (line, personal_id, field, reason, action)
    load    batches of rows: one set-based read of the persons and existing records, then
            bulk insert / update in one transaction per batch (SQLite and PostgreSQL alike)

Idempotent on the natural keys (person, registered_on), (person, examined_on) and
(person, ground_code, decided_on): a re-run counts the same rows unchanged; changed values
update. Within a file, a second row with the same key is skipped when identical and rejected
(naming the first line) when it differs. One `conscription.import.completed` event per file.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.conscription.actions.records import (
    ExamInput,
    exam_details,
    exam_errors,
    exam_outcome_of,
    family_error,
    family_holder,
    registration_errors,
)
from muster.conscription.imports.file import (
    CellError,
    CheckedFile,
    ImportRefused,
    Rejects,
    cell_date,
    cell_int,
    cell_number,
    cell_yes_no,
    check_file,
    read_rows,
)
from muster.conscription.models import (
    GroundDecision,
    HealthExam,
    Registration,
    RegistrationKind,
    Source,
)
from muster.conscription.rules import callup as rules
from muster.conscription.rules.grounds import CALLUP_GROUND_CODES, GROUNDS
from muster.core.errors import FieldError
from muster.core.sealed import seal, unseal
from muster.core.text import nfc
from muster.core.wording import reject_text
from muster.people.models import Person
from muster.people.rules import text_errors, text_shown
from muster.worklists.settle import work_items_settle

__all__ = ["BATCH_ROWS", "KINDS", "ImportRefused", "ImportResult", "records_import"]

BATCH_ROWS = 1000
Values = dict[str, Any]


@dataclass(frozen=True)
class ImportResult:
    kind: str
    read: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    skipped: int  # identical copies of an earlier row of the file
    rejects_path: Path | None

    def summary(self) -> str:
        return (
            f"read {self.read} · inserted {self.inserted} · updated {self.updated} · "
            f"unchanged {self.unchanged} · rejected {self.rejected}"
            + (f" · identical duplicate rows skipped {self.skipped}" if self.skipped else "")
        )


@dataclass(frozen=True)
class Item:
    line: int
    personal_id: str
    key: tuple[Any, ...]
    values: Values


@dataclass
class Counts:
    read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0


def _parse(
    cells: dict[str, str], parsers: dict[str, Callable[[str], Any]]
) -> tuple[Values, list[FieldError]]:
    values: Values = {}
    errors: list[FieldError] = []
    for name, parse in parsers.items():
        try:
            values[name] = parse(cells.get(name, ""))
        except CellError as exc:
            errors.append(FieldError(name, exc.code, exc.params))
    return values, errors


def _required(values: Values, names: tuple[str, ...]) -> list[FieldError]:
    return [FieldError(n, "REQUIRED") for n in names if values.get(n) in (None, "")]


# ── The three kinds of file ────────────────────────────────────────────────────────────────


class Spec:
    """What one kind of file holds and how its rows are checked and written."""

    name = ""
    columns: tuple[str, ...] = ()
    key_fields: tuple[str, ...] = ()

    def parse(self, cells: dict[str, str]) -> tuple[Values, list[FieldError]]:
        raise NotImplementedError

    def check(self, values: Values, person: Person, line: int, today: date) -> list[FieldError]:
        raise NotImplementedError

    def write(self, rows: list[tuple[Values, Person]]) -> tuple[int, int, int]:
        """(inserted, updated, unchanged) of checked rows, inside the batch's transaction."""
        raise NotImplementedError


class RegistrationSpec(Spec):
    """Registrations (MSL Art. 12, 16–17): a woman's is of kind "female" (Art. 12(2)), a
    man's "first", or "transfer" when he already has an earlier registration (Art. 17(2))."""

    name = "registrations"
    columns = ("personal_id", "registered_on", "education_level", "occupation")
    key_fields = ("registered_on",)

    def parse(self, cells: dict[str, str]) -> tuple[Values, list[FieldError]]:
        values, errors = _parse(
            cells,
            {"registered_on": cell_date, "education_level": str, "occupation": nfc},
        )
        if len(values.get("occupation", "")) > 120:
            errors.append(FieldError("occupation", "TOO_LONG", {"limit": 120}))
        return values, errors + _required(values, ("registered_on",))

    def check(self, values: Values, person: Person, line: int, today: date) -> list[FieldError]:
        kind = RegistrationKind.FEMALE if person.sex == "F" else RegistrationKind.FIRST
        return registration_errors(
            sex=person.sex,
            birth_date=person.birth_date,
            registered_on=values["registered_on"],
            kind=kind,
            education_level=values["education_level"],
            today=today,
        )

    def write(self, rows: list[tuple[Values, Person]]) -> tuple[int, int, int]:
        ids = sorted({person.pk for _, person in rows})
        existing: dict[tuple[int, date], Registration] = {}
        first_on: dict[int, date] = {}
        for known in Registration.objects.filter(person_id__in_array=ids):
            existing[(known.person_id, known.registered_on)] = known
            first_on[known.person_id] = min(
                first_on.get(known.person_id, date.max), known.registered_on
            )
        new: list[Registration] = []
        changed: list[Registration] = []
        unchanged = 0
        for values, person in rows:
            day = values["registered_on"]
            reg = existing.get((person.pk, day))
            if reg is None:
                kind = RegistrationKind.FEMALE if person.sex == "F" else RegistrationKind.FIRST
                if kind == RegistrationKind.FIRST and first_on.get(person.pk, date.max) < day:
                    kind = RegistrationKind.TRANSFER
                new.append(
                    Registration(
                        person=person,
                        kind=kind,
                        registered_on=day,
                        commune_id=person.residence_commune_id,
                        education_level=values["education_level"],
                        occupation=values["occupation"],
                        source=Source.IMPORT,
                    )
                )
            elif (reg.education_level, reg.occupation) != (
                values["education_level"],
                values["occupation"],
            ):
                reg.education_level, reg.occupation = (
                    values["education_level"],
                    values["occupation"],
                )
                changed.append(reg)
            else:
                unchanged += 1
        Registration.objects.bulk_create(new, batch_size=500)
        Registration.objects.bulk_update(changed, ["education_level", "occupation"], batch_size=500)
        if new:  # their first-registration and transfer items are done
            work_items_settle(person_ids=[r.person_id for r in new])
        return len(new), len(changed), unchanged


class HealthSpec(Spec):
    """Examination results (MSL Art. 40; Circular 105/2023): the class and outcome in clear,
    the measurements sealed. Board and notes are not in the file: an update keeps them."""

    name = "health"
    columns = (
        "personal_id",
        "examined_on",
        "health_class",
        "myopia_diopters",
        "hyperopia",
        "bmi",
        "drug_addiction",
    )
    key_fields = ("examined_on",)

    def parse(self, cells: dict[str, str]) -> tuple[Values, list[FieldError]]:
        values, errors = _parse(
            cells,
            {
                "examined_on": cell_date,
                "health_class": cell_int,
                "myopia_diopters": cell_number,
                "hyperopia": cell_yes_no,
                "bmi": cell_number,
                "drug_addiction": cell_yes_no,
            },
        )
        errors += _required(values, ("examined_on", "health_class"))
        if not errors and not 1 <= values["health_class"] <= 6:
            errors.append(
                FieldError("health_class", "HEALTH_CLASS_RANGE", {"value": values["health_class"]})
            )
        return values, errors

    @staticmethod
    def _exam(values: Values) -> ExamInput:
        return ExamInput(**{name: values[name] for name in HealthSpec.columns[1:]})

    def check(self, values: Values, person: Person, line: int, today: date) -> list[FieldError]:
        return exam_errors(self._exam(values), birth_date=person.birth_date, today=today)

    def write(self, rows: list[tuple[Values, Person]]) -> tuple[int, int, int]:
        ids = sorted({person.pk for _, person in rows})
        existing = {
            (exam.person_id, exam.examined_on): exam
            for exam in HealthExam.objects.filter(person_id__in_array=ids)
        }
        new: list[HealthExam] = []
        changed: list[HealthExam] = []
        unchanged = 0
        for values, person in rows:
            exam_input = self._exam(values)
            outcome, version = exam_outcome_of(exam_input)
            row = existing.get((person.pk, exam_input.examined_on))
            old = unseal(row.sealed_details) if row is not None else {}
            details = exam_details(exam_input, old.get("notes", ""))
            if row is None:
                new.append(
                    HealthExam(
                        person=person,
                        examined_on=exam_input.examined_on,
                        health_class=exam_input.health_class,
                        outcome_codes=outcome,
                        rules_version=version,
                        sealed_details=seal(details),
                        source=Source.IMPORT,
                    )
                )
            elif (row.health_class, row.outcome_codes, row.rules_version, old) != (
                exam_input.health_class,
                outcome,
                version,
                details,
            ):
                row.health_class, row.outcome_codes = exam_input.health_class, outcome
                row.rules_version, row.sealed_details = version, seal(details)
                changed.append(row)
            else:
                unchanged += 1
        HealthExam.objects.bulk_create(new, batch_size=500)
        HealthExam.objects.bulk_update(
            changed,
            ["health_class", "outcome_codes", "rules_version", "sealed_details"],
            batch_size=500,
        )
        return len(new), len(changed), unchanged


class DeferralSpec(Spec):
    """Deferrals and exemptions of call-up (MSL Art. 41(1)-(2); domain-rules §0.5–0.6), each
    checked by `rules.ground_problem`; a "one child / one brother" ground goes to one member
    of a household only (Art. 41(2)), in the registry and within the file."""

    name = "deferrals"
    columns = ("personal_id", "kind", "ground_code", "decided_on", "valid_until")
    key_fields = ("ground_code", "decided_on")

    def __init__(self) -> None:
        # (household, ground) → (person id, decided_on, valid_until, line, personal_id) of the
        # file's rows taken so far.
        self.family: dict[tuple[str, str], list[tuple[int, date, date | None, int, str]]] = {}

    def parse(self, cells: dict[str, str]) -> tuple[Values, list[FieldError]]:
        values, errors = _parse(
            cells,
            {
                "kind": str,
                "ground_code": str.upper,
                "decided_on": cell_date,
                "valid_until": cell_date,
            },
        )
        errors += _required(values, ("kind", "ground_code", "decided_on"))
        kind, code = values.get("kind"), values.get("ground_code")
        if kind and kind not in ("deferral", "exemption"):
            errors.append(FieldError("kind", "NOT_ONE_OF", {"choices": ["deferral", "exemption"]}))
        if code and code not in CALLUP_GROUND_CODES:
            errors.append(
                FieldError("ground_code", "GROUND_UNKNOWN", {"ground": code})
                if code not in GROUNDS
                else FieldError("ground_code", "GROUND_NOT_FOR_CALLUP", {"ground": code})
            )
        return values, errors

    def check(self, values: Values, person: Person, line: int, today: date) -> list[FieldError]:
        code, decided_on, until = values["ground_code"], values["decided_on"], values["valid_until"]
        problem = rules.ground_problem(
            code=code,
            kind=values["kind"],
            sex=person.sex,
            birth_date=person.birth_date,
            decided_on=decided_on,
            valid_until=until,
        )
        errors = [problem] if problem else []
        if decided_on > today:
            errors.append(FieldError("decided_on", "DATE_IN_FUTURE", {"day": decided_on}))
        if errors or not GROUNDS[code].one_per_family or not person.household_id:
            return errors
        holder = family_holder(person=person, code=code, decided_on=decided_on, valid_until=until)
        if holder is not None:
            return [family_error(code, holder)]
        taken = self.family.setdefault((person.household_id, code), [])
        for other_id, other_on, other_until, other_line, other_pid in taken:
            overlaps = (other_until is None or other_until >= decided_on) and (
                until is None or other_on <= until
            )
            if other_id != person.pk and overlaps:
                return [
                    FieldError(
                        "ground_code",
                        "GROUND_ONE_PER_FAMILY_IN_FILE",
                        {"ground": code, "line": other_line, "holder": other_pid},
                    )
                ]
        taken.append((person.pk, decided_on, until, line, person.personal_id))
        return []

    def write(self, rows: list[tuple[Values, Person]]) -> tuple[int, int, int]:
        ids = sorted({person.pk for _, person in rows})
        existing = {
            (d.person_id, d.ground_code, d.decided_on): d
            for d in GroundDecision.objects.filter(person_id__in_array=ids)
        }
        new: list[GroundDecision] = []
        changed: list[GroundDecision] = []
        unchanged = 0
        for values, person in rows:
            row = existing.get((person.pk, values["ground_code"], values["decided_on"]))
            if row is None:
                new.append(
                    GroundDecision(
                        person=person,
                        kind=values["kind"],
                        ground_code=values["ground_code"],
                        decided_on=values["decided_on"],
                        valid_until=values["valid_until"],
                        source=Source.IMPORT,
                    )
                )
            elif (row.kind, row.valid_until) != (values["kind"], values["valid_until"]):
                row.kind, row.valid_until = values["kind"], values["valid_until"]
                changed.append(row)
            else:
                unchanged += 1
        GroundDecision.objects.bulk_create(new, batch_size=500)
        GroundDecision.objects.bulk_update(changed, ["kind", "valid_until"], batch_size=500)
        return len(new), len(changed), unchanged


KINDS: dict[str, Callable[[], Spec]] = {
    "registrations": RegistrationSpec,
    "health": HealthSpec,
    "deferrals": DeferralSpec,
}


# ── The run ────────────────────────────────────────────────────────────────────────────────


class _Run:
    def __init__(self, spec: Spec, checked: CheckedFile, rejects: Rejects) -> None:
        self.spec, self.checked, self.rejects = spec, checked, rejects
        self.counts = Counts()
        self.today = timezone.localdate()
        self.seen: dict[tuple[Any, ...], tuple[int, Values]] = {}

    def reject(self, line: int, pid: str, errors: list[FieldError]) -> None:
        for error in errors:
            self.rejects.write(line, pid, error.field, reject_text(error))
        self.counts.rejected += 1

    def take(self, line: int, cells: dict[str, str], width_error: FieldError | None) -> Item | None:
        pid = cells.get("personal_id", "")
        self.counts.read += 1
        if width_error is not None:
            self.reject(line, pid, [width_error])
            return None
        # Control, bidirectional and zero-width characters are refused in every cell (the
        # rule for a person's record, people.rules), before a cell is read at all.
        unreadable = [e for name, text in cells.items() for e in text_errors(name, text)]
        if unreadable:
            self.reject(line, text_shown(pid), unreadable)
            return None
        values, errors = self.spec.parse(cells)
        if not pid:
            errors.insert(0, FieldError("personal_id", "REQUIRED"))
        if errors:
            self.reject(line, pid, errors)
            return None
        key = (pid, *(values[name] for name in self.spec.key_fields))
        first = self.seen.get(key)
        if first is not None:
            first_line, first_values = first
            if first_values == values:
                copy = FieldError("line", "ROW_IDENTICAL_COPY", {"line": first_line})
                self.rejects.write(line, pid, copy.field, reject_text(copy), "warned")
                self.counts.skipped += 1
            else:
                self.reject(
                    line,
                    pid,
                    [
                        FieldError(
                            ", ".join(self.spec.key_fields),
                            "ROW_CONFLICTING_COPY",
                            {"line": first_line, "fields": self.spec.key_fields},
                        )
                    ],
                )
            return None
        self.seen[key] = (line, values)
        return Item(line, pid, key, values)

    def load(self, batch: list[Item]) -> None:
        pids = sorted({item.personal_id for item in batch})
        persons = {
            p.personal_id: p
            for p in Person.objects.filter(personal_id__in_array=pids).only(
                "id", "personal_id", "sex", "birth_date", "household_id", "residence_commune_id"
            )
        }
        rows: list[tuple[Values, Person]] = []
        for item in batch:
            person = persons.get(item.personal_id)
            if person is None:
                error = FieldError("personal_id", "PERSON_NOT_IN_REGISTRY")
                self.reject(item.line, item.personal_id, [error])
                continue
            errors = self.spec.check(item.values, person, item.line, self.today)
            if errors:
                self.reject(item.line, item.personal_id, errors)
                continue
            rows.append((item.values, person))
        if not rows:
            return
        with transaction.atomic():
            inserted, updated, unchanged = self.spec.write(rows)
        self.counts.inserted += inserted
        self.counts.updated += updated
        self.counts.unchanged += unchanged


def records_import(
    kind: str, path: Path, *, rejects: Path | None = None, batch_rows: int = BATCH_ROWS
) -> ImportResult:
    """Check and import one file of `kind` (registrations | health | deferrals); ImportRefused
    (nothing written) on a file-level failure. The rejects report goes to `rejects`."""
    if kind not in KINDS:
        raise ImportRefused(f"kind: {kind!r} is not one of {', '.join(KINDS)}")
    spec = KINDS[kind]()
    checked = check_file(path, spec.columns)
    report = Rejects(rejects)
    run = _Run(spec, checked, report)
    try:
        batch: list[Item] = []
        for raw in read_rows(checked):
            item = run.take(raw.line, raw.cells, raw.width_error)
            if item is not None:
                batch.append(item)
            if len(batch) >= max(1, batch_rows):
                run.load(batch)
                batch = []
        if batch:
            run.load(batch)
        counts = run.counts
        result = ImportResult(
            kind=kind,
            read=counts.read,
            inserted=counts.inserted,
            updated=counts.updated,
            unchanged=counts.unchanged,
            rejected=counts.rejected,
            skipped=counts.skipped,
            rejects_path=rejects,
        )
        with transaction.atomic():
            audit.record(
                "conscription.import.completed",
                actor=None,
                target=("conscription.import", checked.sha256),
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
    return result


def cli_import(kind: str, options: dict[str, Any], out: TextIO) -> int:
    """The body of `muster import KIND FILE [--rejects R.csv]`: like `muster exchange ingest`,
    exit 2 with nothing changed on a file-level refusal, 0 when the rows were processed (rows
    rejected are counted in the summary and listed in the report)."""
    path: Path = options["file"]
    rejects: Path = options.get("rejects") or path.with_name(path.name + ".rejects.csv")
    try:
        result = records_import(
            kind, path, rejects=rejects, batch_rows=options.get("batch_rows") or BATCH_ROWS
        )
    except ImportRefused as exc:
        out.write(f"refused, nothing changed — {exc}\n")
        return 2
    out.write(f"{result.summary()}\n")
    if result.rejected:
        out.write(f"{result.rejected} rows were rejected: see the report\n")
    out.write(f"quality report: {result.rejects_path}\n")
    return 0


def cli_arguments(parser: argparse.ArgumentParser, columns: tuple[str, ...]) -> None:
    parser.add_argument("file", type=Path, help=f"UTF-8 CSV with columns {', '.join(columns)}")
    parser.add_argument(
        "--rejects",
        type=Path,
        help="where to write the rejects report (default: FILE.rejects.csv beside it)",
    )
    parser.add_argument(
        "--batch-rows",
        type=int,
        default=BATCH_ROWS,
        help=f"rows per batch (default {BATCH_ROWS}; small values are for tests)",
    )
