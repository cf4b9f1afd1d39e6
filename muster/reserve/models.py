"""Membership of the reserve force over time, with its category, basis, rank and specialty.

The law is held in constraints where a row alone can show it: a category is 1 or 2 (MSL Art.
24), an NCO's or soldier's period has a category unless the law left the case in neither
(uncategorised, with the reason as its basis), a reserve officer's period has none (the
Officers Law decides his, not Art. 24), a move to category 1 is a category-2 soldier's.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muster.core.validity import Validity, period_check
from muster.people.models import Person
from muster.reserve import rules


class ReserveCategory(models.IntegerChoices):
    ONE = 1, _("Category 1")
    TWO = 2, _("Category 2")


class ReserveKind(models.TextChoices):
    NCO_SOLDIER = rules.SOLDIER, _("NCO or soldier")
    OFFICER = rules.OFFICER, _("Reserve officer")


class LeftReason(models.TextChoices):
    DIED = "died", _("Died")
    AGED_OUT = "aged_out", _("Past the age limit")
    UNFIT = "unfit", _("Unfit for service")
    ACTIVE_SERVICE = "active_service", _("Entered active service")
    OTHER = "other", _("Other")


class ReserveMembership(Validity):
    """valid_from: entry into the reserve; valid_to: the last day in it (recorded removal,
    death, enlistment). Past the age limit a soldier is out on his own (rules.status_on) before
    any removal is recorded."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reserve_periods")
    kind = models.CharField(max_length=12, choices=ReserveKind.choices, default=rules.SOLDIER)
    # The category at entry (NULL: uncategorised, or an officer).
    category = models.PositiveSmallIntegerField(choices=ReserveCategory.choices, null=True)
    # The point of MSL Art. 24 the category rests on ("RES_CAT1_A"), the uncategorised reason
    # ("RUNCAT_…") or rules.OFFICER_BASIS.
    basis_code = models.CharField(max_length=24)
    # CAT2_TO_CAT1: the day a category-2 soldier moved to category 1 (Decree 14/2016 Art. 15).
    category1_on = models.DateField(null=True, blank=True)
    rank = models.CharField(max_length=20, blank=True)  # specialties.RANKS
    specialty = models.CharField(max_length=24, blank=True)  # specialties.SPECIALTIES
    # Found unfit by a health check: out of the reserve from that day (MSL Art. 25, 29).
    unfit_on = models.DateField(null=True, blank=True)
    # RESERVE_REG_AFTER_DISCHARGE: the day the discharged soldier reported (MSL Art. 45).
    reported_on = models.DateField(null=True, blank=True)
    # Removal from the reserve (giải ngạch) as decided by the competent authority.
    removal_decided_on = models.DateField(null=True, blank=True)
    removal_ref = models.CharField(max_length=60, blank=True)
    source = models.CharField(max_length=40)  # "discharge:<service record id>", "manual", "import"
    left_reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "source"], name="reserve_entry_once"),
            models.CheckConstraint(
                condition=Q(category__isnull=True) | Q(category__in=[1, 2]),
                name="reserve_category_1_2",
            ),
            # MSL Art. 24 names a category for soldiers, except the cases it leaves in neither.
            models.CheckConstraint(
                condition=Q(kind=rules.OFFICER, category__isnull=True)
                | Q(kind=rules.SOLDIER, category__isnull=False)
                | Q(kind=rules.SOLDIER, basis_code__startswith="RUNCAT_"),
                name="reserve_category_by_kind",
            ),
            # Decree 14/2016 Art. 15(4): only category 2 moves to category 1.
            models.CheckConstraint(
                condition=Q(category1_on__isnull=True) | Q(category=2),
                name="reserve_category1_from_2",
            ),
            period_check("reserve_period_order"),
        ]
        indexes = [
            models.Index(fields=["person", "valid_from"], name="reserve_person"),
            models.Index(fields=["specialty"], name="reserve_specialty"),
        ]

    def facts(self) -> rules.PeriodFacts:
        person = self.person
        return rules.PeriodFacts(
            kind=self.kind,
            sex=person.sex,
            birth_date=person.birth_date,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            category=self.category,
            category1_on=self.category1_on,
            unfit_on=self.unfit_on,
            died_on=person.died_on,
        )


class ActivityKind(models.TextChoices):
    TRAINING = "training", _("Training call")
    READINESS_CHECK = "readiness_check", _("Readiness check")
    UNIT_ACTIVITY = "unit_activity", _("Unit activity")


class AttendanceStatus(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent without excuse")


class ReserveActivity(models.Model):
    """A training call, readiness check or unit activity the commune calls its reservists to
    (MSL Art. 27; LLDBĐV Art. 22–23); `starts_on`…`ends_on` inclusive."""

    commune = models.ForeignKey(
        "geo.AdminUnit", on_delete=models.PROTECT, related_name="reserve_activities"
    )
    kind = models.CharField(max_length=16, choices=ActivityKind.choices)
    title = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="reserve_activity_order"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ActivityKind.values), name="reserve_activity_kind"
            ),
        ]
        indexes = [models.Index(fields=["commune", "starts_on"], name="reserve_activity_commune")]

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


class ReserveAttendance(models.Model):
    """Whether a called reservist attended; an excuse carries its code (LLDBĐV Art. 22:
    `RDEF_EXAM_CONFLICT`, `RDEF_ILLNESS_OR_HARDSHIP`)."""

    activity = models.ForeignKey(
        ReserveActivity, on_delete=models.CASCADE, related_name="attendance"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reserve_attendance")
    status = models.CharField(max_length=10, choices=AttendanceStatus.choices)
    excuse_code = models.CharField(max_length=32, blank=True)
    days = models.PositiveSmallIntegerField(default=0)  # days attended, for the 12-month total
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="reserve_attendance_once"),
            # An excuse is given for an excused absence, and only then (LLDBĐV Art. 22).
            models.CheckConstraint(
                condition=Q(status=AttendanceStatus.EXCUSED, excuse_code__in=tuple(rules.EXCUSES))
                | (~Q(status=AttendanceStatus.EXCUSED) & Q(excuse_code="")),
                name="reserve_attendance_excuse",
            ),
        ]
        indexes = [models.Index(fields=["person", "status"], name="reserve_attendance_person")]


# Reserve units, assignments and technical means live in their own module (models_units.py);
# imported here so Django registers their tables with the app.
from muster.reserve.models_units import (  # noqa: E402, F401
    AssignmentProposal,
    MeansAssignment,
    MeansNeed,
    ProposalPin,
    ProposalRow,
    ReserveAssignment,
    ReservePost,
    ReserveUnit,
    TechnicalMeans,
)
