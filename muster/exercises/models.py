"""Civil-defence exercises (diễn tập PTDS; Civil Defence Law 2023 Art. 17): a scenario a command
runs on a date with the units, militia members and means taking part, its timeline of injects
and actions, who attended, and the after-action review (findings, follow-ups with an owner and
a due date).

Exercise mode: these tables are the exercise's own. Nothing an exercise does writes a live
record — its actions and assignments are `ExerciseEvent` rows, never civil-defence plans or
militia records. The one deliberate exception happens once, when the exercise is finished: the
members' attendance is recorded as militia training through the training app's actions
(DQTV Art. 28), so the days count towards their year (`docs/architecture.md`, exercises).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from muster.militia.models import MilitiaMembership
from muster.orgs.models import OrgUnit
from muster.people.models import Person


class ExerciseStatus(models.TextChoices):
    PLANNED = "planned", "planned"
    FINISHED = "finished", "finished"


class ParticipantKind(models.TextChoices):
    UNIT = "unit", "unit"
    MEMBER = "member", "member"
    MEANS = "means", "means"


class EventKind(models.TextChoices):
    INJECT = "inject", "inject"
    ACTION = "action", "action"


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "strength"
    SHORTCOMING = "shortcoming", "shortcoming"


class Exercise(models.Model):
    """A scenario run by `unit` (a commune or provincial military command) from `starts_on`
    to `ends_on`; `training_days` are what attending it counts as militia training."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="exercises")
    name = models.CharField(max_length=200)
    scenario = models.TextField(blank=True)
    hazard_key = models.CharField(max_length=64, blank=True)  # the civil-defence hazard played
    starts_on = models.DateField()
    ends_on = models.DateField()
    training_days = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=ExerciseStatus.choices, default=ExerciseStatus.PLANNED
    )
    finished_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="exercise_period"
            ),
            models.CheckConstraint(condition=Q(training_days__gt=0), name="exercise_days"),
            models.CheckConstraint(
                condition=Q(status="planned", finished_on__isnull=True)
                | Q(status="finished", finished_on__isnull=False),
                name="exercise_finished_on",
            ),
        ]
        indexes = [models.Index(fields=["unit", "starts_on"], name="exercise_unit_day")]

    def __str__(self) -> str:
        return f"{self.name} ({self.starts_on})"


class ExerciseParticipant(models.Model):
    """A unit, a member or a means taking part; a member's `attended_days` is set when the
    exercise is finished. A member on a militia roster carries the membership (what finishing
    records as training); one without (a reservist, a volunteer) only attends."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField(max_length=8, choices=ParticipantKind.choices)
    unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="exercises"
    )
    membership = models.ForeignKey(
        MilitiaMembership, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    means = models.CharField(max_length=200, blank=True)  # a means taking part, in words
    attended_days = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="unit", unit__isnull=False, person__isnull=True, means="")
                    | Q(kind="member", person__isnull=False, means="")
                    | Q(kind="means", unit__isnull=True, person__isnull=True) & ~Q(means="")
                ),
                name="exercise_participant_kind",
            ),
            models.UniqueConstraint(
                fields=["exercise", "person"],
                condition=Q(person__isnull=False),
                name="exercise_member_once",
            ),
            models.UniqueConstraint(
                fields=["exercise", "unit"],
                condition=Q(kind="unit"),
                name="exercise_unit_once",
            ),
        ]


class ExerciseEvent(models.Model):
    """One line of the timeline: an inject (what the scenario throws in) or an action (what a
    participant did), at a time. The exercise's own record: no live table is written."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    kind = models.CharField(max_length=8, choices=EventKind.choices)
    text = models.CharField(max_length=500)
    participant = models.ForeignKey(
        ExerciseParticipant, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["exercise", "at"], name="exercise_event_at")]


class ExerciseFinding(models.Model):
    """A finding of the after-action review (tổng kết, rút kinh nghiệm)."""

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=12, choices=FindingKind.choices)
    text = models.CharField(max_length=500)
    recorded_at = models.DateTimeField(default=timezone.now)


class ExerciseFollowUp(models.Model):
    """What a finding asks to be done, by whom (a user) and by when; `done_on` once done."""

    finding = models.ForeignKey(
        ExerciseFinding, on_delete=models.CASCADE, related_name="follow_ups"
    )
    text = models.CharField(max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
