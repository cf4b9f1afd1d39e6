"""Reserve units, their establishment tables, assignments over time, the proposals staff weigh
before committing one, and reserve technical means (LLDBĐV Art. 2(3), 15–18).

Imported by `reserve.models` so Django finds the tables; other code imports from here.
"""

from __future__ import annotations

from datetime import date
from typing import Self, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muster.core.validity import Validity, period_check, valid_on
from muster.geo.models import AdminUnit
from muster.orgs.models import OrgUnit
from muster.people.models import Person
from muster.reserve import assignment_rules as rules


class Force(models.TextChoices):
    """Whose reserve unit it is (LLDBĐV Art. 16(3): main-force units are filled first)."""

    MAIN = rules.MAIN, _("Main force")
    LOCAL = rules.LOCAL, _("Local force")


class UnitRole(models.TextChoices):
    """What the unit does: it sets the age caps (Art. 17(2)) and where women go (Decree 14/2016
    Art. 4)."""

    COMBAT = rules.COMBAT, _("Combat")
    SUPPORT = rules.SUPPORT, _("Combat support")
    LOGISTICS = rules.LOGISTICS, _("Logistics and technical")


class MatchKind(models.TextChoices):
    EXACT = rules.EXACT, _("Exact specialty")
    NEAR = rules.NEAR, _("Near specialty")


_M = TypeVar("_M", bound=models.Model)


class _ValidityQuerySet(models.QuerySet[_M]):
    def as_of(self, day: date) -> Self:
        return self.filter(valid_on(day))


class UnitQuerySet(_ValidityQuerySet["ReserveUnit"]):
    pass


class MeansAssignmentQuerySet(_ValidityQuerySet["MeansAssignment"]):
    pass


class ReserveUnit(Validity):
    """A reserve unit a provincial command raises and keeps (LLDBĐV Art. 14–15)."""

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    command = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="reserve_units")
    # The recruitment area matched to the unit's mobilisation area (Art. 16(1)): an area
    # defence command's communes; None when the whole province recruits for it.
    area = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    force = models.CharField(max_length=8, choices=Force.choices)
    role = models.CharField(max_length=12, choices=UnitRole.choices)
    spare_percent = models.PositiveSmallIntegerField(default=rules.SPARE_MIN)
    created_at = models.DateTimeField(default=timezone.now)

    objects = UnitQuerySet.as_manager()

    class Meta:
        constraints = [
            period_check("reserve_unit_period"),
            # LLDBĐV Art. 15(2): a spare margin of 10–15 %.
            models.CheckConstraint(
                condition=Q(spare_percent__gte=rules.SPARE_MIN, spare_percent__lte=rules.SPARE_MAX),
                name="reserve_unit_spare_10_15",
            ),
            models.CheckConstraint(
                condition=Q(force__in=list(Force.values)), name="reserve_unit_force"
            ),
            models.CheckConstraint(
                condition=Q(role__in=list(UnitRole.values)), name="reserve_unit_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ReservePost(models.Model):
    """One row of a unit's establishment table: position × specialty × minimum rank × count."""

    unit = models.ForeignKey(ReserveUnit, on_delete=models.CASCADE, related_name="posts")
    position = models.CharField(max_length=100)
    specialty = models.CharField(max_length=20)  # a military specialty code
    min_rank = models.CharField(max_length=20, blank=True)  # a rank code; "" asks for none
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "position"], name="reserve_post_once"),
            models.CheckConstraint(condition=Q(count__gt=0), name="reserve_post_count_positive"),
        ]


class AssignmentQuerySet(_ValidityQuerySet["ReserveAssignment"]):
    pass


