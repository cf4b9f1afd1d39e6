"""Writes to exercises: plan one, add participants, record the timeline, finish it (attendance,
and the militia's training days through the training app's actions), and the after-action
review. Each is atomic, checked by `accounts.permissions` on the exercise's command, and records
its audit event in the same transaction. Nothing here writes a live civil-defence, militia or
plan record: the exercise's actions and assignments are its own `ExerciseEvent` rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from django.db import transaction

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.core.errors import FieldError, InvalidInput
from muster.core.text import nfc
from muster.exercises import rules
from muster.exercises.models import (
    EventKind,
    Exercise,
    ExerciseEvent,
    ExerciseFinding,
    ExerciseFollowUp,
    ExerciseParticipant,
    ExerciseStatus,
    FindingKind,
    ParticipantKind,
)
from muster.militia.models import MilitiaMembership
from muster.orgs.models import OrgUnit
from muster.training.actions import (
    AttendanceInput,
    training_attendance_record,
    training_session_create,
)


def _check(problems: list[FieldError]) -> None:
    if problems:
        raise InvalidInput(problems)


@transaction.atomic
def exercise_create(
    *,
    unit: OrgUnit,
    name: str,
    starts_on: date,
    ends_on: date,
    training_days: int,
    scenario: str = "",
    hazard_key: str = "",
    acting_user: User | None,
) -> Exercise:
    """Plan an exercise of `unit` playing a scenario (a civil-defence hazard by its key)."""
    permissions.require(acting_user, "exercises.exercise.manage", unit=unit)
    name, scenario, hazard_key = nfc(name).strip(), nfc(scenario).strip(), hazard_key.strip()
    problems = rules.exercise_problems(
        name=name, starts_on=starts_on, ends_on=ends_on, training_days=training_days
    )
    if len(hazard_key) > 64:
        problems.append(FieldError("hazard_key", "TOO_LONG", {"limit": 64}))
    _check(problems)
    exercise = Exercise.objects.create(
        unit=unit,
        name=name,
        scenario=scenario,
        hazard_key=hazard_key,
        starts_on=starts_on,
        ends_on=ends_on,
        training_days=training_days,
        created_by=acting_user,
    )
    audit.record(
        "exercises.exercise.created",
        actor=acting_user,
        target=exercise,
        data={
            "unit": unit.code,
            "hazard": hazard_key,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
            "training_days": training_days,
        },
    )
    return exercise


@transaction.atomic
def exercise_participant_add(
    *,
    exercise: Exercise,
    unit: OrgUnit | None = None,
    membership: MilitiaMembership | None = None,
    means: str = "",
    acting_user: User | None,
) -> ExerciseParticipant:
    """Add one participant: a unit, a militia member (their membership on the first day) or a
    means in words. A member or unit already taking part is refused."""
    permissions.require(acting_user, "exercises.exercise.manage", unit=exercise.unit)
    _check(rules.open_problems(finished=exercise.status == ExerciseStatus.FINISHED))
    means = nfc(means).strip()
    if membership is not None:
        if exercise.participants.filter(person_id=membership.person_id).exists():
            raise InvalidInput([FieldError("personal_id", "EXERCISE_ALREADY_TAKING_PART")])
        row = ExerciseParticipant.objects.create(
            exercise=exercise,
            kind=ParticipantKind.MEMBER,
            person_id=membership.person_id,
            membership=membership,
        )
        data = {"member": membership.person.personal_id, "unit": membership.unit.code}
    elif unit is not None:
        if exercise.participants.filter(kind=ParticipantKind.UNIT, unit=unit).exists():
            raise InvalidInput([FieldError("unit", "EXERCISE_ALREADY_TAKING_PART")])
        row = ExerciseParticipant.objects.create(
            exercise=exercise, kind=ParticipantKind.UNIT, unit=unit
        )
        data = {"unit": unit.code}
    else:
        _check(rules.text_problems(means, "means"))
        row = ExerciseParticipant.objects.create(
            exercise=exercise, kind=ParticipantKind.MEANS, means=means
        )
        data = {"means": means}
    audit.record("exercises.participant.added", actor=acting_user, target=exercise, data=data)
    return row


@transaction.atomic
def exercise_event_record(
    *,
    exercise: Exercise,
    at: datetime,
    kind: str,
    text: str,
    participant: ExerciseParticipant | None = None,
    acting_user: User | None,
) -> ExerciseEvent:
    """Add an inject or an action to the timeline (the exercise's own table, never a live
    record)."""
    permissions.require(acting_user, "exercises.exercise.manage", unit=exercise.unit)
    text = nfc(text).strip()
    problems = rules.open_problems(finished=exercise.status == ExerciseStatus.FINISHED)
    problems += rules.text_problems(text)
    if kind not in EventKind.values:
        problems.append(FieldError("kind", "EXERCISE_EVENT_KIND"))
    if participant is not None and participant.exercise_id != exercise.pk:
        problems.append(FieldError("participant", "EXERCISE_NOT_A_PARTICIPANT"))
    _check(problems)
    event = ExerciseEvent.objects.create(
        exercise=exercise,
        at=at,
        kind=kind,
        text=text,
        participant=participant,
        recorded_by=acting_user,
    )
    audit.record(
        "exercises.event.recorded",
        actor=acting_user,
        target=exercise,
        data={
            "kind": kind,
            "at": at.isoformat(),
            "participant": participant.pk if participant else None,
        },
    )
    return event


@transaction.atomic
def exercise_finish(
    *, exercise: Exercise, attended: Mapping[int, int], finished_on: date, acting_user: User | None
) -> dict[str, int]:
    """Finish the exercise: each member's attended days (person id → days; unlisted: 0), then
    those who attended recorded as militia training of the command keeping them — a training
    session per command, through the training app's actions, so the days count towards the
    member's year (DQTV Art. 28). Returns counts: members, sessions."""
    permissions.require(acting_user, "exercises.exercise.manage", unit=exercise.unit)
    _check(rules.open_problems(finished=exercise.status == ExerciseStatus.FINISHED))
    members = list(
        exercise.participants.filter(kind=ParticipantKind.MEMBER).select_related(
            "person", "membership"
        )
    )
    problems: list[FieldError] = []
    if finished_on < exercise.ends_on:
        problems.append(
            FieldError("finished_on", "EXERCISE_FINISHED_EARLY", {"day": exercise.ends_on})
        )
    for member in members:
        for problem in rules.attendance_problems(
            days=attended.get(member.person_id or 0, 0), training_days=exercise.training_days
        ):
            problems.append(FieldError(f"days-{member.person_id}", problem.code, problem.params))
    _check(problems)
    for member in members:
        member.attended_days = attended.get(member.person_id or 0, 0)
    ExerciseParticipant.objects.bulk_update(members, ["attended_days"])
    exercise.status = ExerciseStatus.FINISHED
    exercise.finished_on = finished_on
    exercise.save(update_fields=["status", "finished_on"])
    by_person = {m.person_id: m for m in members if m.person_id is not None}
    commands = rules.training_commands(
        {pid: m.membership.unit_id for pid, m in by_person.items() if m.membership},
        {pid: m.attended_days or 0 for pid, m in by_person.items()},
    )
    units = OrgUnit.objects.in_bulk(list(commands))
    for unit_id, person_ids in commands.items():
        session = training_session_create(
            unit=units[unit_id],
            title=f"Diễn tập: {exercise.name}"[: rules.NAME_MAX],
            starts_on=exercise.starts_on,
            ends_on=exercise.ends_on,
            days=exercise.training_days,
            acting_user=acting_user,
        )
        training_attendance_record(
            session=session,
            entries=[
                AttendanceInput(person=person, days=by_person[p].attended_days or 0)
                for p in person_ids
                if (person := by_person[p].person) is not None
            ],
            acting_user=acting_user,
        )
    audit.record(
        "exercises.exercise.finished",
        actor=acting_user,
        target=exercise,
        data={
            "finished_on": finished_on.isoformat(),
            "attended": sum(1 for m in members if m.attended_days),
            "training_sessions": len(commands),
        },
    )
    return {"members": len(members), "sessions": len(commands)}


