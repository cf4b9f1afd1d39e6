"""Writes to work items: open (idempotent), resolve, move with the person. Each audited.

`acting_user=None` is the system: the population register's change feed, ingest or refresh.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.core.errors import FieldError, InvalidInput, NotFound
from muster.core.text import nfc
from muster.geo.models import AdminUnit
from muster.people import actions as people_actions
from muster.people.models import Person
from muster.worklists import rules, settle
from muster.worklists.models import WorkItem, WorkSource
from muster.worklists.rules import Kind

NOTE_MAX = 1000


@dataclass(frozen=True)
class Opened:
    """The item asked for, and whether this call created it or reopened a withdrawn one."""

    item: WorkItem
    created: bool
    reopened: bool = False


@transaction.atomic
def work_item_open(
    *,
    kind: str,
    person: Person,
    commune: AdminUnit,
    source: str,
    key: str = "",
    source_ref: str = "",
    year: int | None = None,
    due_on: date | None = None,
    detail: dict[str, Any] | None = None,
    reopen: bool = False,
    acting_user: User | None,
) -> Opened:
    """Open a work item on `commune`'s worklist unless (kind, person, key) already has one.

    Idempotent: a second call returns the existing item (created=False). With `reopen`, an
    item the system withdrew (resolved with no user) opens again on `commune`, e.g. when a
    correction brings a man back into the 17-year cohort; a resolution by staff stands.
    """
    errors: list[FieldError] = []
    if kind not in Kind.ALL:
        errors.append(FieldError("kind", "NOT_ONE_OF", {"choices": sorted(Kind.ALL)}))
    if source not in WorkSource.values:
        errors.append(FieldError("source", "NOT_ONE_OF", {"choices": WorkSource.values}))
    if len(key) > 100 or len(source_ref) > 100:
        errors.append(FieldError("key", "TOO_LONG", {"limit": 100}))
    if errors:
        raise InvalidInput(errors)
    permissions.require(acting_user, "worklists.item.open")
    if not permissions.covers(acting_user, commune_id=commune.pk):
        raise NotFound("COMMUNE_NOT_FOUND", {"code": commune.code})
    return _open(
        kind=kind,
        person=person,
        commune=commune,
        source=source,
        key=key,
        source_ref=source_ref,
        year=year,
        due_on=due_on,
        detail=detail,
        reopen=reopen,
        acting_user=acting_user,
    )


def _open(
    *,
    kind: str,
    person: Person,
    commune: AdminUnit,
    source: str,
    key: str,
    source_ref: str,
    year: int | None,
    due_on: date | None,
    detail: dict[str, Any] | None,
    reopen: bool,
    acting_user: User | None,
) -> Opened:
    """`work_item_open` once the caller is allowed to put the item on `commune`'s list."""
    existing = (
        WorkItem.objects.select_for_update().filter(kind=kind, person=person, key=key).first()
    )
    if existing is not None:
        if reopen and existing.resolved_at is not None and existing.resolved_by_id is None:
            before = existing.commune.code
            existing.resolved_at = None
            existing.resolution_note = ""
            existing.commune = commune
            existing.save(update_fields=["resolved_at", "resolution_note", "commune"])
            audit.record(
                "worklists.item.reopened",
                actor=acting_user,
                target=existing,
                data={"kind": kind, "person": person.personal_id, "commune_before": before},
                commune_code=commune.code,
            )
            return Opened(existing, created=False, reopened=True)
        return Opened(existing, created=False)
    try:
        # A savepoint: a concurrent opener hitting the unique constraint leaves our outer
        # transaction usable, and we return the item it created.
        with transaction.atomic():
            item = WorkItem.objects.create(
                kind=kind,
                person=person,
                commune=commune,
                key=key,
                year=year,
                due_on=due_on,
                detail=detail or {},
                source=source,
                source_ref=source_ref,
            )
    except IntegrityError:
        return Opened(WorkItem.objects.get(kind=kind, person=person, key=key), created=False)
    audit.record(
        "worklists.item.opened",
        actor=acting_user,
        target=item,
        data={
            "kind": kind,
            "person": person.personal_id,
            "key": key,
            "source": source,
            "source_ref": source_ref,
            "due_on": due_on.isoformat() if due_on else None,
        },
        commune_code=commune.code,
    )
    return Opened(item, created=True)


