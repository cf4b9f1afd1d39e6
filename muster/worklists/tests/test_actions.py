"""Opening is idempotent, resolving is scope-checked and audited, items follow a move."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from muster.accounts.models import Role
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput, NotFound, PermissionDenied
from muster.geo.models import AdminUnit
from muster.people.models import Person
from muster.people.tests.factories import make_person
from muster.worklists import actions, hooks
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind


def _open(person: Person, commune: AdminUnit, **kw: Any) -> actions.Opened:
    values: dict[str, Any] = {
        "kind": Kind.DUE_FIRST_REGISTRATION,
        "person": person,
        "commune": commune,
        "key": "2026",
        "year": 2026,
        "source": "feed",
        "acting_user": None,
    }
    values.update(kw)
    return actions.work_item_open(**values)


def test_open_is_idempotent_and_audited(world):
    person = make_person(world.communes[0], birth_date=date(2009, 5, 1))
    first = _open(person, world.communes[0])
    again = _open(person, world.communes[0])
    assert first.created
    assert not again.created
    assert again.item.pk == first.item.pk
    assert WorkItem.objects.count() == 1
    event = AuditEvent.objects.get(action="worklists.item.opened")
    assert (event.actor_label, event.commune_code) == ("system", "99001")


def test_open_refuses_unknown_kind_and_source(world):
    person = make_person(world.communes[0])
    with pytest.raises(InvalidInput) as exc:
        _open(person, world.communes[0], kind="nonsense", source="email")
    assert {e.field for e in exc.value.errors} == {"kind", "source"}


def test_open_by_staff_is_scoped(world):
    person = make_person(world.communes[2])
    staff = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    with pytest.raises(NotFound):
        _open(person, world.communes[2], acting_user=staff)


def test_resolve_records_who_when_and_note(world):
    person = make_person(world.communes[0])
    item = _open(person, world.communes[0]).item
    staff = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    resolved = actions.work_item_resolve(item=item, note="  Đã lập danh sách ", acting_user=staff)
    assert resolved.resolved_by == staff
    assert resolved.resolved_at is not None
    assert resolved.resolution_note == "Đã lập danh sách"
    event = AuditEvent.objects.get(action="worklists.item.resolved")
    assert event.actor == staff
    assert event.commune_code == "99001"
    assert event.data["note"] == "Đã lập danh sách"
    with pytest.raises(InvalidInput) as exc:
        actions.work_item_resolve(item=item, note="again", acting_user=staff)
    assert exc.value.errors[0].field == "item"


def test_resolve_out_of_scope_is_not_found_and_auditor_is_refused(world):
    item = _open(make_person(world.communes[2]), world.communes[2]).item
    staff = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    with pytest.raises(NotFound):
        actions.work_item_resolve(item=item, note="", acting_user=staff)
    auditor = world.user("kt", Role.AUDITOR, world.provincial)
    with pytest.raises(PermissionDenied):
        actions.work_item_resolve(item=item, note="", acting_user=auditor)
    assert WorkItem.objects.get(pk=item.pk).resolved_at is None
    assert not AuditEvent.objects.filter(action="worklists.item.resolved").exists()


def test_resolve_note_too_long(world):
    item = _open(make_person(world.communes[0]), world.communes[0]).item
    with pytest.raises(InvalidInput) as exc:
        actions.work_item_resolve(item=item, note="x" * 1001, acting_user=None)
    assert exc.value.errors[0].field == "note"


def test_reopen_only_what_the_system_withdrew(world):
    person = make_person(world.communes[0])
    item = _open(person, world.communes[0]).item
    actions.work_item_resolve(item=item, note="withdrawn", acting_user=None)
    again = _open(person, world.communes[1], reopen=True)
    assert again.reopened
    assert again.item.resolved_at is None
    assert again.item.commune == world.communes[1]
    staff = world.user("xa2", Role.COMMUNE_STAFF, world.commune_commands[1])
    actions.work_item_resolve(item=item, note="registered", acting_user=staff)
    kept = _open(person, world.communes[1], reopen=True)
    assert not kept.reopened
    assert kept.item.resolved_by == staff


def test_items_move_with_the_person(world):
    person = make_person(world.communes[0])
    due = _open(person, world.communes[0]).item
    transfer = _open(person, world.communes[0], kind=Kind.TRANSFER_OUT, key="a>b@2026-01-01").item
    moved = actions.work_items_move(
        person=person,
        to_commune=world.communes[2],
        kinds=[Kind.DUE_FIRST_REGISTRATION],
        acting_user=None,
    )
    assert moved == 1
    due.refresh_from_db()
    transfer.refresh_from_db()
    assert (due.commune, transfer.commune) == (world.communes[2], world.communes[0])
    assert AuditEvent.objects.get(action="worklists.item.moved").data["from"] == "99001"


def test_death_hook_runs_every_registered_closer(world):
    person = make_person(world.communes[0])
    calls = []

    def closer(*, person, died_on, acting_user):
        calls.append((person.pk, died_on, acting_user))
        return 2

    hooks.register_death_closer("test_closer", closer)
    try:
        closed = hooks.deceased_close_records(
            person=person, died_on=date(2026, 1, 2), acting_user=None
        )
    finally:
        hooks.unregister_death_closer("test_closer")
    # Installed apps (active service, reserve, militia) register their own closers; they close nothing here.
    assert closed["test_closer"] == 2
    assert {name: n for name, n in closed.items() if name != "test_closer"} == dict.fromkeys(
        set(closed) - {"test_closer"}, 0
    )
    assert calls == [(person.pk, date(2026, 1, 2), None)]
    again = hooks.deceased_close_records(person=person, died_on=date(2026, 1, 2), acting_user=None)
    assert "test_closer" not in again
