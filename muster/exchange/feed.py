"""Pulling the change feed of one producer: verify, order, apply, log (docs/exchange.md).

For each event received, in ONE transaction: the event is verified against the producer's
trusted keys, checked against the cursor, applied (or not), the cursor moved and the message
appended to the hash-chained message log. A pull killed at any moment therefore resumes exactly
where the last committed event left it, and nothing is applied twice.

    signature does not verify      → logged `rejected`, cursor stays, the pull stops
    sequence <= cursor             → logged `duplicate`, not applied
    sequence > cursor + 1 (a gap)  → logged `rejected`, cursor stays, the pull stops
    verified, but cannot be applied (malformed, unknown person, invalid data)
                                   → logged `rejected` with the reason, cursor advances
    applied                        → logged `applied`, cursor advances
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.db import transaction

from muster import audit
from muster.core.errors import InvalidInput
from muster.exchange import signing
from muster.exchange.actions import trusted_pems
from muster.exchange.adapter import FeedTransport
from muster.exchange.apply import apply_event
from muster.exchange.events import FeedEvent, parse_event
from muster.exchange.message_log import MessageKind, message_append
from muster.exchange.models import FeedCursor, MessageOutcome

PAGE_SIZE = 500


class ApplyOutcomeLike(Protocol):
    """What an applier returns (`muster.exchange.apply.ApplyOutcome`)."""

    @property
    def applied(self) -> bool: ...

    @property
    def detail(self) -> str: ...


# apply(event, *, producer=...) → outcome; raises InvalidInput for an event it must reject.
EventApplier = Callable[..., ApplyOutcomeLike]


@dataclass
class PullResult:
    """What one pull did. `stopped` says why it ended before catching up, else is empty."""

    producer: str
    applied: int = 0
    duplicate: int = 0
    rejected: int = 0
    cursor: int = 0
    producer_last_sequence: int | None = None
    stopped: str = ""

    @property
    def received(self) -> int:
        return self.applied + self.duplicate + self.rejected


@dataclass(frozen=True)
class _Step:
    outcome: str
    detail: str
    stop: bool = False


def _raw(event: dict[str, Any]) -> str:
    # The event object exactly as received, in canonical JSON: its signature still verifies
    # from the stored text alone (docs/exchange.md, "Message log").
    return signing.canonical_json(event).decode()


def _sequence_of(event: dict[str, Any]) -> int | None:
    value = event.get("sequence")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return None


def _receive_one(
    *,
    producer: str,
    event: dict[str, Any],
    keys: list[Ed25519PublicKey],
    applier: EventApplier,
) -> _Step:
    """Handle one event in its own savepoint of the page's transaction; returns what was logged."""
    with transaction.atomic():
        # The row lock makes two concurrent pulls of one producer take turns (page by page).
        cursor = FeedCursor.objects.select_for_update().get(producer=producer)
        sequence = _sequence_of(event)
        signature_ok = any(signing.verify(event, key) for key in keys)
        step = _decide(
            producer=producer,
            event=event,
            cursor=cursor.last_sequence,
            sequence=sequence,
            signature_ok=signature_ok,
            applier=applier,
        )
        advances = step.outcome in {MessageOutcome.APPLIED, MessageOutcome.REJECTED} and not (
            step.stop
        )
        if advances and sequence is not None:
            cursor.last_sequence = sequence
            cursor.save(update_fields=["last_sequence", "updated_at"])
        message_append(
            producer=producer,
            kind=MessageKind.EVENT,
            raw=_raw(event),
            signature_ok=signature_ok,
            outcome=step.outcome,
            detail=step.detail,
            sequence=sequence,
        )
        return step