@transaction.atomic
def exercise_finding_record(
    *,
    exercise: Exercise,
    kind: str,
    text: str,
    follow_up: str = "",
    owner: User | None = None,
    due_on: date | None = None,
    acting_user: User | None,
) -> ExerciseFinding:
    """Record a finding of the after-action review, with a follow-up (owner, due date) when one
    is given."""
    permissions.require(acting_user, "exercises.review.record", unit=exercise.unit)
    text, follow_up = nfc(text).strip(), nfc(follow_up).strip()
    problems = rules.review_problems(finished=exercise.status == ExerciseStatus.FINISHED)
    problems += rules.text_problems(text)
    if kind not in FindingKind.values:
        problems.append(FieldError("kind", "EXERCISE_FINDING_KIND"))
    if follow_up and (owner is None or due_on is None):
        problems.append(FieldError("owner" if owner is None else "due_on", "REQUIRED"))
    elif follow_up and due_on is not None and exercise.finished_on is not None:
        problems += rules.follow_up_problems(
            text=follow_up, due_on=due_on, finished_on=exercise.finished_on
        )
    if owner is not None and not permissions.covers(owner, unit=exercise.unit):
        problems.append(FieldError("owner", "EXERCISE_OWNER_OUTSIDE"))
    _check(problems)
    finding = ExerciseFinding.objects.create(exercise=exercise, kind=kind, text=text)
    data: dict[str, object] = {"kind": kind}
    if follow_up and owner is not None and due_on is not None:
        ExerciseFollowUp.objects.create(finding=finding, text=follow_up, owner=owner, due_on=due_on)
        data |= {"owner": owner.username, "due_on": due_on.isoformat()}
    audit.record("exercises.finding.recorded", actor=acting_user, target=finding, data=data)
    return finding


@transaction.atomic
def exercise_follow_up_done(
    *, follow_up: ExerciseFollowUp, done_on: date, acting_user: User | None
) -> ExerciseFollowUp:
    """Mark a follow-up done on `done_on` (again: the day is corrected)."""
    permissions.require(
        acting_user, "exercises.review.record", unit=follow_up.finding.exercise.unit
    )
    follow_up.done_on = done_on
    follow_up.save(update_fields=["done_on"])
    audit.record(
        "exercises.follow_up.done",
        actor=acting_user,
        target=follow_up,
        data={"done_on": done_on.isoformat()},
    )
    return follow_up
