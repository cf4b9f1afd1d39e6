"""Writes about cadres: each atomic, audited, and allowed by `accounts.permissions`.

Appointments are the orgs app's records: `position_appoint` and `position_dismiss` check the
permission (orgs sits below accounts and cannot ask), call `orgs.actions`, which audit them,
and report the qualification gaps of the new holder — a warning with the rule, never a refusal
(the law sets the standard; whom the province appoints is its decision).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.cadres import bulk, positions, rules
from muster.cadres.models import (
    Attendance,
    Certificate,
    Course,
    CourseKind,
    CourseSession,
    Enrolment,
    Qualification,
    Result,
    TrainingTarget,
)
from muster.core.errors import FieldError, InvalidInput
from muster.core.text import nfc
from muster.orgs import actions as orgs_actions
from muster.orgs.models import Appointment, OrgUnit, Position, PositionKind
from muster.people.models import Person
from muster.people.rules import text_errors
from muster.worklists.actions import work_item_open
from muster.worklists.bulk import work_items_sync
from muster.worklists.models import WorkSource
from muster.worklists.rules import Kind
from muster.worklists.settle import work_items_settle


@dataclass(frozen=True)
class Appointed:
    appointment: Appointment
    gaps: tuple[str, ...]  # rule codes (cadres.rules) the holder does not meet on the day


@transaction.atomic
def position_appoint(
    *,
    position: Position,
    person: Person,
    valid_from: date,
    rank: str = "",
    acting_user: User | None,
) -> Appointed:
    """Appoint `person` to `position` from `valid_from` (the previous holder ends the day
    before, `orgs.actions.appointment_make`) and report the requirements they do not meet
    (`cadres.rules.qualification_gaps`, DQTV Art. 20(1) and 26 as amended)."""
    unit = position.org_unit
    permissions.require(acting_user, "orgs.appointment.make", unit=unit, day=valid_from)
    appointment = orgs_actions.appointment_make(
        position=position,
        holder_name=person.full_name,
        holder_personal_id=person.personal_id,
        rank=rank,
        valid_from=valid_from,
        acting_user=acting_user,
    )
    work_items_sync(unit_ids=[unit.pk])  # the vacancy closes
    held = positions.held_qualifications([person.personal_id], valid_from)
    gaps = rules.qualification_gaps(unit.kind, position.kind, held.get(person.personal_id, ()))
    return Appointed(appointment=appointment, gaps=tuple(gaps))


@transaction.atomic
def position_dismiss(
    *, appointment: Appointment, valid_to: date, acting_user: User | None
) -> Appointment:
    """End `appointment` on `valid_to`, its holder's last day (`orgs.actions.appointment_end`);
    the position is vacant from the day after."""
    unit = appointment.position.org_unit
    permissions.require(acting_user, "orgs.appointment.end", unit=unit, day=valid_to)
    ended = orgs_actions.appointment_end(
        appointment=appointment, valid_to=valid_to, acting_user=acting_user
    )
    work_items_sync(unit_ids=[unit.pk])  # a vacancy from the day after
    return ended


@transaction.atomic
def commune_designations_set(
    *, org_unit: OrgUnit, designations: set[str], valid_from: date, acting_user: User | None
) -> list[str]:
    """Set a commune command's designations (`orgs.actions.command_designations_set`, audited)
    after checking the permission; they decide its deputy commanders (Decree 72/2020 Art. 4)."""
    permissions.require(acting_user, "orgs.designation.set", unit=org_unit, day=valid_from)
    held = orgs_actions.command_designations_set(
        org_unit=org_unit, designations=designations, valid_from=valid_from, acting_user=acting_user
    )
    work_items_sync(unit_ids=[org_unit.pk])  # a second deputy established, or no longer
    return held


# --- Training ----------------------------------------------------------------------------------


def _text(field: str, value: str, limit: int, errors: list[FieldError], *, required: bool) -> str:
    value = nfc(value)
    if required and not value:
        errors.append(FieldError(field, "REQUIRED"))
    elif len(value) > limit:
        errors.append(FieldError(field, "TOO_LONG", {"limit": limit}))
    else:
        errors += text_errors(field, value)
    return value


@transaction.atomic
def course_create(
    *,
    organiser: OrgUnit,
    code: str,
    name: str,
    kind: str,
    qualification: str,
    validity_months: int | None,
    acting_user: User | None,
) -> Course:
    """A course the `organiser` command runs; passing it earns `qualification`, valid for
    `validity_months` (none: for life, as a degree)."""
    permissions.require(acting_user, "cadres.course.manage", unit=organiser)
    errors: list[FieldError] = []
    code = _text("code", code, 40, errors, required=True)
    name = _text("name", name, 200, errors, required=True)
    if kind not in CourseKind.values:
        errors.append(FieldError("kind", "NOT_ONE_OF", {"choices": CourseKind.values}))
    if qualification not in Qualification.values:
        errors.append(FieldError("qualification", "NOT_ONE_OF", {"choices": Qualification.values}))
    if validity_months is not None and not 1 <= validity_months <= 240:
        errors.append(FieldError("validity_months", "COURSE_VALIDITY_RANGE"))
    if code and Course.objects.filter(code=code).exists():
        errors.append(FieldError("code", "COURSE_CODE_TAKEN", {"code": code}))
    if errors:
        raise InvalidInput(errors)
    course = Course.objects.create(
        organiser=organiser,
        code=code,
        name=name,
        kind=kind,
        qualification=qualification,
        validity_months=validity_months,
    )
    audit.record(
        "cadres.course.created",
        actor=acting_user,
        target=course,
        data={"organiser": organiser.code, "code": code, "kind": kind},
    )
    return course


@transaction.atomic
def session_create(
    *,
    course: Course,
    starts_on: date,
    ends_on: date,
    place: str = "",
    acting_user: User | None,
) -> CourseSession:
    """A run of `course` from `starts_on` to `ends_on`."""
    permissions.require(acting_user, "cadres.course.manage", unit=course.organiser)
    errors: list[FieldError] = []
    place = _text("place", place, 200, errors, required=False)
    if ends_on < starts_on:
        errors.append(FieldError("ends_on", "SESSION_ENDS_BEFORE_START", {"day": starts_on}))
    if errors:
        raise InvalidInput(errors)
    session = CourseSession.objects.create(
        course=course, starts_on=starts_on, ends_on=ends_on, place=place
    )
    audit.record(
        "cadres.session.created",
        actor=acting_user,
        target=session,
        data={
            "course": course.code,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )
    return session


@transaction.atomic
def enrol(
    *, session: CourseSession, person: Person, enrolled_on: date, acting_user: User | None
) -> Enrolment:
    """Enrol `person` in `session` (once)."""
    permissions.require(acting_user, "cadres.training.record", unit=session.course.organiser)
    if Enrolment.objects.filter(session=session, person=person).exists():
        raise InvalidInput.single("personal_id", "ALREADY_ENROLLED", {"name": person.full_name})
    enrolment = Enrolment.objects.create(session=session, person=person, enrolled_on=enrolled_on)
    audit.record(
        "cadres.enrolment.made",
        actor=acting_user,
        target=enrolment,
        data={"session": session.pk, "course": session.course.code, "person": person.personal_id},
    )
    return enrolment


@transaction.atomic
def result_record(
    *,
    enrolment: Enrolment,
    attendance: str,
    result: str,
    score: Decimal | None,
    result_on: date,
    acting_user: User | None,
) -> Certificate | None:
    """Record attendance and the result of an enrolment (once); a pass issues the course's
    certificate from `result_on`, expiring after the course's validity
    (`rules.certificate_expiry`), and closes the person's expiry items it renews. Returns the
    certificate, if one was issued."""
    session = enrolment.session
    course = session.course
    permissions.require(acting_user, "cadres.training.record", unit=course.organiser)
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    errors: list[FieldError] = []
    if locked.result != Result.PENDING:
        errors.append(FieldError("result", "RESULT_RECORDED", {"day": locked.result_on}))
    if attendance not in (Attendance.FULL, Attendance.PARTIAL, Attendance.ABSENT):
        errors.append(FieldError("attendance", "NOT_ONE_OF", {"choices": Attendance.values[1:]}))
    if result not in (Result.PASSED, Result.FAILED):
        errors.append(FieldError("result", "NOT_ONE_OF", {"choices": Result.values[1:]}))
    elif result == Result.PASSED and attendance == Attendance.ABSENT:
        errors.append(FieldError("result", "PASSED_WHILE_ABSENT"))
    if score is not None and not Decimal(0) <= score <= Decimal(100):
        errors.append(FieldError("score", "SCORE_RANGE"))
    if result_on < session.starts_on:
        errors.append(FieldError("result_on", "RESULT_BEFORE_SESSION", {"day": session.starts_on}))
    if errors:
        raise InvalidInput(errors)
    locked.attendance, locked.result, locked.score, locked.result_on = (
        attendance,
        result,
        score,
        result_on,
    )
    locked.save(update_fields=["attendance", "result", "score", "result_on"])
    certificate = None
    if result == Result.PASSED:
        certificate = Certificate.objects.create(
            person_id=locked.person_id,
            qualification=course.qualification,
            issued_on=result_on,
            expires_on=rules.certificate_expiry(result_on, course.validity_months),
            enrolment=locked,
        )
    audit.record(
        "cadres.result.recorded",
        actor=acting_user,
        target=locked,
        data={
            "course": course.code,
            "attendance": attendance,
            "result": result,
            "score": str(score) if score is not None else None,
            "result_on": result_on.isoformat(),
            "certificate": certificate.pk if certificate else None,
        },
    )
    if certificate is not None:
        work_items_settle(person_ids=[locked.person_id])
    return certificate


@transaction.atomic
def certificate_record(
    *,
    person: Person,
    qualification: str,
    issued_on: date,
    expires_on: date | None,
    number: str = "",
    acting_user: User | None,
    unit: OrgUnit | None = None,
) -> Certificate:
    """Record a qualification earned elsewhere (a degree, a reserve officer's commission, a
    course before Muster) for a person the user may see; `unit` is the command recording it."""
    permissions.require(acting_user, "cadres.training.record", unit=unit)
    errors: list[FieldError] = []
    number = _text("number", number, 60, errors, required=False)
    if qualification not in Qualification.values:
        errors.append(FieldError("qualification", "NOT_ONE_OF", {"choices": Qualification.values}))
    if expires_on is not None and expires_on < issued_on:
        errors.append(FieldError("expires_on", "EXPIRES_BEFORE_ISSUE", {"day": issued_on}))
    if errors:
        raise InvalidInput(errors)
    certificate = Certificate.objects.create(
        person=person,
        qualification=qualification,
        issued_on=issued_on,
        expires_on=expires_on,
        number=number,
    )
    audit.record(
        "cadres.certificate.recorded",
        actor=acting_user,
        target=certificate,
        commune_code=person.residence_commune.code if person.residence_commune_id else "",
        data={
            "person": person.personal_id,
            "qualification": qualification,
            "issued_on": issued_on.isoformat(),
            "expires_on": expires_on.isoformat() if expires_on else None,
        },
    )
    work_items_settle(person_ids=[person.pk])
    return certificate


@transaction.atomic
def target_set(
    *,
    org_unit: OrgUnit,
    year: int,
    position_kind: str,
    qualification: str,
    percent: int,
    acting_user: User | None,
) -> TrainingTarget:
    """Set (or change) a unit's training target for a year: the share of the holders of
    `position_kind` in the commands under it that should hold `qualification`."""
    permissions.require(acting_user, "cadres.course.manage", unit=org_unit)
    errors: list[FieldError] = []
    if position_kind not in PositionKind.values:
        errors.append(FieldError("position_kind", "NOT_ONE_OF", {"choices": PositionKind.values}))
    if qualification not in Qualification.values:
        errors.append(FieldError("qualification", "NOT_ONE_OF", {"choices": Qualification.values}))
    if not 0 <= percent <= 100:
        errors.append(FieldError("percent", "PERCENT_RANGE"))
    if not 2025 <= year <= 2100:
        errors.append(FieldError("year", "CADRES_YEAR_RANGE"))
    if errors:
        raise InvalidInput(errors)
    target, created = TrainingTarget.objects.update_or_create(
        org_unit=org_unit,
        year=year,
        position_kind=position_kind,
        qualification=qualification,
        defaults={"percent": percent},
    )
    audit.record(
        "cadres.target.set",
        actor=acting_user,
        target=target,
        data={
            "org_unit": org_unit.code,
            "year": year,
            "position_kind": position_kind,
            "qualification": qualification,
            "percent": percent,
            "created": created,
        },
    )
    return target


def certificate_items_open(
    *, today: date, acting_user: User | None = None, commune_ids: list[int] | None = None
) -> int:
    """Put every certificate due for renewal (`rules.renewal_due`) and not yet renewed by a
    later one of the same qualification on its holder's commune worklist (idempotent: one
    item per certificate); only the residents of `commune_ids` when given. Returns the items
    opened."""
    opened = 0
    due = bulk.certificates_due(today)
    if commune_ids is not None:
        due = due.filter(person__residence_commune_id__in=commune_ids)
    for certificate in due:
        person = certificate.person
        if person.residence_commune_id is None:
            continue
        expires = certificate.expires_on
        result = work_item_open(
            kind=Kind.CERTIFICATE_EXPIRING,
            person=person,
            commune=person.residence_commune,
            key=f"{certificate.qualification}@{expires.isoformat() if expires else ''}",
            due_on=expires,
            detail={
                "qualification": certificate.qualification,
                "expires_on": expires.isoformat() if expires else None,
            },
            source=WorkSource.REFRESH,
            acting_user=acting_user,
        )
        opened += int(result.created)
    return opened


@dataclass(frozen=True)
class CertificateRow:
    person_id: int
    qualification: str
    issued_on: date
    expires_on: date | None = None
    number: str = ""


@transaction.atomic
def certificates_import(
    *, rows: list[CertificateRow], source: str, acting_user: User | None
) -> int:
    """Record many certificates earned elsewhere at once (a command's records taken over, the
    demo): one INSERT per 1,000 rows and one audit event naming the source and the count;
    rows a person already holds (same qualification and issue day) are skipped, so a rerun
    adds nothing. Returns the certificates added."""
    permissions.require(acting_user, "cadres.training.record")
    if any(r.qualification not in Qualification.values for r in rows):
        raise InvalidInput.single("qualification", "NOT_ONE_OF", {"choices": Qualification.values})
    have = set(
        Certificate.objects.filter(person_id__in=sorted({r.person_id for r in rows})).values_list(
            "person_id", "qualification", "issued_on"
        )
    )
    new = [
        Certificate(
            person_id=r.person_id,
            qualification=r.qualification,
            issued_on=r.issued_on,
            expires_on=r.expires_on,
            number=r.number,
        )
        for r in rows
        if (r.person_id, r.qualification, r.issued_on) not in have
    ]
    Certificate.objects.bulk_create(new, batch_size=1000)
    if new:
        audit.record(
            "cadres.certificates.imported",
            actor=acting_user,
            target=("cadres.certificate", "*"),
            data={"source": source, "count": len(new)},
        )
        work_items_settle(person_ids={c.person_id for c in new})
    return len(new)
