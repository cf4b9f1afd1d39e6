"""Military-service records: registration, health examinations, decisions on legal grounds,
the yearly call-up cycle (quotas, order batches, orders, handover) and active service.

A person's service status is never stored: `rules/lifecycle.py` derives it from these records.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muster.conscription.rules.callup import SEALED_OUTCOME_CODES
from muster.conscription.rules.grounds import SEALED_GROUND_CODES, DecisionKind
from muster.core.sealed import (
    SealedCodeField,
    SealedCodesField,
    SealedFileField,
    SealedTextField,
    SealedValueField,
)
from muster.geo.models import AdminUnit
from muster.people.models import Person


class Source(models.TextChoices):
    MANUAL = "manual", _("Entered by staff")
    IMPORT = "import", _("Imported from a spreadsheet")
    DEMO = "demo", _("Demo data")


class RegistrationKind(models.TextChoices):
    FIRST = "first", _("First registration (men at 17)")
    FEMALE = "female", _("Women of listed professions")
    TRANSFER = "transfer", _("Registration after a move")


class Registration(models.Model):
    """A registration for military service at a commune (MSL Art. 12, 15–17)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="registrations")
    kind = models.CharField(max_length=10, choices=RegistrationKind.choices, default="first")
    registered_on = models.DateField()
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    education_level = models.CharField(max_length=16, blank=True)
    occupation = models.CharField(max_length=120, blank=True)
    # Removal from the register (MSL Art. 19): death, over age, Art. 13/14 cases.
    removed_on = models.DateField(null=True, blank=True)
    removal_reason = SealedTextField(blank=True)  # may name an Art. 13/14 case: sealed
    source = models.CharField(max_length=10, choices=Source.choices, default="manual")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "registered_on"], name="registration_once"),
            models.CheckConstraint(
                condition=Q(removed_on__isnull=True) | Q(removed_on__gte=F("registered_on")),
                name="registration_removed_after",
            ),
        ]
        indexes = [models.Index(fields=["person", "registered_on"], name="registration_person")]


class HealthExam(models.Model):
    """One examination by a health examination council (MSL Art. 40).

    The class and the outcome codes are in clear: they are published for 20 days by law
    (MSL Art. 40(6)) and the candidate list is computed from them — but the codes that reveal a
    measurement (`rules.SEALED_OUTCOME_CODES`: myopia, hyperopia, BMI, drug addiction) are
    keyed pseudonyms at rest. The measurements and notes are sensitive health data: sealed at
    rest (`core.sealed`), and reading them is logged.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="health_exams")
    examined_on = models.DateField()
    board = models.CharField(max_length=200, blank=True)
    health_class = models.PositiveSmallIntegerField()
    # "HC3;HC3_MYOPIA": `rules.exam_outcome` under the rules in force on the examination date.
    outcome_codes = SealedCodesField(max_length=80, sealed=SEALED_OUTCOME_CODES)
    rules_version = models.CharField(max_length=10)
    sealed_details = SealedValueField(blank=True)  # myopia, hyperopia, BMI, drug use, notes
    source = models.CharField(max_length=10, choices=Source.choices, default="manual")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "examined_on"], name="healthexam_once"),
            models.CheckConstraint(
                condition=Q(health_class__gte=1, health_class__lte=6), name="healthexam_class_1_6"
            ),
        ]
        indexes = [models.Index(fields=["person", "examined_on"], name="healthexam_person")]


class GroundDecision(models.Model):
    """A deferral, exemption or completion decided on one legal ground (`grounds.GROUNDS`).

    It holds on a day when decided on or before it and valid until on or after it (an empty
    valid_until: until revoked).
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ground_decisions")
    kind = models.CharField(max_length=10)
    # Codes of `grounds.SEALED_GROUND_CODES` (Art. 13 bars, Art. 14 exemptions) are keyed
    # pseudonyms at rest; the model reads and writes the codes themselves.
    ground_code = SealedCodeField(max_length=40, sealed=SEALED_GROUND_CODES)
    decided_on = models.DateField()
    valid_until = models.DateField(null=True, blank=True)
    decided_by = models.CharField(max_length=200, blank=True)  # the authority, as on the paper
    note = SealedTextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Source.choices, default="manual")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "ground_code", "decided_on"], name="grounddecision_once"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DecisionKind.ALL), name="grounddecision_kind_known"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("decided_on")),
                name="grounddecision_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["person", "decided_on"], name="grounddecision_person")]