class ReserveAssignment(Validity):
    """A reservist on a post of a unit over a period (valid_from/valid_to inclusive): the
    committed proposal that put him or her there, how the specialty matches, and whether the
    seat is one of the spare margin's."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reserve_assignments")
    post = models.ForeignKey(ReservePost, on_delete=models.PROTECT, related_name="assignments")
    match = models.CharField(max_length=5, choices=MatchKind.choices)
    spare = models.BooleanField(default=False)
    proposal = models.ForeignKey(
        "AssignmentProposal", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(valid_to__isnull=True), name="reserve_assigned_once"
            ),
            period_check("reserve_assignment_period"),
        ]
        indexes = [models.Index(fields=["post", "valid_to"], name="reserve_assignment_post")]


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMMITTED = "committed", _("Committed")
    DISCARDED = "discarded", _("Discarded")


class AssignmentProposal(models.Model):
    """A province's assignment as proposed by the solver and adjusted by staff (pins), kept
    until another person approves it (two-person rule, as call-up order batches) or it is
    discarded. Its rows are what the approver commits."""

    command = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()  # the day the assignment takes effect
    status = models.CharField(max_length=10, choices=ProposalStatus.choices, default="draft")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True)
                | Q(created_by__isnull=True)
                | ~Q(approved_by=F("created_by")),
                name="reserve_proposal_two_person",
            ),
            models.UniqueConstraint(
                fields=["command"], condition=Q(status="draft"), name="reserve_one_draft"
            ),
        ]


class ProposalPin(models.Model):
    """Staff's adjustment: this person on this post whatever the solver says, or (no post)
    kept out of the proposal."""

    proposal = models.ForeignKey(AssignmentProposal, on_delete=models.CASCADE, related_name="pins")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(ReservePost, null=True, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "person"], name="reserve_pin_once")
        ]


class ProposalRow(models.Model):
    """One seat of a proposal as last computed."""

    proposal = models.ForeignKey(AssignmentProposal, on_delete=models.CASCADE, related_name="rows")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    post = models.ForeignKey(ReservePost, on_delete=models.CASCADE, related_name="+")
    match = models.CharField(max_length=5, choices=MatchKind.choices)
    spare = models.BooleanField(default=False)
    pinned = models.BooleanField(default=False)


class MeansKind(models.TextChoices):
    """Reserve technical means (LLDBĐV Art. 2(3))."""

    VEHICLE = "vehicle", _("Road motor vehicle")
    VESSEL = "vessel", _("Waterway vessel")
    CONSTRUCTION = "construction", _("Bridge, road and construction machine")
    HANDLING = "handling", _("Cargo-handling machine")
    COMMUNICATIONS = "communications", _("Communications equipment")
    MEDICAL = "medical", _("Medical equipment")
    OTHER = "other", _("Other registered means")


class MeansState(models.TextChoices):
    READY = "ready", _("In working order")
    REPAIR = "repair", _("Needs repair")
    UNUSABLE = "unusable", _("Unusable")


class MeansRetired(models.TextChoices):
    """Why an item of technical means left the register (it is kept, with its assignments'
    history, and no longer assigned)."""

    SCRAPPED = "scrapped", _("Scrapped or destroyed")
    TRANSFERRED = "transferred", _("Sold or moved out of the area")
    DEREGISTERED = "deregistered", _("Deregistered by its registry")
    ERROR = "error", _("Registered in error")


class TechnicalMeans(models.Model):
    """One registered item of reserve technical means, as the latest yearly registry import
    (or staff) left it (LLDBĐV Art. 13); `retired_on` once it left the register (a later
    import leaves it retired)."""

    kind = models.CharField(max_length=16, choices=MeansKind.choices)
    registration = models.CharField(max_length=40)  # the registry's number (plate, hull…)
    capability = models.CharField(max_length=40)  # what it can do for a unit (cargo_truck…)
    capacity = models.CharField(max_length=40, blank=True)  # "5 t", "30 seats", "120 kW"
    owner = models.CharField(max_length=200)
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=MeansState.choices)
    registry = models.CharField(max_length=60)  # which registry sent it
    registered_year = models.PositiveSmallIntegerField()  # the import that last confirmed it
    updated_at = models.DateTimeField(default=timezone.now)
    retired_on = models.DateField(null=True, blank=True)  # the last day on the register
    retired_reason = models.CharField(max_length=16, choices=MeansRetired.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "registration"], name="reserve_means_once"),
            models.CheckConstraint(
                condition=Q(retired_on__isnull=True, retired_reason="")
                | (Q(retired_on__isnull=False) & ~Q(retired_reason="")),
                name="reserve_means_retired_with_reason",
            ),
        ]


class MeansNeed(models.Model):
    """How many means of a capability a unit's establishment calls for (Art. 18)."""

    unit = models.ForeignKey(ReserveUnit, on_delete=models.CASCADE, related_name="means_needs")
    capability = models.CharField(max_length=40)
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "capability"], name="reserve_need_once"),
            models.CheckConstraint(condition=Q(count__gt=0), name="reserve_need_positive"),
        ]


class MeansAssignment(Validity):
    """Means assigned to a unit over a period; `match` near when a similar capability stood
    in for the one needed (Art. 18)."""

    means = models.ForeignKey(TechnicalMeans, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey(ReserveUnit, on_delete=models.PROTECT, related_name="means")
    capability = models.CharField(max_length=40)  # the need it fills
    match = models.CharField(max_length=5, choices=MatchKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    objects = MeansAssignmentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["means"],
                condition=Q(valid_to__isnull=True),
                name="reserve_means_assigned_once",
            ),
            period_check("reserve_means_period"),
        ]
