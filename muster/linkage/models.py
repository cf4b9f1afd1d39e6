"""Linkage runs, kept links of legacy records to persons, and the review queue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from muster.geo.models import AdminUnit
from muster.people.models import Person


class LinkRun(models.Model):
    """One `muster exchange link` of a legacy file (a batch of one source)."""

    source = models.CharField(max_length=80)  # e.g. the dissolved district command's file
    file_name = models.CharField(max_length=255)
    link_threshold = models.FloatField()
    review_threshold = models.FloatField()
    read = models.PositiveIntegerField(default=0)
    linked = models.PositiveIntegerField(default=0)
    review = models.PositiveIntegerField(default=0)
    unmatched = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.source} ({self.created_at:%Y-%m-%d %H:%M})"


class LinkMethod(models.TextChoices):
    EXACT_ID = "exact_id", _("Exact personal ID")
    MODEL = "model", _("Probabilistic model")
    REVIEW = "review", _("Accepted in review")


class LegacyLink(models.Model):
    """A legacy record of `source` linked to a person. Kept across runs: the person of a linked
    legacy record never changes by itself, so person IDs stay stable."""

    source = models.CharField(max_length=80)
    legacy_id = models.CharField(max_length=64)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="legacy_links")
    probability = models.FloatField()
    method = models.CharField(max_length=10, choices=LinkMethod.choices)
    run = models.ForeignKey(LinkRun, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "legacy_id"], name="linkage_link_unique"),
        ]
        indexes = [models.Index(fields=["person"], name="linkage_link_person")]


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ACCEPTED = "accepted", _("Accepted: same person")
    REJECTED = "rejected", _("Rejected: different person")
    NOT_DUPLICATE = "not_duplicate", _("Not a duplicate")


class ReviewCase(models.Model):
    """A candidate pair the model could not decide: a legacy record and a registry person.

    `legacy` holds the legacy record as read (legacy column → text); the case belongs to the
    commune of the candidate person (`commune`), which decides who may see it.
    """

    source = models.CharField(max_length=80)
    legacy_id = models.CharField(max_length=64)
    legacy = models.JSONField()
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="review_cases")
    commune = models.ForeignKey(AdminUnit, on_delete=models.PROTECT, related_name="+")
    legacy_commune = models.ForeignKey(
        AdminUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    probability = models.FloatField()
    status = models.CharField(max_length=14, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateTimeField(null=True, blank=True)
    run = models.ForeignKey(LinkRun, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "legacy_id", "person"], name="linkage_case_unique"
            ),
        ]
        indexes = [models.Index(fields=["commune", "status", "id"], name="linkage_case_queue")]

    def __str__(self) -> str:
        return f"{self.source}/{self.legacy_id} ↔ {self.person.personal_id}"
