"""The audit chain: every event hashes its predecessor, so tampering shows."""

from __future__ import annotations

import pytest
from django.db import transaction

from muster import audit
from muster.audit.chain import GENESIS, first_broken_link
from muster.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _write(n: int) -> None:
    for i in range(n):
        with transaction.atomic():
            audit.record(
                "geo.unit.updated",
                actor=None,
                target=("geo.adminunit", str(i)),
                data={"after": {"name": f"Xã {i}"}},
            )


def test_events_chain_from_genesis():
    _write(3)
    events = list(AuditEvent.objects.order_by("id"))
    assert events[0].prev_hash == GENESIS
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert first_broken_link() is None


def test_editing_an_event_breaks_the_chain_at_that_event():
    _write(3)
    middle = AuditEvent.objects.order_by("id")[1]
    AuditEvent.objects.filter(pk=middle.pk).update(data={"after": {"name": "forged"}})
    assert first_broken_link() == middle.pk


def test_deleting_an_event_breaks_the_chain_after_it():
    _write(3)
    events = list(AuditEvent.objects.order_by("id"))
    events[1].delete()
    assert first_broken_link() == events[2].pk


def test_unregistered_action_is_refused():
    with transaction.atomic(), pytest.raises(ValueError, match="unregistered audit action"):
        audit.record("people.person.teleported", actor=None, target=("x", "1"))


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the action's transaction"):
        audit.record("geo.unit.updated", actor=None, target=("x", "1"))
