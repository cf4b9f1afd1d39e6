"""feed_pull: order, idempotence, restarts, duplicates, gaps, bad signatures, unknown people."""

from __future__ import annotations

import json
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput
from muster.exchange import signing
from muster.exchange.actions import producer_key_trust
from muster.exchange.adapter import TransportError, parse_page
from muster.exchange.events import EventType
from muster.exchange.feed import feed_pull
from muster.exchange.message_log import first_broken_message
from muster.exchange.models import FeedCursor, ReceivedMessage
from muster.exchange.tests.feed_support import (
    PRODUCER,
    HonestTransport,
    RecordingApplier,
    ScriptedTransport,
    signed_event,
)

pytestmark = pytest.mark.django_db

KNOWN = {f"0010900000{i:02d}" for i in range(1, 30)}


@pytest.fixture
def key():
    key = Ed25519PrivateKey.generate()
    producer_key_trust(
        pem=signing.public_pem(key.public_key()), producer=PRODUCER, acting_user=None
    )
    return key


def _events(key: Ed25519PrivateKey, n: int, start: int = 1) -> list[dict[str, Any]]:
    return [signed_event(key, s, f"0010900000{s:02d}") for s in range(start, start + n)]


def _log() -> list[tuple[int | None, str]]:
    return list(ReceivedMessage.objects.order_by("id").values_list("sequence", "outcome"))


def _cursor() -> int:
    return FeedCursor.objects.get(producer=PRODUCER).last_sequence


def test_applies_in_order_across_pages_and_logs_each_event(key):
    applier = RecordingApplier(set(KNOWN))
    transport = HonestTransport(_events(key, 7))
    result = feed_pull(producer=PRODUCER, transport=transport, applier=applier, page_size=3)
    assert applier.applied == [1, 2, 3, 4, 5, 6, 7]
    assert (result.applied, result.duplicate, result.rejected, result.cursor) == (7, 0, 0, 7)
    assert result.stopped == ""
    assert [after for after, _limit in transport.calls] == [0, 3, 6]
    assert _log() == [(s, "applied") for s in range(1, 8)]
    assert first_broken_message() is None
    stored = ReceivedMessage.objects.get(sequence=3)
    assert signing.verify(json.loads(stored.raw), key.public_key())  # raw keeps the signature
    audit = AuditEvent.objects.get(action="exchange.feed.pulled")
    assert audit.data["applied"] == 7
    assert audit.data["cursor"] == 7


def test_a_restarted_pull_continues_from_the_cursor(key):
    applier = RecordingApplier(set(KNOWN))
    transport = HonestTransport(_events(key, 10))
    first = feed_pull(producer=PRODUCER, transport=transport, applier=applier, max_events=4)
    assert (first.applied, first.cursor) == (4, 4)
    second = feed_pull(producer=PRODUCER, transport=transport, applier=applier)
    assert (second.applied, second.cursor) == (6, 10)
    assert transport.calls[1][0] == 4  # asked for events after the stored cursor
    assert applier.applied == list(range(1, 11))
    nothing = feed_pull(producer=PRODUCER, transport=transport, applier=applier)
    assert (nothing.received, nothing.cursor) == (0, 10)
    assert AuditEvent.objects.filter(action="exchange.feed.pulled").count() == 2


def test_replayed_events_are_logged_as_duplicates_and_not_applied(key):
    applier = RecordingApplier(set(KNOWN))
    events = _events(key, 4)
    transport = ScriptedTransport([events[:3], [events[1], events[2], events[3]]])
    result = feed_pull(producer=PRODUCER, transport=transport, applier=applier)
    assert applier.applied == [1, 2, 3, 4]
    assert (result.applied, result.duplicate, result.cursor) == (4, 2, 4)
    assert _log() == [(1, "applied"), (2, "applied"), (3, "applied"),
                      (2, "duplicate"), (3, "duplicate"), (4, "applied")]  # fmt: skip


def test_a_page_of_nothing_but_replays_stops_instead_of_looping(key):
    applier = RecordingApplier(set(KNOWN))
    events = _events(key, 2)
    feed_pull(producer=PRODUCER, transport=HonestTransport(events), applier=applier)
    replay = ScriptedTransport([events, events, events])
    result = feed_pull(producer=PRODUCER, transport=replay, applier=applier)
    assert (result.duplicate, result.applied, result.cursor) == (2, 0, 2)
    assert "no event after sequence 2" in result.stopped
    assert applier.applied == [1, 2]


