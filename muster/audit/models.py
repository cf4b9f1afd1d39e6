"""Audit trail: two keyed chains, write events and reads of personal data
(docs/decisions/0008-keyed-audit-chain.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEvent(models.Model):
    """One write, in the same transaction as the write. `hash` is the HMAC-SHA256 (key kept
    outside the database) of the event and its predecessor's `hash` (`audit.chain`)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=80, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=150)
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    # The 2025 commune the target belongs to, so auditors see only their jurisdiction.
    commune_code = models.CharField(max_length=8, blank=True, db_index=True)
    data = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target_id}"


class ReadEvent(models.Model):
    """A view of personal data (PDP Law: who saw whose record, when)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=80)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    target_type = models.CharField(max_length=80)
    target_id = models.CharField(max_length=64)
    channel = models.CharField(max_length=16)  # "web" | "api" | "cli"
    # Their own chain, as for writes (empty only on rows older than the chain: `audit rekey`).
    prev_hash = models.CharField(max_length=64, default="")
    hash = models.CharField(max_length=64, default="")

    class Meta:
        indexes = [models.Index(fields=["target_type", "target_id"])]


class ChainIdentity(models.Model):
    """This database's audit identity: bound into both chains' first link and named by every
    checkpoint, so checkpoints of another database (a copy, a test run) never vouch for it."""

    identity = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
