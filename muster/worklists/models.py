"""Work items: what a commune's military command has to do because the register changed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from muster.geo.models import AdminUnit
from muster.orgs.models import OrgUnit
from muster.people.models import Person
from muster.worklists.rules import Kind


class WorkKind(models.TextChoices):
    DUE_FIRST_REGISTRATION = Kind.DUE_FIRST_REGISTRATION, _("Due for first registration")
    TRANSFER_IN = Kind.TRANSFER_IN, _("Transfer in")
    TRANSFER_OUT = Kind.TRANSFER_OUT, _("Transfer out")
    DECEASED = Kind.DECEASED, _("Death")
    REGISTER_CORRECTION = Kind.REGISTER_CORRECTION, _("Register correction")
    DEFERRAL_ENDED = Kind.DEFERRAL_ENDED, _("Deferral ended")
    RESERVE_REPORT = Kind.RESERVE_REPORT, _("Reserve registration due")
    RESERVE_REMOVAL = Kind.RESERVE_REMOVAL, _("Reserve removal due")
    MILITIA_TERM_ENDING = Kind.MILITIA_TERM_ENDING, _("Militia term ending")
    MILITIA_AGE_LIMIT = Kind.MILITIA_AGE_LIMIT, _("Militia age limit")
    MILITIA_BELOW_TARGET = Kind.MILITIA_BELOW_TARGET, _("Below militia target")
    MILITIA_TRAINING_SHORT = Kind.MILITIA_TRAINING_SHORT, _("Short of training days")
    MILITIA_ABSENCE = Kind.MILITIA_ABSENCE, _("Militia absence")
    MILITIA_REGISTRATION = Kind.MILITIA_REGISTRATION, _("Militia registration (April)")
    STANDING_DEFERRAL_PROPOSED = Kind.STANDING_DEFERRAL_PROPOSED, _("Standing militia deferral")
    STANDING_COMPLETION_PROPOSED = (
        Kind.STANDING_COMPLETION_PROPOSED,
        _("Standing militia 24 months"),
    )
    STANDING_DEFERRAL_MISMATCH = Kind.STANDING_DEFERRAL_MISMATCH, _("Deferral without roster")
    CERTIFICATE_EXPIRING = Kind.CERTIFICATE_EXPIRING, _("Certificate expiring")
    POSITION_VACANT = Kind.POSITION_VACANT, _("Vacant position")


class WorkSource(models.TextChoices):
    FEED = "feed", _("Change feed")
    REFRESH = "refresh", _("Yearly refresh")
    INGEST = "ingest", _("Extract ingest")
    MANUAL = "manual", _("Entered by staff")


class WorkItem(models.Model):
    """One piece of work on one person (or, for `Kind.UNIT_KINDS`, on one org unit: a
    command below its target), shown on one commune's worklist.

    `key` makes creation idempotent: (kind, person, key) is unique, resolved items included, so
    re-running a refresh or re-applying an event never creates a second item. Keys: the year
    for first registration, "" for a death (a person dies once), "OLD>NEW@DATE" for a move,
    the feed reference for a correction.
    """

    kind = models.CharField(max_length=32, choices=WorkKind.choices)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.CASCADE, related_name="work_items"
    )
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=100, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    # Facts as they were when the item was opened (communes moved between, fields corrected).
    detail = models.JSONField(default=dict, blank=True)
    source = models.CharField(max_length=10, choices=WorkSource.choices)
    source_ref = models.CharField(max_length=100, blank=True)  # e.g. "popreg#1234"
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    # NULL with resolved_at set: resolved by the system (e.g. no longer due after a correction).
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution_note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "person", "key"], name="workitem_once"),
            models.UniqueConstraint(
                fields=["kind", "org_unit", "key"],
                condition=Q(person__isnull=True),
                name="workitem_unit_once",
            ),
            # A unit's item names its unit and no person; every other names a person.
            models.CheckConstraint(
                condition=Q(kind__in=Kind.UNIT_KINDS, person__isnull=True, org_unit__isnull=False)
                | (~Q(kind__in=Kind.UNIT_KINDS) & Q(person__isnull=False)),
                name="workitem_person_or_unit",
            ),
            models.CheckConstraint(condition=Q(kind__in=Kind.ALL), name="workitem_kind_known"),
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=False) | Q(resolved_by__isnull=True),
                name="workitem_resolver_only_if_resolved",
            ),
        ]
        indexes = [
            # The worklist page: open items of the user's communes, by kind.
            models.Index(
                fields=["commune", "kind", "due_on"],
                condition=Q(resolved_at__isnull=True),
                name="workitem_open_by_commune",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.person_id or self.org_unit_id} @ {self.commune_id}"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
