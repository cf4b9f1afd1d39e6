"""Writing audit rows. Called by actions inside their transaction, never by views."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from muster.audit.models import AuditEvent, ReadEvent
from muster.audit.registry import check_action

GENESIS = "0" * 64


def _canonical(value: dict[str, Any]) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def event_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    return hashlib.sha256(prev_hash.encode() + _canonical(fields)).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "action": event.action,
        "actor_label": event.actor_label,
        "target_type": event.target_type,
        "target_id": event.target_id,
        "commune_code": event.commune_code,
        "data": event.data,
    }


def _lock_chain() -> None:
    # SQLite writers are already serialised (IMMEDIATE transactions); PostgreSQL needs a lock
    # so two transactions cannot both extend the chain from the same head.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(7317001)")


def record(
    action: str,
    *,
    actor: Any,
    target: models.Model | tuple[str, str],
    data: dict[str, Any] | None = None,
    commune_code: str = "",
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's atomic block."""
    check_action(action)
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must be called inside the action's transaction")
    if isinstance(target, tuple):
        target_type, target_id = target
    else:
        target_type, target_id = target._meta.label_lower, str(target.pk)
    _lock_chain()
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    event = AuditEvent(
        at=timezone.now(),
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "username", None) or "system",
        target_type=target_type,
        target_id=target_id,
        commune_code=commune_code,
        data=json.loads(_canonical(data or {})),
        prev_hash=last or GENESIS,
    )
    event.hash = event_hash(event.prev_hash, _hashed_fields(event))
    event.save(force_insert=True)
    return event


def record_read(action: str, *, actor: Any, target: models.Model, channel: str) -> None:
    """Log that `actor` saw `target` (its own short transaction; reads need no chain)."""
    check_action(action)
    with transaction.atomic():
        ReadEvent.objects.create(
            action=action,
            actor=actor if getattr(actor, "pk", None) else None,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            channel=channel,
        )


def first_broken_link() -> int | None:
    """Id of the first event whose hash does not follow from its predecessor, or None."""
    prev = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev or event.hash != event_hash(prev, _hashed_fields(event)):
            return event.pk
        prev = event.hash
    return None
