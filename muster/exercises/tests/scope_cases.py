"""Route scope cases of the exercise pages: each commune command ran a finished exercise with
its scope-test person taking part and a reviewed finding with a follow-up; the user (commune
99001's command) must not see or write the other command's exercise."""

from __future__ import annotations

from datetime import date

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.exercises.models import (
    Exercise,
    ExerciseFinding,
    ExerciseFollowUp,
    ExerciseParticipant,
)
from muster.people.models import Person
from tests.scope_support import IN_ID, OUT_ID, Case, Write

HELD = date(2026, 3, 20)


def prepare(world: World) -> None:
    for pid, index in ((IN_ID, 0), (OUT_ID, 2)):
        command = world.commune_commands[index]
        person = Person.objects.get(personal_id=pid)
        exercise = Exercise.objects.create(
            unit=command,
            name=f"Diễn tập {command.code}",
            starts_on=HELD,
            ends_on=HELD,
            training_days=1,
            status="finished",
            finished_on=HELD,
        )
        ExerciseParticipant.objects.create(
            exercise=exercise,
            kind="member",
            person=person,
            attended_days=1,
        )
        owner = world.user(f"exercise-owner-{index}", Role.COMMUNE_STAFF, command)
        finding = ExerciseFinding.objects.create(exercise=exercise, kind="shortcoming", text="Chậm")
        ExerciseFollowUp.objects.create(
            finding=finding, text="Tập lại", owner=owner, due_on=date(2026, 6, 30)
        )


def _exercise(world: World, index: int) -> int:
    return Exercise.objects.get(unit=world.commune_commands[index]).pk


def _follow_up(world: World, index: int) -> int:
    return ExerciseFollowUp.objects.get(finding__exercise__unit=world.commune_commands[index]).pk


def _new(world: World, index: int) -> dict[str, str]:
    return {
        "unit": world.commune_commands[index].code,
        "name": "Diễn tập mới",
        "starts_on": "2026-10-01",
        "ends_on": "2026-10-01",
        "training_days": "1",
    }


CASES: dict[str, Case] = {
    "exercises:index": Case(lambda w: "/exercises/"),
    "exercises:detail": Case(
        lambda w: f"/exercises/{_exercise(w, 0)}/", lambda w: f"/exercises/{_exercise(w, 2)}/"
    ),
    "exercises:new": Case(
        lambda w: "/exercises/new/", method="post", data=lambda w: _new(w, 0), in_status=302
    ),
    "exercises:participant": Case(
        lambda w: f"/exercises/{_exercise(w, 0)}/participants/",
        lambda w: f"/exercises/{_exercise(w, 2)}/participants/",
        method="post",
        data=lambda w: {"means": "Xuồng"},
        in_status=302,
    ),
    "exercises:event": Case(
        lambda w: f"/exercises/{_exercise(w, 0)}/timeline/",
        lambda w: f"/exercises/{_exercise(w, 2)}/timeline/",
        method="post",
        data=lambda w: {"kind": "action", "day": "2026-03-20", "time": "08:00", "text": "Sơ tán"},
        in_status=302,
    ),
    "exercises:finish": Case(
        lambda w: f"/exercises/{_exercise(w, 0)}/finish/",
        lambda w: f"/exercises/{_exercise(w, 2)}/finish/",
        method="post",
        data=lambda w: {"finished_on": "2026-03-20"},
        in_status=302,
    ),
    "exercises:finding": Case(
        lambda w: f"/exercises/{_exercise(w, 0)}/review/",
        lambda w: f"/exercises/{_exercise(w, 2)}/review/",
        method="post",
        data=lambda w: {"kind": "strength", "text": "Nhanh"},
        in_status=302,
    ),
    "exercises:follow_up_done": Case(
        lambda w: f"/exercises/follow-ups/{_follow_up(w, 0)}/done/",
        lambda w: f"/exercises/follow-ups/{_follow_up(w, 2)}/done/",
        method="post",
        data=lambda w: {},
        in_status=302,
    ),
}

WRITES: dict[str, Write] = {
    "exercises:new": Write(lambda w: "/exercises/new/", lambda w: _new(w, 2)),
    "exercises:participant": Write(
        lambda w: f"/exercises/{_exercise(w, 2)}/participants/", lambda w: {"means": "Xuồng"}
    ),
    "exercises:event": Write(
        lambda w: f"/exercises/{_exercise(w, 2)}/timeline/",
        lambda w: {"kind": "action", "day": "2026-03-20", "time": "08:00", "text": "Sơ tán"},
    ),
    "exercises:finish": Write(
        lambda w: f"/exercises/{_exercise(w, 2)}/finish/", lambda w: {"finished_on": "2026-03-20"}
    ),
    "exercises:finding": Write(
        lambda w: f"/exercises/{_exercise(w, 2)}/review/",
        lambda w: {"kind": "strength", "text": "Nhanh"},
    ),
    "exercises:follow_up_done": Write(
        lambda w: f"/exercises/follow-ups/{_follow_up(w, 2)}/done/", lambda w: {}
    ),
}