class Evidence(models.Model):
    """A document supporting a decision (scan of a certificate, a confirmation letter): sealed
    on disk (`core.sealed.seal_bytes`, mode 0600), opened only by the scope-checked download."""

    decision = models.ForeignKey(GroundDecision, on_delete=models.CASCADE, related_name="evidence")
    file = SealedFileField(upload_to="evidence/%Y/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)


class CallupCycle(models.Model):
    """One province's call-up of one year (MSL Art. 33–34)."""

    year = models.PositiveSmallIntegerField()
    province = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    callup_date = models.DateField()  # the reference date of the candidate list
    target = models.PositiveIntegerField(default=0)
    rules_version = models.CharField(max_length=10)
    rules_overrides = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["year", "province"], name="callupcycle_once"),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.province_id}"


class CommuneQuota(models.Model):
    """A commune's share of its province's target: proposed from the eligible pool, or
    overridden by staff with a recorded reason."""

    cycle = models.ForeignKey(CallupCycle, on_delete=models.CASCADE, related_name="quotas")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    pool = models.PositiveIntegerField()
    proposed = models.PositiveIntegerField()
    quota = models.PositiveIntegerField()
    override_reason = models.TextField(blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "commune"], name="communequota_once"),
        ]


class OrderBatch(models.Model):
    """Call-up orders of one commune, issued only once a second person approves them."""

    cycle = models.ForeignKey(CallupCycle, on_delete=models.PROTECT, related_name="batches")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    report_on = models.DateField()  # the date the orders tell the men to report
    report_time = models.TimeField(default=time(7, 0))
    report_place = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # The two-person rule, held by the database too.
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("created_by")),
                name="orderbatch_two_person",
            ),
        ]


class ServedHow(models.TextChoices):
    IN_PERSON = "in_person", _("Handed to the citizen")
    FAMILY = "family", _("Handed to a family member")
    VILLAGE = "village", _("Through the village head")
    POST = "post", _("By post")


class HandoverOutcome(models.TextChoices):
    REPORTED = "reported", _("Reported")
    POSTPONED = "postponed", _("Postponed")
    FAILED = "failed_to_report", _("Failed to report")


class CallupOrder(models.Model):
    """One man's call-up order. Its number and verification code exist from approval on."""

    cycle = models.ForeignKey(CallupCycle, on_delete=models.PROTECT, related_name="orders")
    batch = models.ForeignKey(OrderBatch, on_delete=models.PROTECT, related_name="orders")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="callup_orders")
    number = models.CharField(max_length=40, blank=True)
    verification_code = models.CharField(max_length=20, null=True, blank=True, unique=True)
    issued_on = models.DateField(null=True, blank=True)
    served_on = models.DateField(null=True, blank=True)
    served_how = models.CharField(max_length=10, choices=ServedHow.choices, blank=True)
    acknowledged = models.BooleanField(default=False)
    outcome = models.CharField(max_length=20, choices=HandoverOutcome.choices, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    outcome_note = SealedTextField(blank=True)  # often a health reason: sealed
    # A revoked order stays on file (its number and code are never reused); the public
    # verification page says it no longer holds.
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="calluporder_once_per_cycle"),
            models.UniqueConstraint(
                fields=["cycle", "number"],
                condition=~Q(number=""),
                name="calluporder_number_once",
            ),
        ]


class DischargeReason(models.TextChoices):
    TERM_ENDED = "term_ended", _("Term completed")
    HEALTH = "health", _("Early: unfit (medical board)")
    FAMILY = "family", _("Early: family grounds (MSL Art. 43(2))")
    DIED = "died", _("Died")


class ServiceRecord(models.Model):
    """Active service from enlistment (the handover date, MSL Art. 22) to discharge."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="service_records")
    order = models.OneToOneField(
        CallupOrder, null=True, blank=True, on_delete=models.PROTECT, related_name="service"
    )
    unit_name = models.CharField(max_length=200)
    enlisted_on = models.DateField()
    discharged_on = models.DateField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=12, choices=DischargeReason.choices, blank=True)
    source = models.CharField(max_length=10, choices=Source.choices, default="manual")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(discharged_on__isnull=True) | Q(discharged_on__gte=F("enlisted_on")),
                name="servicerecord_discharge_after_enlistment",
            ),
        ]
        indexes = [models.Index(fields=["person", "enlisted_on"], name="servicerecord_person")]
