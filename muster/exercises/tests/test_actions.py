"""Exercise actions: audited in their transaction, refused outside the jurisdiction, closed once
finished; finishing records the attendance as militia training (DQTV Art. 28) and touches no
other live record."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput, PermissionDenied
from muster.exercises import actions
from muster.exercises.models import Exercise, ExerciseStatus
from muster.militia import actions as militia_actions
from muster.militia.models import MilitiaMembership
from muster.people.tests.factories import make_person
from muster.training.models import Attendance, TrainingSession

JOINED = date(2025, 8, 15)
DAY = date(2026, 9, 10)


def _member(world: World, index: int = 0) -> MilitiaMembership:
    person = make_person(world.communes[index], birth_date=date(2000, 5, 17))
    return militia_actions.militia_join(
        person=person,
        unit=world.commune_commands[index],
        joined_on=JOINED,
        force_kind="mobile",
        acting_user=None,
    )


def _exercise(world: World, **kw: object) -> Exercise:
    args: dict[str, object] = {
        "unit": world.provincial,
        "name": "Diễn tập ứng phó lũ",
        "hazard_key": "yagi-2024",
        "starts_on": DAY,
        "ends_on": date(2026, 9, 11),
        "training_days": 2,
        "acting_user": None,
        **kw,
    }
    return actions.exercise_create(**args)  # type: ignore[arg-type]


def test_an_exercise_run_and_reviewed_is_audited_and_counts_as_training(world: World) -> None:
    first, second = _member(world, 0), _member(world, 2)
    absent = _member(world, 0)
    exercise = _exercise(world)
    for m in (first, second, absent):
        actions.exercise_participant_add(exercise=exercise, membership=m, acting_user=None)
    actions.exercise_participant_add(
        exercise=exercise, unit=world.commune_commands[0], acting_user=None
    )
    actions.exercise_participant_add(exercise=exercise, means="Xuồng cao su (2)", acting_user=None)
    actions.exercise_event_record(
        exercise=exercise,
        at=timezone.make_aware(datetime(2026, 9, 10, 7, 30)),
        kind="inject",
        text="Nước sông Hồng lên báo động 3",
        acting_user=None,
    )
    counts = actions.exercise_finish(
        exercise=exercise,
        attended={first.person_id: 2, second.person_id: 1, absent.person_id: 0},
        finished_on=date(2026, 9, 11),
        acting_user=None,
    )
    assert counts == {"members": 3, "sessions": 2}
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.FINISHED
    # One training session per command keeping an attending member; the absent one is left out.
    sessions = TrainingSession.objects.filter(title__startswith="Diễn tập:")
    assert {s.unit_id for s in sessions} == {
        world.commune_commands[0].pk,
        world.commune_commands[2].pk,
    }
    assert dict(Attendance.objects.values_list("person_id", "days")) == {
        first.person_id: 2,
        second.person_id: 1,
    }
    actions.exercise_finding_record(
        exercise=exercise,
        kind="shortcoming",
        text="Thông tin liên lạc bị gián đoạn 40 phút",
        acting_user=None,
    )
    actions_done = list(
        AuditEvent.objects.filter(action__startswith="exercises.").values_list("action", flat=True)
    )
    assert actions_done.count("exercises.participant.added") == 5
    assert {
        "exercises.exercise.created",
        "exercises.event.recorded",
        "exercises.exercise.finished",
        "exercises.finding.recorded",
    } <= set(actions_done)
    # Closed once finished.
    with pytest.raises(InvalidInput) as exc:
        actions.exercise_participant_add(exercise=exercise, means="Máy phát", acting_user=None)
    assert exc.value.errors[0].code == "EXERCISE_FINISHED"


def test_finish_refuses_attendance_above_the_training_days_and_writes_nothing(world: World) -> None:
    member = _member(world)
    exercise = _exercise(world)
    actions.exercise_participant_add(exercise=exercise, membership=member, acting_user=None)
    with pytest.raises(InvalidInput) as exc:
        actions.exercise_finish(
            exercise=exercise,
            attended={member.person_id: 3},
            finished_on=date(2026, 9, 11),
            acting_user=None,
        )
    assert exc.value.errors[0].code == "EXERCISE_ATTENDANCE_RANGE"
    assert not TrainingSession.objects.exists()
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.PLANNED


def test_follow_up_needs_an_owner_in_the_jurisdiction(world: World) -> None:
    exercise = _exercise(world, unit=world.commune_commands[0], training_days=1)
    actions.exercise_finish(
        exercise=exercise, attended={}, finished_on=date(2026, 9, 11), acting_user=None
    )
    outsider = world.user("c3", Role.COMMUNE_STAFF, world.commune_commands[2])
    insider = world.user("c1", Role.COMMUNE_STAFF, world.commune_commands[0])
    with pytest.raises(InvalidInput) as exc:
        actions.exercise_finding_record(
            exercise=exercise,
            kind="shortcoming",
            text="Thiếu áo phao",
            follow_up="Mua 50 áo phao",
            owner=outsider,
            due_on=date(2026, 12, 31),
            acting_user=None,
        )
    assert exc.value.errors[0].code == "EXERCISE_OWNER_OUTSIDE"
    finding = actions.exercise_finding_record(
        exercise=exercise,
        kind="shortcoming",
        text="Thiếu áo phao",
        follow_up="Mua 50 áo phao",
        owner=insider,
        due_on=date(2026, 12, 31),
        acting_user=insider,
    )
    [up] = finding.follow_ups.all()
    actions.exercise_follow_up_done(follow_up=up, done_on=date(2026, 12, 1), acting_user=insider)
    up.refresh_from_db()
    assert up.done_on == date(2026, 12, 1)


def test_a_commune_officer_cannot_run_the_provinces_exercise(world: World) -> None:
    officer = world.user("c1", Role.COMMUNE_STAFF, world.commune_commands[0])
    with pytest.raises(PermissionDenied):
        _exercise(world, acting_user=officer)
    auditor = world.user("a1", Role.AUDITOR, world.provincial)
    with pytest.raises(PermissionDenied):
        _exercise(world, acting_user=auditor)
    assert not Exercise.objects.exists()
