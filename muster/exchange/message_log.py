"""The message log: everything received from a producer, as received, in one hash chain.

Each `ReceivedMessage` row carries `prev_hash` (the hash of the row before it, or GENESIS) and
`hash` = SHA-256(prev_hash ‖ canonical JSON of the row's fields), the same construction as the
audit chain (muster/audit/chain.py). Editing, deleting or reordering any row breaks every hash
after it, which `first_broken_message()` finds.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import connection
from django.utils import timezone

from muster.exchange.models import MessageOutcome, ReceivedMessage

GENESIS = "0" * 64
# A lock key of its own: appending to the message log must not wait on audit-chain writers.
_ADVISORY_LOCK_KEY = 7317002


class MessageKind:
    EVENT = "event"
    EXTRACT = "extract"

    ALL = (EVENT, EXTRACT)


def _canonical(value: dict[str, Any]) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def message_hash(prev_hash: str, fields: dict[str, Any]) -> str:
    """SHA-256 hex of the previous hash followed by the canonical JSON of `fields`."""
    return hashlib.sha256(prev_hash.encode() + _canonical(fields)).hexdigest()


def _hashed_fields(message: ReceivedMessage) -> dict[str, Any]:
    return {
        "received_at": message.received_at.isoformat(),
        "producer": message.producer,
        "kind": message.kind,
        "sequence": message.sequence,
        "raw": message.raw,
        "signature_ok": message.signature_ok,
        "outcome": message.outcome,
        "detail": message.detail,
    }


def _lock_chain() -> None:
    # SQLite writers are serialised already (IMMEDIATE transactions); on PostgreSQL two
    # transactions could otherwise both read the same head and fork the chain.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])


def message_append(
    *,
    producer: str,
    kind: str,
    raw: str,
    signature_ok: bool,
    outcome: str,
    detail: str = "",
    sequence: int | None = None,
) -> ReceivedMessage:
    """Append one received message to the chain. Must run inside the caller's transaction,
    so the message is logged if and only if what was done with it is committed."""
    if kind not in MessageKind.ALL:
        raise ValueError(f"kind must be one of {MessageKind.ALL}, got {kind!r}")
    if outcome not in MessageOutcome.values:
        raise ValueError(f"outcome must be one of {MessageOutcome.values}, got {outcome!r}")
    if not connection.in_atomic_block:
        raise RuntimeError("message_append must be called inside the receiving transaction")
    _lock_chain()
    last = ReceivedMessage.objects.order_by("-id").values_list("hash", flat=True).first()
    message = ReceivedMessage(
        received_at=timezone.now(),
        producer=producer,
        kind=kind,
        sequence=sequence,
        raw=raw,
        signature_ok=signature_ok,
        outcome=outcome,
        detail=detail,
        prev_hash=last or GENESIS,
    )
    message.hash = message_hash(message.prev_hash, _hashed_fields(message))
    message.save(force_insert=True)
    return message


def first_broken_message() -> int | None:
    """Id of the first message whose hash does not follow from its predecessor, or None."""
    prev = GENESIS
    for message in ReceivedMessage.objects.order_by("id").iterator(chunk_size=2000):
        if message.prev_hash != prev or message.hash != message_hash(prev, _hashed_fields(message)):
            return message.pk
        prev = message.hash
    return None
