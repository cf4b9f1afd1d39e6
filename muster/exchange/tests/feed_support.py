"""Signed events, in-memory transports and a recording applier for feed tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from muster.core.errors import InvalidInput
from muster.exchange import signing
from muster.exchange.adapter import FeedPage
from muster.exchange.events import EventType, FeedEvent

PRODUCER = "popreg"


def signed_event(
    key: Ed25519PrivateKey, sequence: int, personal_id: str, kind: str = EventType.PERSON_MOVED
) -> dict[str, Any]:
    data: dict[str, Any] = {
        EventType.PERSON_ADDED: {"full_name": "Lò Văn Dũng", "sex": "M"},
        EventType.PERSON_MOVED: {"residence_commune_code": "02611", "address": "Thôn 3"},
        EventType.PERSON_DIED: {"died_on": "2026-01-02"},
    }.get(kind, {})
    body = {
        "sequence": sequence,
        "type": kind,
        "personal_id": personal_id,
        "occurred_on": "2026-01-02",
        "data": data,
    }
    return signing.sign(body, key)


@dataclass
class HonestTransport:
    """Serves the events after `after`, like a correct producer."""

    events: list[dict[str, Any]]
    producer: str = PRODUCER
    calls: list[tuple[int, int]] = field(default_factory=list)

    def fetch(self, after: int, limit: int) -> FeedPage:
        self.calls.append((after, limit))
        chosen = [e for e in self.events if e["sequence"] > after][:limit]
        last = max((e["sequence"] for e in self.events), default=0)
        return FeedPage(self.producer, tuple(chosen), last)


@dataclass
class ScriptedTransport:
    """Returns the given pages in turn whatever is asked (replays, gaps, tampering), then none."""

    pages: list[list[dict[str, Any]]]
    producer: str = PRODUCER

    def fetch(self, after: int, limit: int) -> FeedPage:
        # The producer's newest sequence is the highest it will ever send in this script.
        last = max((e["sequence"] for page in self.pages for e in page), default=after)
        events = self.pages.pop(0) if self.pages else []
        return FeedPage(self.producer, tuple(events), last)


@dataclass(frozen=True)
class Outcome:
    applied: bool
    detail: str


@dataclass
class RecordingApplier:
    """Stands in for exchange.apply.apply_event: knows a set of people, records what it applied."""

    known: set[str]
    applied: list[int] = field(default_factory=list)

    def __call__(self, event: FeedEvent, *, producer: str) -> Outcome:
        if event.type == EventType.PERSON_ADDED:
            self.known.add(event.personal_id)
        elif event.personal_id not in self.known:
            raise InvalidInput.single("personal_id", "PERSON_NOT_IN_REGISTRY")
        self.applied.append(event.sequence)
        return Outcome(True, f"{event.type} {event.personal_id}")
