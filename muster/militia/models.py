"""The militia (dân quân) roster: who serves, in which force, kept by which commune command.

A membership row is one period during which one commune military command keeps a member on
its roster (`valid_from`/`valid_to`, inclusive, like `people.ResidencePeriod`). The term
(`joined_on`, `term_ends_on`) belongs to the person's service and carries over when a
restructuring hands the roster to the successor command: the old row closes the day before
with reason `transferred` and a new row opens on the day, so a count "as of" any date holds.
"""

from __future__ import annotations

from datetime import date
from typing import Self

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muster.core.validity import Validity, period_check, valid_on
from muster.orgs.models import OrgUnit
from muster.people.models import Person


class ForceKind(models.TextChoices):
    """Components of the militia (DQTV Art. 6)."""

    IN_PLACE = "in_place", _("In-place militia")  # tại chỗ
    MOBILE = "mobile", _("Mobile militia")  # cơ động
    STANDING = "standing", _("Standing militia")  # thường trực
    NAVAL = "naval", _("Naval militia")  # biển
    SPECIALISED = "specialised", _("Specialised militia")  # phòng không, pháo binh…


class Specialty(models.TextChoices):
    """The specialised forces of DQTV Art. 6 (force kind `specialised` only)."""

    AIR_DEFENCE = "air_defence", _("Air defence")
    ARTILLERY = "artillery", _("Artillery")
    RECONNAISSANCE = "reconnaissance", _("Reconnaissance")
    SIGNALS = "signals", _("Signals")
    ENGINEERS = "engineers", _("Engineers")
    CHEMICAL_DEFENCE = "chemical_defence", _("Chemical defence")
    MEDICAL = "medical", _("Medical")


class LeftReason(models.TextChoices):
    COMPLETED = "completed", _("Militia duty completed")
    DEFERRED = "deferred", _("Deferred")
    EXEMPTED = "exempted", _("Exempted")
    MOVED = "moved", _("Moved away")
    DIED = "died", _("Died")
    OTHER = "other", _("Other")
    # Not a leave: the roster went to the successor command; the membership continues there.
    TRANSFERRED = "transferred", _("Roster transferred to another command")


class MembershipQuerySet(models.QuerySet["MilitiaMembership"]):
    def as_of(self, day: date) -> Self:
        return self.filter(valid_on(day))


class MilitiaMembership(Validity):
    """valid_from: the day this command started keeping the member (the join day, or the day a
    restructuring handed the roster over); valid_to: the last day it did."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="militia_periods")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="militia_members")
    force_kind = models.CharField(max_length=12, choices=ForceKind.choices)
    specialty = models.CharField(max_length=20, choices=Specialty.choices, blank=True)
    volunteer = models.BooleanField(default=False)  # serves beyond the duty age or despite a ground
    joined_on = models.DateField()  # the term's first day; unchanged by a transfer
    term_years = models.PositiveSmallIntegerField()
    term_ends_on = models.DateField()  # the term's last day (extensions move it)
    left_reason = models.CharField(max_length=12, choices=LeftReason.choices, blank=True)
    ground_code = models.CharField(max_length=40, blank=True)  # §0.9 code when deferred/exempted
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(valid_to__isnull=True), name="militia_one_open"
            ),
            period_check("militia_period"),
            # DQTV Art. 8(2): 2 years for standing militia, 4 for every other force.
            models.CheckConstraint(
                condition=Q(force_kind="standing", term_years=2)
                | (~Q(force_kind="standing") & Q(term_years=4)),
                name="militia_term_years",
            ),
            models.CheckConstraint(
                condition=(Q(force_kind="specialised") & ~Q(specialty=""))
                | (~Q(force_kind="specialised") & Q(specialty="")),
                name="militia_specialty_iff_specialised",
            ),
            # An open row has no reason; a closed one always says why it closed.
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True, left_reason="")
                | (Q(valid_to__isnull=False) & ~Q(left_reason="")),
                name="militia_left_reason_iff_closed",
            ),
        ]
        indexes = [models.Index(fields=["unit", "valid_to"], name="militia_unit_open")]

    @property
    def left_on(self) -> date | None:
        """The last day in the militia; None while serving or when only the roster moved."""
        return None if self.left_reason == LeftReason.TRANSFERRED else self.valid_to


class TargetQuerySet(models.QuerySet["MilitiaTarget"]):
    def as_of(self, day: date) -> Self:
        return self.filter(valid_on(day))


class MilitiaTarget(Validity):
    """The size a commune command's militia should have, from `valid_from` (set by the
    province's plan for the force; DQTV Art. 15 leaves unit sizes to the Minister)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="militia_targets")
    size = models.PositiveIntegerField()
    basis = models.CharField(max_length=200, blank=True)  # the decision it rests on
    created_at = models.DateTimeField(default=timezone.now)

    objects = TargetQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit"], condition=Q(valid_to__isnull=True), name="militia_target_one_open"
            ),
            period_check("militia_target_period"),
            models.CheckConstraint(condition=Q(size__gt=0), name="militia_target_positive"),
        ]