def _decide(
    *,
    producer: str,
    event: dict[str, Any],
    cursor: int,
    sequence: int | None,
    signature_ok: bool,
    applier: EventApplier,
) -> _Step:
    if not signature_ok:
        return _Step(
            MessageOutcome.REJECTED,
            f"signature: event {event.get('sequence')!r} is not signed by a trusted key of "
            f"{producer!r}; the pull stops here (cursor stays at {cursor})",
            stop=True,
        )
    if sequence is None:
        # Signed, yet without a usable sequence it cannot be placed in the order.
        return _Step(
            MessageOutcome.REJECTED,
            f"sequence: {event.get('sequence')!r} is not a positive integer; the pull stops",
            stop=True,
        )
    if sequence <= cursor:
        return _Step(MessageOutcome.DUPLICATE, f"sequence {sequence} <= cursor {cursor}")
    if sequence > cursor + 1:
        return _Step(
            MessageOutcome.REJECTED,
            f"gap: expected sequence {cursor + 1}, received {sequence}; the pull stops and "
            "nothing after the gap is applied",
            stop=True,
        )
    try:
        parsed: FeedEvent = parse_event(event)
        # A savepoint: an applier that fails half-way leaves no partial writes behind, while
        # the rejection itself is still logged in the outer transaction.
        with transaction.atomic():
            outcome = applier(parsed, producer=producer)
    except InvalidInput as exc:
        return _Step(MessageOutcome.REJECTED, str(exc))
    detail = outcome.detail if outcome.applied else f"no change: {outcome.detail}"
    return _Step(MessageOutcome.APPLIED, detail)


def feed_pull(
    *,
    producer: str,
    transport: FeedTransport,
    max_events: int | None = None,
    acting_user: Any = None,
    applier: EventApplier | None = None,
    page_size: int = PAGE_SIZE,
) -> PullResult:
    """Pull, verify and apply `producer`'s events after the stored cursor, in order.

    Stops when caught up, after `max_events` events, or at an event it must not pass (a bad
    signature or a gap: `PullResult.stopped` says which). Transport failures raise
    `adapter.TransportError`; the pages committed before them stay committed (a page is one
    transaction).
    `applier` defaults to `muster.exchange.apply.apply_event` (tests pass their own).
    """
    if max_events is not None and max_events < 1:
        raise InvalidInput.single("max_events", "MIN_VALUE", {"min": 1})
    if page_size < 1:
        raise InvalidInput.single("page_size", "MIN_VALUE", {"min": 1})
    pems = trusted_pems(producer)
    if not pems:
        raise InvalidInput.single("producer", "PRODUCER_NOT_TRUSTED", {"producer": producer})
    keys = [signing.load_public_key(pem) for pem in pems]
    apply = applier or apply_event
    FeedCursor.objects.get_or_create(producer=producer)
    result = PullResult(producer=producer)
    result.cursor = FeedCursor.objects.get(producer=producer).last_sequence
    while not result.stopped:
        limit = page_size if max_events is None else min(page_size, max_events - result.received)
        if limit <= 0:
            break
        page = transport.fetch(after=result.cursor, limit=limit)
        result.producer_last_sequence = page.last_sequence
        if page.producer != producer:
            raise InvalidInput.single(
                "producer", "FEED_OTHER_PRODUCER", {"answered": page.producer, "producer": producer}
            )
        if not page.events:
            break
        before = result.cursor
        # One transaction per page (each event a savepoint of its own): one commit and one
        # audit checkpoint for up to PAGE_SIZE events rather than one each. The cursor moves
        # with the page, so an unexpected error leaves the page to the next pull, whole.
        with transaction.atomic():
            for event in page.events[:limit]:
                step = _receive_one(producer=producer, event=event, keys=keys, applier=apply)
                if step.outcome == MessageOutcome.APPLIED:
                    result.applied += 1
                elif step.outcome == MessageOutcome.DUPLICATE:
                    result.duplicate += 1
                else:
                    result.rejected += 1
                if step.stop:
                    result.stopped = step.detail
                    break
        result.cursor = FeedCursor.objects.get(producer=producer).last_sequence
        if result.cursor == before and not result.stopped:
            # A page of nothing but replays: asking again would return the same page forever.
            result.stopped = f"the feed returned no event after sequence {before}; pull again later"
        elif result.cursor >= page.last_sequence:
            break
    if result.received:
        with transaction.atomic():
            audit.record(
                "exchange.feed.pulled",
                actor=acting_user,
                target=("exchange.feedcursor", producer),
                data={
                    "applied": result.applied,
                    "duplicate": result.duplicate,
                    "rejected": result.rejected,
                    "cursor": result.cursor,
                    "stopped": result.stopped,
                },
            )
    return result


def describe(result: PullResult) -> str:
    """One line for people and logs."""
    line = (
        f"pulled {result.producer}: applied {result.applied}, duplicate {result.duplicate}, "
        f"rejected {result.rejected}; cursor {result.cursor}"
    )
    if result.producer_last_sequence is not None:
        line += f" of {result.producer_last_sequence}"
    return line + (f"\nstopped: {result.stopped}" if result.stopped else "")
