"""The write chain: every event is MACed with its predecessor under a key kept outside the
database, so an edit, an insertion or a deletion shows (`audit.verify`)."""

from __future__ import annotations

import pytest
from django.db import transaction

from muster import audit
from muster.audit.chain import WRITE, genesis, mac, write_fields
from muster.audit.models import AuditEvent, ChainIdentity
from muster.audit.verify import verify
from muster.core.keys import audit_mac_key

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


def _first_problem_id() -> int | None:
    problem = verify().first(WRITE)
    return problem.event_id if problem else None


def test_events_chain_from_the_genesis_of_this_database():
    _write(3)
    events = list(AuditEvent.objects.order_by("id"))
    identity = ChainIdentity.objects.get().identity
    assert events[0].prev_hash == genesis(audit_mac_key(), WRITE, identity)
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    assert _first_problem_id() is None


def test_editing_an_event_breaks_the_chain_at_that_event():
    _write(3)
    middle = AuditEvent.objects.order_by("id")[1]
    AuditEvent.objects.filter(pk=middle.pk).update(data={"after": {"name": "forged"}})
    assert _first_problem_id() == middle.pk


def test_deleting_an_event_breaks_the_chain_after_it():
    _write(3)
    events = list(AuditEvent.objects.order_by("id"))
    events[1].delete()
    assert _first_problem_id() == events[2].pk


def test_an_edit_with_the_chain_recomputed_without_the_key_is_found():
    """The attack the plain SHA-256 chain let through: edit, then recompute every hash after."""
    import hashlib
    import json

    _write(3)
    events = list(AuditEvent.objects.order_by("id"))
    prev = events[0].prev_hash
    for event in events:
        if event.pk == events[1].pk:
            event.data = {"after": {"name": "forged"}}
        body = json.dumps(write_fields(event), sort_keys=True, separators=(",", ":"))
        new = hashlib.sha256(prev.encode() + body.encode()).hexdigest()
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=prev, hash=new, data=event.data)
        prev = new
    assert _first_problem_id() == events[0].pk


def test_the_mac_covers_the_actor():
    _write(2)
    first = AuditEvent.objects.order_by("id").first()
    assert first is not None
    assert first.hash == mac(audit_mac_key(), WRITE, first.prev_hash, write_fields(first))
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create(username="someone")
    AuditEvent.objects.filter(pk=first.pk).update(actor=user)
    assert _first_problem_id() == first.pk


def test_unregistered_action_is_refused():
    with transaction.atomic(), pytest.raises(ValueError, match="unregistered audit action"):
        audit.record("people.person.teleported", actor=None, target=("x", "1"))


@pytest.mark.django_db(transaction=True)
def test_recording_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside the action's transaction"):
        audit.record("geo.unit.updated", actor=None, target=("x", "1"))
