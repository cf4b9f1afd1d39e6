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
from muster.geo.models import AdminUnit
from muster.orgs.models import OrgUnit, Position
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
    RELEASED = "released", _("Released early")  # DQTV Art. 12(1), an MREL_* code
    REMOVED = "removed", _("Removed from the militia list")  # Art. 12(2), an MREM_* code
    DEFERRED = "deferred", _("Deferred")
    EXEMPTED = "exempted", _("Exempted")
    MOVED = "moved", _("Moved away")
    DIED = "died", _("Died")
    OTHER = "other", _("Other")
    # Not a leave: the roster went to the successor command; the membership continues there.
    TRANSFERRED = "transferred", _("Roster transferred to another command")
    # Not a leave either: the member moved to another unit; the membership continues there.
    UNIT_CHANGED = "unit_changed", _("Moved to another militia unit")


class Echelon(models.TextChoices):
    """The sizes of militia units (DQTV Art. 15 as amended by L98 Art. 10(7))."""

    TEAM = "team", _("Team")  # tổ
    SQUAD = "squad", _("Squad")  # tiểu đội
    PLATOON = "platoon", _("Platoon")  # trung đội
    COMPANY = "company", _("Company")  # đại đội (the province's)


class DefenceCommune(Validity):
    """What a commune is for defence, as configuration data (data/defence_communes.csv, or
    set by the province): border, coastal, island, key defence. Naval militia are formed only
    in coastal and island communes and standing militia only in key defence communes (DQTV
    Art. 15 as amended by L98 Art. 10(7))."""

    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    border = models.BooleanField(default=False)
    coastal = models.BooleanField(default=False)
    island = models.BooleanField(default=False)
    key_defence = models.BooleanField(default=False)
    basis = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commune"],
                condition=Q(valid_to__isnull=True),
                name="militia_flags_one_open",
            ),
            period_check("militia_flags_period"),
        ]


class MilitiaUnit(Validity):
    """A militia unit under a commune command (a village's in-place team, squad or platoon,
    the mobile platoon, naval, specialised and standing units) or a province's company (DQTV
    Art. 15 as amended). Its leader holds `leader_position`, a position of the command in the
    orgs app, so appointments are kept there like every other post."""

    command = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="militia_units")
    name = models.CharField(max_length=120)
    echelon = models.CharField(max_length=8, choices=Echelon.choices)
    force_kind = models.CharField(max_length=12, choices=ForceKind.choices)
    specialty = models.CharField(max_length=20, choices=Specialty.choices, blank=True)
    village = models.CharField(max_length=120, blank=True)  # thôn / tổ dân phố, in-place units
    leader_position = models.OneToOneField(
        Position, null=True, blank=True, on_delete=models.PROTECT, related_name="militia_unit"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            period_check("militia_unit_period"),
            models.CheckConstraint(
                condition=(Q(force_kind="specialised") & ~Q(specialty=""))
                | (~Q(force_kind="specialised") & Q(specialty="")),
                name="militia_unit_specialty_iff_specialised",
            ),
        ]
        indexes = [models.Index(fields=["command", "valid_to"], name="militia_unit_command")]

    def __str__(self) -> str:
        return self.name


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
    # The unit the member serves in, if the command has set units up (any commune takes
    # in-place, mobile and specialised members without one).
    militia_unit = models.ForeignKey(
        MilitiaUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    left_reason = models.CharField(max_length=12, choices=LeftReason.choices, blank=True)
    # §0.9 code when deferred/exempted, MREL_*/MREM_* when released/removed (Art. 12)
    ground_code = models.CharField(max_length=40, blank=True)
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
        """The last day in the militia; None while serving or when only the roster or the unit
        changed (the membership continues on another row)."""
        if self.left_reason in (LeftReason.TRANSFERRED, LeftReason.UNIT_CHANGED):
            return None
        return self.valid_to


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


class DecisionKind(models.TextChoices):
    """The decisions of the commune chairman or the head of the agency (DQTV Art. 10-13)."""

    JOIN = "join", _("Selection")
    LEAVE = "leave", _("Leaving the militia")
    EXTEND = "extend", _("Term extension")
    TRANSFER = "transfer", _("Transfer between units")
    DEFERRAL = "deferral", _("Deferral of militia duty")
    EXEMPTION = "exemption", _("Exemption from militia duty")


class DecisionQuerySet(models.QuerySet["MilitiaDecision"]):
    def in_force(self, day: date) -> Self:
        """Deferrals and exemptions in force on `day`."""
        return self.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            kind__in=[DecisionKind.DEFERRAL, DecisionKind.EXEMPTION],
            decided_on__lte=day,
        )


class MilitiaDecision(models.Model):
    """A decision on a person's militia duty: who decided (the commune chairman or the head of
    the agency, DQTV Art. 10-13, domain-rules §0.10), its number and date. A deferral or an
    exemption (Art. 11) may concern someone not on a roster; it bars selection while in force.
    Imported members record the decision number `imported`, decided on the join day."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="militia_decisions")
    membership = models.ForeignKey(
        MilitiaMembership, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    command = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=DecisionKind.choices)
    number = models.CharField(max_length=40)
    decided_on = models.DateField()
    decided_by = models.CharField(max_length=120)
    ground_code = models.CharField(max_length=40, blank=True)
    valid_until = models.DateField(null=True, blank=True)  # a deferral's last day
    created_at = models.DateTimeField(default=timezone.now)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["person", "kind"], name="militia_decision_person")]


class MilitiaRegistration(models.Model):
    """A citizen registered for militia duty (DQTV Art. 9(1)(a), MILITIA_REG_MONTH): in April,
    those who turned 18, from the military-service registration results. Members who complete
    their term stay registered within the age limit (Art. 13) without a row here: the roster's
    completed memberships say so."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="militia_registrations"
    )
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    registered_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="militia_registration_once")
        ]


class MilitiaAbsence(models.Model):
    """An absence of 3 months or more a member reported to the commune military command
    (DQTV Art. 9(2)(b), MILITIA_ABSENCE); `returned_on` once back."""

    membership = models.ForeignKey(
        MilitiaMembership, on_delete=models.PROTECT, related_name="absences"
    )
    reported_on = models.DateField()
    absent_from = models.DateField()
    absent_until = models.DateField()  # the expected return
    returned_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(absent_until__gte=models.F("absent_from")),
                name="militia_absence_period",
            )
        ]


class OrganisationKind(models.TextChoices):
    """Where a self-defence force is organised (DQTV Art. 2(3))."""

    AGENCY = "agency", _("State agency, political or socio-political organisation")
    PUBLIC_SERVICE = "public_service", _("Public service unit")
    ENTERPRISE = "enterprise", _("Economic organisation (enterprise)")


class SelfDefenceCommand(models.Model):
    """The founding record of an agency's or enterprise's military command (an `OrgUnit` of
    kind `self_defence_command`): the organisation, how long it has operated and how many
    eligible workers it has, as checked against DQTV Art. 17 when it was founded."""

    unit = models.OneToOneField(OrgUnit, on_delete=models.PROTECT, related_name="self_defence")
    organisation_name = models.CharField(max_length=200)
    organisation_kind = models.CharField(max_length=16, choices=OrganisationKind.choices)
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    operating_since = models.DateField()  # Art. 17: at least 24 months of operation
    eligible_workers = models.PositiveIntegerField()  # Art. 17: enough for a squad
    has_vessels = models.BooleanField(default=False)  # maritime self-defence (Art. 15)
    founded_on = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
