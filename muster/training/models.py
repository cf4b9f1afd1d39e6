"""Training of the militia and self-defence force (DQTV Art. 28): sessions a command holds and
who attended them, for how many days.

A session belongs to the command that trains (a commune military command, or an agency's or
enterprise's military command); it is for one force of the command (`force_kind`) or all of
them (blank). Attendance is one row per member and session: the days the member attended (0
for an absence), so the year's total per member is a sum.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from muster.militia.models import MilitiaMembership
from muster.orgs.models import OrgUnit
from muster.people.models import Person


class TrainingSession(models.Model):
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="training_sessions")
    force_kind = models.CharField(max_length=12, blank=True)  # "" = every force of the unit
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    days = models.PositiveSmallIntegerField()  # training days it counts (Art. 28(1))
    place = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="training_session_period"
            ),
            models.CheckConstraint(condition=Q(days__gt=0), name="training_session_days"),
        ]
        indexes = [models.Index(fields=["unit", "starts_on"], name="training_unit_day")]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_on})"


class Attendance(models.Model):
    """A member's attendance at a session: `days` attended (0: absent, with the reason)."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="training_days")
    membership = models.ForeignKey(
        MilitiaMembership, on_delete=models.PROTECT, related_name="training_days"
    )
    days = models.PositiveSmallIntegerField()
    absence_reason = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="training_attendance_once")
        ]
        indexes = [models.Index(fields=["person"], name="training_attendance_person")]
