"""The exercise pages' tables for `core.exports`, every title marked as an exercise's (the
watermark of its pages, in the file): the exercises and one exercise's participants with their
attendance."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from muster.core.exports import Column, Table
from muster.core.labels import label
from muster.exercises.models import Exercise, ExerciseParticipant

MARK = "DIỄN TẬP / EXERCISE"


def exercises_table(exercises: Sequence[Exercise]) -> Table:
    return Table(
        title=f"{MARK} – {_('Civil-defence exercises')}",
        columns=[
            Column(_("Exercise")),
            Column(_("Command")),
            Column(_("Code")),
            Column(_("Hazard")),
            Column(_("Starts on"), "date"),
            Column(_("Ends on"), "date"),
            Column(_("Training days"), "int"),
            Column(_("Status")),
        ],
        rows=[
            (
                e.name,
                e.unit.name,
                e.unit.code,
                e.hazard_key,
                e.starts_on,
                e.ends_on,
                e.training_days,
                label("exercise_status", e.status),
            )
            for e in exercises
        ],
        filename="exercises",
    )


def participants_table(exercise: Exercise, rows: Sequence[ExerciseParticipant]) -> Table:
    return Table(
        title=f"{MARK} – {exercise.name}",
        columns=[
            Column(_("Kind")),
            Column(_("Participant")),
            Column(_("Personal ID number")),
            Column(_("Command")),
            Column(_("Days attended"), "int"),
        ],
        rows=[
            (
                label("exercise_participant", p.kind),
                p.unit.name if p.unit else p.person.full_name if p.person else p.means,
                p.person.personal_id if p.person else "",
                p.membership.unit.name if p.membership else "",
                p.attended_days,
            )
            for p in rows
        ],
        filename=f"exercise-{exercise.pk}",
    )
