"""Exchange with the population register: trusted keys, feed cursors, the message log, ingests."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TrustedKey(models.Model):
    """A producer's Ed25519 public key that extracts and feed events must verify against."""

    producer = models.CharField(max_length=80, db_index=True)
    public_key_pem = models.TextField()
    fingerprint = models.CharField(max_length=64, unique=True)
    added_at = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.producer} {self.fingerprint[:16]}"


class FeedCursor(models.Model):
    """How far the change feed of one producer has been applied (events after this sequence)."""

    producer = models.CharField(max_length=80, unique=True)
    last_sequence = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)


class MessageOutcome(models.TextChoices):
    APPLIED = "applied", _("Applied")
    DUPLICATE = "duplicate", _("Duplicate (already applied)")
    REJECTED = "rejected", _("Rejected")
    VERIFIED = "verified", _("Verified")


class ReceivedMessage(models.Model):
    """Everything received from a producer, as received, hash-chained so tampering shows."""

    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    producer = models.CharField(max_length=80)
    kind = models.CharField(max_length=20)  # "event" | "extract"
    sequence = models.BigIntegerField(null=True, blank=True)
    raw = models.TextField()  # the message exactly as received (UTF-8 text)
    signature_ok = models.BooleanField()
    outcome = models.CharField(max_length=12, choices=MessageOutcome.choices)
    detail = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [models.Index(fields=["producer", "kind", "sequence"])]


class IngestStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class IngestRun(models.Model):
    """One ingest of one extract file; a re-run of the same file continues its record."""

    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    producer = models.CharField(max_length=80)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=IngestStatus.choices)
    rows_read = models.BigIntegerField(default=0)
    inserted = models.BigIntegerField(default=0)
    updated = models.BigIntegerField(default=0)
    unchanged = models.BigIntegerField(default=0)
    rejected = models.BigIntegerField(default=0)
    warned = models.BigIntegerField(default=0)
    detail = models.TextField(blank=True)
