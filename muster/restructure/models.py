"""Restructuring plans: dated succession events, split cases for review, and the move journal."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from muster.geo.models import AdminUnit
from muster.orgs.models import OrgUnit
from muster.people.models import Person


class PlanSource(models.TextChoices):
    BUILTIN = "builtin", _("Built in")
    CSV = "csv", _("Succession CSV")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PLANNED = "planned", _("Planned")
    APPLIED = "applied", _("Applied")
    REVERTED = "reverted", _("Reverted")


class Plan(models.Model):
    """One dated change: every step takes effect on `effective_on`."""

    key = models.CharField(max_length=40, unique=True)  # "vn-2025"
    title = models.CharField(max_length=200)
    effective_on = models.DateField()
    source = models.CharField(max_length=10, choices=PlanSource.choices)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # Whose plan it is: the org unit of the staff who made it. Only users whose jurisdiction
    # covers it edit, compute or apply it (`accounts.permissions`); None is national (the
    # built-in plan, plans loaded from the CLI or by a national user).
    jurisdiction = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    reverted_at = models.DateTimeField(null=True, blank=True)
    # The last `plan_compute` (coverage, moves, gaps) as stored JSON, so the plan page shows it
    # without recomputing a national plan on every view (seconds to minutes).
    summary = models.JSONField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key


class StepKind(models.TextChoices):
    RENAME = "rename", _("Rename (one to one)")
    REPARENT = "reparent", _("Re-parent")
    MERGE = "merge", _("Merge")
    SPLIT = "split", _("Split")
    CREATE = "create", _("Create")
    ABOLISH = "abolish", _("Abolish")


class UnitType(models.TextChoices):
    ADMIN = "admin", _("Administrative unit")
    ORG = "org", _("Organisation unit")


class PlanStep(models.Model):
    """One succession event: `old_code` (valid the day before) → `new_code` (valid that day).

    Admin codes are GSO codes (the edition follows from the dates); org codes are OrgUnit codes.
    `create` has no old code, `abolish` no new code.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=10, choices=StepKind.choices)
    unit_type = models.CharField(max_length=5, choices=UnitType.choices)
    old_code = models.CharField(max_length=40, blank=True)
    new_code = models.CharField(max_length=40, blank=True)
    is_default = models.BooleanField(default=True)
    line = models.PositiveIntegerField(null=True, blank=True)  # CSV line, None when built in

    class Meta:
        indexes = [models.Index(fields=["plan", "unit_type", "old_code"])]


class SplitStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Proposal accepted")
    CHANGED = "changed", _("Another successor chosen")


class SplitCase(models.Model):
    """A person living in a legacy ward that split: which successor they move to."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="split_cases")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    legacy_ward = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    proposed_commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    confidence = models.FloatField()  # 0–1
    evidence = models.JSONField(default=dict)  # address parse, village name, default
    status = models.CharField(max_length=10, choices=SplitStatus.choices, default=SplitStatus.OPEN)
    decided_commune = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "person"], name="restructure_split_person"),
        ]
        indexes = [models.Index(fields=["plan", "status", "proposed_commune"])]


class RecordType(models.TextChoices):
    PERSON = "person", _("Person (residence)")
    USER = "user", _("User (jurisdiction)")
    TERRITORY = "territory", _("Territory")
    ORG_UNIT = "org_unit", _("Organisation unit")
    MILITIA = "militia", _("Militia membership")
    RESERVE = "reserve", _("Reserve unit")
    RESERVE_AREA = "res_area", _("Reserve unit's recruitment area")


class UnitMapping(models.Model):
    """Every unit the plan ends → its default successor (the unit itself when its step keeps
    it, NULL when abolished), built before apply; participants join it (`journal.py`)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    unit_type = models.CharField(max_length=5, choices=UnitType.choices)
    old_id = models.BigIntegerField()
    new_id = models.BigIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "unit_type", "old_id"], name="restructure_mapping_old"
            ),
        ]


class MoveRecord(models.Model):
    """The journal: one row per record a plan changed, enough to put it back.

    Persons: old/new commune id, `flags` 1 = a period before the change was backfilled.
    Users: old/new jurisdiction id. Territories and org units: old/new `valid_to` as date
    ordinals (NULL = open); `flags` 1 = the row was created by the plan (a territory carried
    over: its org unit and admin unit ids in old/new). Militia memberships:
    old/new command id, `flags` 0 = closed the day before, 1 = its continuation created by the
    plan, 2 = re-pointed in place (it began on or after the day).
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="moves")
    record_type = models.CharField(max_length=10, choices=RecordType.choices)
    record_id = models.BigIntegerField()
    old_value = models.BigIntegerField(null=True)
    new_value = models.BigIntegerField(null=True)
    flags = models.SmallIntegerField(default=0)
    batch = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "record_type", "record_id"], name="restructure_move_once"
            ),
        ]
        indexes = [models.Index(fields=["plan", "record_type", "batch"])]