def test_a_gap_stops_the_pull_and_nothing_after_it_is_applied(key):
    applier = RecordingApplier(set(KNOWN))
    events = _events(key, 6)
    transport = ScriptedTransport([[events[0], events[1], events[3], events[4]]])
    result = feed_pull(producer=PRODUCER, transport=transport, applier=applier)
    assert applier.applied == [1, 2]
    assert result.cursor == 2
    assert _cursor() == 2
    assert result.stopped.startswith("gap: expected sequence 3, received 4")
    assert _log() == [(1, "applied"), (2, "applied"), (4, "rejected")]
    # Once the producer delivers the missing event, the pull carries on from there.
    again = feed_pull(producer=PRODUCER, transport=HonestTransport(events), applier=applier)
    assert (again.applied, again.cursor) == (4, 6)
    assert applier.applied == [1, 2, 3, 4, 5, 6]


def test_a_tampered_event_is_rejected_and_the_pull_stops_before_it(key):
    applier = RecordingApplier(set(KNOWN))
    events = _events(key, 4)
    events[1] = {**events[1], "personal_id": "001090000029"}  # changed after signing
    result = feed_pull(producer=PRODUCER, transport=HonestTransport(events), applier=applier)
    assert applier.applied == [1]
    assert result.cursor == 1
    assert result.rejected == 1
    assert result.stopped.startswith("signature: event 2 is not signed by a trusted key")
    rejected = ReceivedMessage.objects.get(sequence=2)
    assert (rejected.outcome, rejected.signature_ok) == ("rejected", False)
    assert "001090000029" in rejected.raw  # what was received is kept, as received


def test_an_event_signed_by_another_key_is_rejected(key):
    stranger = Ed25519PrivateKey.generate()
    applier = RecordingApplier(set(KNOWN))
    result = feed_pull(
        producer=PRODUCER, transport=HonestTransport(_events(stranger, 2)), applier=applier
    )
    assert applier.applied == []
    assert result.cursor == 0
    assert "signature" in result.stopped


def test_an_event_for_an_unknown_person_is_rejected_with_the_reason_and_passed(key):
    applier = RecordingApplier(set(KNOWN))
    events = _events(key, 3)
    events[1] = signed_event(key, 2, "099999999999", EventType.PERSON_DIED)
    result = feed_pull(producer=PRODUCER, transport=HonestTransport(events), applier=applier)
    assert applier.applied == [1, 3]
    assert (result.applied, result.rejected, result.cursor, result.stopped) == (2, 1, 3, "")
    rejected = ReceivedMessage.objects.get(sequence=2)
    assert rejected.outcome == "rejected"
    assert rejected.signature_ok
    assert rejected.detail.startswith("personal_id: PERSON_NOT_IN_REGISTRY: ")


def test_a_signed_but_malformed_event_is_rejected_with_the_field_and_passed(key):
    applier = RecordingApplier(set(KNOWN))
    events = _events(key, 2)
    events[0] = signing.sign({**signing.unsigned_part(events[0]), "occurred_on": "2026-02-30"}, key)
    result = feed_pull(producer=PRODUCER, transport=HonestTransport(events), applier=applier)
    assert applier.applied == [2]
    assert result.cursor == 2
    detail = ReceivedMessage.objects.get(sequence=1).detail
    assert detail.startswith("occurred_on: NOT_A_DATE_VALUE: ")
    assert "2026-02-30" in detail


def test_an_applier_failing_half_way_leaves_no_partial_writes(key):
    def applier(event, *, producer):
        FeedCursor.objects.create(producer="written-by-a-failing-applier")
        raise InvalidInput.single("data", "EVENT_NOTHING_TO_CORRECT")  # refused after writing

    result = feed_pull(
        producer=PRODUCER, transport=HonestTransport(_events(key, 1)), applier=applier
    )
    assert result.rejected == 1
    assert result.cursor == 1
    assert not FeedCursor.objects.filter(producer="written-by-a-failing-applier").exists()


def test_without_a_trusted_key_nothing_is_fetched():
    transport = HonestTransport([])
    with pytest.raises(InvalidInput, match="producer: PRODUCER_NOT_TRUSTED"):
        feed_pull(producer=PRODUCER, transport=transport, applier=RecordingApplier(set()))
    assert transport.calls == []


def test_a_feed_answering_as_another_producer_is_refused(key):
    transport = HonestTransport(_events(key, 1), producer="someone-else")
    with pytest.raises(InvalidInput, match="producer: FEED_OTHER_PRODUCER"):
        feed_pull(producer=PRODUCER, transport=transport, applier=RecordingApplier(set(KNOWN)))
    assert not ReceivedMessage.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"\xff", "not UTF-8 JSON"),
        (b"[]", "must be a JSON object"),
        (b'{"producer": "p", "events": [1], "last_sequence": 0}', "'events' must be a list"),
        (b'{"producer": "p", "events": [], "last_sequence": -1}', "'last_sequence'"),
        (b'{"events": [], "last_sequence": 0}', "'producer'"),
    ],
)
def test_malformed_pages_are_refused_naming_the_field(body, message):
    with pytest.raises(TransportError, match=message):
        parse_page(body)