@transaction.atomic
def work_item_resolve(*, item: WorkItem, note: str, acting_user: User | None) -> WorkItem:
    """Mark an open item done, with a note saying what was done.

    Staff may resolve items of communes in their jurisdiction (another commune's item is
    NotFound, as if absent); auditors may not resolve. `acting_user=None` is the system
    withdrawing work that no longer applies (e.g. a correction moved the person out of the
    cohort).
    """
    permissions.require(acting_user, "worklists.resolve")
    # The row as it is now (it may have moved since `item` was read), checked under its lock.
    locked = (
        # Only the item's row is locked: person and unit are nullable joins, which PostgreSQL
        # cannot lock.
        WorkItem.objects.select_for_update(of=("self",))
        .select_related("commune", "person", "org_unit")
        .get(pk=item.pk)
    )
    if not permissions.covers(acting_user, commune_id=locked.commune_id):
        raise NotFound("WORK_ITEM_NOT_FOUND", {"id": item.pk})
    note = nfc(note or "").strip()
    errors: list[FieldError] = []
    if locked.resolved_at is not None:
        errors.append(FieldError("item", "WORK_ITEM_RESOLVED"))
    if len(note) > NOTE_MAX:
        errors.append(FieldError("note", "TOO_LONG", {"limit": NOTE_MAX}))
    if errors:
        raise InvalidInput(errors)
    locked.resolved_at = timezone.now()
    locked.resolved_by = acting_user
    locked.resolution_note = note
    locked.save(update_fields=["resolved_at", "resolved_by", "resolution_note"])
    audit.record(
        "worklists.item.resolved",
        actor=acting_user,
        target=locked,
        data={
            "kind": locked.kind,
            "person": locked.person.personal_id if locked.person else None,
            "unit": locked.org_unit.code if locked.org_unit else None,
            "note": note,
        },
        commune_code=locked.commune.code,
    )
    return locked


@transaction.atomic
def work_items_move(
    *, person: Person, to_commune: AdminUnit, kinds: Iterable[str], acting_user: User | None
) -> int:
    """Move the person's open items of `kinds` to `to_commune` (the person moved there);
    returns how many moved. Transfers stay where they are: both communes have work to do."""
    permissions.require(acting_user, "worklists.item.open")
    if not permissions.covers(acting_user, commune_id=to_commune.pk):
        raise NotFound("COMMUNE_NOT_FOUND", {"code": to_commune.code})
    return _move_items(person, to_commune, kinds, acting_user)


def _move_items(
    person: Person, to_commune: AdminUnit, kinds: Iterable[str], acting_user: User | None
) -> int:
    """`work_items_move` once the caller is allowed to move them there."""
    items = list(
        WorkItem.objects.select_for_update(of=("self",))
        .select_related("commune")
        .filter(person=person, kind__in=list(kinds), resolved_at__isnull=True)
        .exclude(commune=to_commune)
    )
    for item in items:
        before = item.commune.code
        item.commune = to_commune
        item.save(update_fields=["commune"])
        audit.record(
            "worklists.item.moved",
            actor=acting_user,
            target=item,
            data={"kind": item.kind, "person": person.personal_id, "from": before},
            commune_code=to_commune.code,
        )
    return len(items)


@dataclass(frozen=True)
class MoveRecorded:
    """A move recorded from the person page: the person, the commune he left, the transfer
    items opened (none when no register held him) and the items that followed him."""

    person: Person
    left: AdminUnit
    transfers: list[WorkItem]
    followed: int


@transaction.atomic
def person_move_record(
    *,
    person: Person,
    to_commune_code: str,
    address: str,
    moved_on: date,
    acting_user: User | None,
) -> MoveRecorded:
    """A commune officer records that a person of the commune moved to another commune
    (REG_CHANGE_RESIDENCE_DAYS, MSL Art. 17(2)(a)): the residence moves (`people.actions.
    person_move`), his open first-registration and correction items follow him, and for
    someone on a register a `transfer_out` item on this commune's list and a `transfer_in`
    item on the new commune's, both due 10 working days after the move, as the change feed
    opens them. The receiving commune lies outside the officer's jurisdiction: the law makes
    the move its work, so its item is put on its list here, and nothing of it is shown back.
    Both items close themselves when the new commune registers him (conscription's
    `transfers_registered`) or no register holds him any more (`settle`)."""
    person, left = people_actions.person_move(
        person=person,
        to_commune_code=to_commune_code,
        address=address,
        moved_on=moved_on,
        acting_user=acting_user,
    )
    commune = person.residence_commune
    followed = _move_items(
        person, commune, [Kind.DUE_FIRST_REGISTRATION, Kind.REGISTER_CORRECTION], acting_user
    )
    transfers: list[WorkItem] = []
    # A transfer of registration concerns only someone on a register (MSL Art. 17(2)(a)).
    if settle.person_on_register(person, moved_on):
        key = f"{left.code}>{commune.code}@{moved_on.isoformat()}"
        detail = {
            "from": {"code": left.code, "name": left.name},
            "to": {"code": commune.code, "name": commune.name},
            "moved_on": moved_on.isoformat(),
        }
        for kind, unit in ((Kind.TRANSFER_OUT, left), (Kind.TRANSFER_IN, commune)):
            opened = _open(
                kind=kind,
                person=person,
                commune=unit,
                source=WorkSource.MANUAL,
                key=key,
                source_ref="",
                year=None,
                due_on=rules.transfer_due_on(moved_on),
                detail=detail,
                reopen=False,
                acting_user=acting_user,
            )
            transfers.append(opened.item)
    settle.work_items_settle(person_ids=[person.pk])
    return MoveRecorded(person, left, transfers, followed)
