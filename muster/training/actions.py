"""Writes to training records: a session planned or held, and attendance recorded for its
members. Each is atomic, checked by `accounts.permissions` on the session's command, and
records its audit event in the same transaction; afterwards the members' worklist items
(short of training days) are brought in line (`worklists.bulk.work_items_sync`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.core.errors import FieldError, InvalidInput
from muster.core.text import nfc
from muster.militia.models import MilitiaMembership
from muster.orgs.models import OrgUnit
from muster.people.models import Person
from muster.training import rules
from muster.training.models import Attendance, TrainingSession
from muster.training.queries import TRAINING_UNIT_KINDS, session_members
from muster.worklists.bulk import work_items_sync


@transaction.atomic
def training_session_create(
    *,
    unit: OrgUnit,
    title: str,
    starts_on: date,
    ends_on: date,
    days: int,
    force_kind: str = "",
    place: str = "",
    acting_user: User | None,
) -> TrainingSession:
    """Plan (or record a held) training session of `unit` for one force or all of them
    (DQTV Art. 28). The days it counts lie within its dates (`rules.session_problems`)."""
    permissions.require(acting_user, "training.session.manage", unit=unit)
    title, place = nfc(title).strip(), nfc(place).strip()
    problems = rules.session_problems(
        title=title, starts_on=starts_on, ends_on=ends_on, days=days, force_kind=force_kind
    )
    if unit.kind not in TRAINING_UNIT_KINDS or not unit.is_valid_on(starts_on):
        problems.append(FieldError("unit", "TRAINING_NOT_A_COMMAND", {"code": unit.code}))
    if len(place) > rules.TITLE_MAX:
        problems.append(FieldError("place", "TOO_LONG", {"limit": rules.TITLE_MAX}))
    if problems:
        raise InvalidInput(problems)
    session = TrainingSession.objects.create(
        unit=unit,
        force_kind=force_kind,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        days=days,
        place=place,
        created_by=acting_user,
    )
    audit.record(
        "training.session.created",
        actor=acting_user,
        target=session,
        data={
            "unit": unit.code,
            "force_kind": force_kind,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "days": days,
        },
    )
    members = list(session_members(session).values_list("person_id", flat=True))
    work_items_sync(person_ids=members)  # planned days count against a shortfall
    return session


@dataclass(frozen=True)
class AttendanceInput:
    person: Person
    days: int
    absence_reason: str = ""


@transaction.atomic
def training_attendance_record(
    *, session: TrainingSession, entries: Sequence[AttendanceInput], acting_user: User | None
) -> list[Attendance]:
    """Record who attended `session` and for how many days (0: absent, with the reason); a
    member recorded again is corrected. Every entry is checked before anything is written:
    the member is on the command's roster on the session's first day and of its force."""
    permissions.require(acting_user, "training.attendance.record", unit=session.unit)
    members = {
        m.person_id: m
        for m in session_members(session).filter(
            person_id__in_array=sorted({e.person.pk for e in entries})
        )
    }
    on_roster = set(
        MilitiaMembership.objects.as_of(session.starts_on)
        .filter(unit_id=session.unit_id, person_id__in_array=sorted({e.person.pk for e in entries}))
        .values_list("person_id", flat=True)
    )
    problems: list[FieldError] = []
    for index, entry in enumerate(entries):
        reason = nfc(entry.absence_reason).strip()
        for problem in rules.attendance_problems(
            days=entry.days,
            session_days=session.days,
            absence_reason=reason,
            on_roster=entry.person.pk in on_roster,
            force_matches=entry.person.pk in members,
        ):
            problems.append(
                FieldError(f"entries.{index}.{problem.field}", problem.code, problem.params)
            )
    if problems:
        raise InvalidInput(problems)
    saved: list[Attendance] = []
    for entry in entries:
        reason = nfc(entry.absence_reason).strip() if entry.days == 0 else ""
        row, _created = Attendance.objects.update_or_create(
            session=session,
            person=entry.person,
            defaults={
                "membership": members[entry.person.pk],
                "days": entry.days,
                "absence_reason": reason,
            },
        )
        saved.append(row)
    audit.record(
        "training.attendance.recorded",
        actor=acting_user,
        target=session,
        data={
            "unit": session.unit.code,
            "entries": {e.person.personal_id: e.days for e in entries},
        },
    )
    work_items_sync(person_ids=[e.person.pk for e in entries])
    return saved
