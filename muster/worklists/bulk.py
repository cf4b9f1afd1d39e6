"""Set-based upkeep of the first-registration worklist: one INSERT … SELECT … WHERE NOT EXISTS,
one UPDATE for items whose person moved, then `settle.work_items_settle` over the communes to
close what no longer applies.

The same SQL runs on PostgreSQL and SQLite (commune ids bound as one array: `= ANY(%s)` on
PostgreSQL, `json_each(%s)` on SQLite). Idempotent: a second run with the same register
changes nothing and returns zero counts. Only actions, tasks and commands call it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from muster import audit
from muster.geo.models import AdminUnit
from muster.people.models import LifeStatus, Sex
from muster.worklists import deferral, hooks, rules, settle
from muster.worklists.models import WorkItem, WorkSource
from muster.worklists.rules import Kind


@dataclass(frozen=True)
class RefreshCounts:
    """Items created for newly due men, moved after their person, and open items of the
    communes closed as no longer due (of any kind: the records settled them)."""

    created: int
    moved: int
    withdrawn: int

    @property
    def changed(self) -> int:
        return self.created + self.moved + self.withdrawn


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _member(column: str, commune_ids: list[int]) -> tuple[str, list[Any]]:
    """`column` is one of the communes, bound as one parameter."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [commune_ids]
    return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(commune_ids)]


def _in_communes(column: str, commune_ids: list[int] | None) -> tuple[str, list[Any]]:
    """` AND column IN (the communes)`, or nothing for all communes."""
    if commune_ids is None:
        return "", []
    member, params = _member(column, commune_ids)
    return f" AND {member}", params


def worklist_refresh_registration(
    *,
    year: int,
    commune_ids: Iterable[int] | None = None,
    source: str = WorkSource.REFRESH,
) -> RefreshCounts:
    """Bring `year`'s due-for-first-registration items in line with the register.

    Creates the missing item for every living man of the communes (all when None) who turns
    17 in `year` or is of service age and never registered (rules.due_for_first_registration:
    MSL Art. 12(1), Art. 16(1) as amended by L98 Art. 4(5)); moves open items to the commune
    the man now lives in; closes open items no longer due (he registered, died, or his sex or
    birth date was corrected: `settle.work_items_settle`). Resolved items are never
    re-created. One transaction, audited once when anything was created or moved.
    """
    if source not in WorkSource.values:
        raise ValueError(f"unknown source {source!r}")
    ids = sorted(set(commune_ids)) if commune_ids is not None else None
    first, last = rules.first_registration_list_window(year)
    registered, registered_params = settle.registered_sql(timezone.localdate())
    kind = Kind.DUE_FIRST_REGISTRATION
    key = str(year)
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    due_on = ops.adapt_datefield_value(rules.first_registration_list_due_on(year))
    born_from, born_to = ops.adapt_datefield_value(first), ops.adapt_datefield_value(last)
    items, person = _q(WorkItem._meta.db_table), _q("people_person")
    due = "p.sex = %s AND p.life_status = %s AND p.birth_date >= %s AND p.birth_date <= %s"
    due_params: list[Any] = [Sex.MALE, LifeStatus.ALIVE, born_from, born_to]

    person_filter, person_filter_params = _in_communes("p.residence_commune_id", ids)
    insert = (
        f"INSERT INTO {items} (kind, person_id, commune_id, {_q('key')}, year, due_on, detail, "
        "source, source_ref, created_at, resolution_note) "
        f"SELECT %s, p.id, p.residence_commune_id, %s, %s, %s, '{{}}', %s, '', %s, '' "
        f"FROM {person} p WHERE {due}{person_filter} AND p.id NOT IN ({registered}) "
        f"AND NOT EXISTS (SELECT 1 FROM {items} w "
        f"WHERE w.kind = %s AND w.person_id = p.id AND w.{_q('key')} = %s) "
        "ON CONFLICT DO NOTHING"
    )
    insert_params = [
        kind, key, year, due_on, source, now,
        *due_params, *person_filter_params, *registered_params, kind, key,
    ]  # fmt: skip

    # An open item follows its man to his new commune (moves loaded by ingest, not the feed).
    moved_filter = ""
    moved_filter_params: list[Any] = []
    if ids is not None:
        # Leaving or joining the communes refreshed: either end counts.
        to_member, to_params = _member("p.residence_commune_id", ids)
        from_member, from_params = _member(f"{items}.commune_id", ids)
        moved_filter = f" AND ({to_member} OR {from_member})"
        moved_filter_params = [*to_params, *from_params]
    move = (
        f"UPDATE {items} SET commune_id = (SELECT p.residence_commune_id FROM {person} p "
        f"WHERE p.id = {items}.person_id) "
        f"WHERE kind = %s AND {_q('key')} = %s AND resolved_at IS NULL AND EXISTS "
        f"(SELECT 1 FROM {person} p WHERE p.id = {items}.person_id "
        f"AND p.residence_commune_id <> {items}.commune_id{moved_filter})"
    )
    move_params = [kind, key, *moved_filter_params]

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(move, move_params)
        moved = max(cursor.rowcount, 0)
        withdrawn = settle.work_items_settle(commune_ids=ids).closed
        cursor.execute(insert, insert_params)
        created = max(cursor.rowcount, 0)
        counts = RefreshCounts(created=created, moved=moved, withdrawn=withdrawn)
        if created or moved:
            audit.record(
                "worklists.registration.refreshed",
                actor=None,
                target=(WorkItem._meta.label_lower, "*"),
                data={
                    "year": year,
                    "communes": len(ids) if ids is not None else "all",
                    "source": source,
                    "created": created,
                    "moved": moved,
                    "withdrawn": withdrawn,
                },
            )
    return counts


@dataclass(frozen=True)
class SyncCounts:
    """Items the sources called for that were opened (or opened again), and items of any
    kind the records settled and closed."""

    opened: int
    reopened: int
    closed: int


@transaction.atomic
def work_items_sync(
    *,
    person_ids: Iterable[int] | None = None,
    unit_ids: Iterable[int] | None = None,
    commune_ids: Iterable[int] | None = None,
    today: date | None = None,
    source: str = WorkSource.REFRESH,
) -> SyncCounts:
    """Open the items the apps' item sources (`hooks.register_item_source`) call for, and
    close those their records settled (`settle.work_items_settle`).

    With `person_ids` or `unit_ids`: only the items of those persons and units (what an
    action just wrote); otherwise every item of the communes (all when None: the refresh).
    Idempotent: existing items stay as they are (an occasion's key is unique), an item the
    system closed opens again only for a source registered with `reopen`. One audit event per
    commune and kind opened. Inside `work_items_deferred`, a sync of persons and units is
    gathered and run at the block's end (returning zeros here).
    """
    if source not in WorkSource.values:
        raise ValueError(f"unknown source {source!r}")
    today = today or timezone.localdate()
    few = person_ids is not None or unit_ids is not None
    persons = sorted(set(person_ids or ())) if few else None
    units = sorted(set(unit_ids or ())) if few else None
    communes = sorted(set(commune_ids)) if commune_ids is not None else None
    if (
        few
        and communes is None
        and deferral.defer_sync(person_ids=persons, unit_ids=units, today=today, source=source)
    ):
        return SyncCounts(opened=0, reopened=0, closed=0)  # run at the batch's end
    narrow = hooks.Narrow(person_ids=persons, unit_ids=units, commune_ids=communes)
    opened = reopened = 0
    for registered in hooks.item_sources().values():
        due = [d for d in registered.source(today=today, narrow=narrow) if d.kind in Kind.ALL]
        if not due:
            continue
        o, r = _open_due(due, source=source, reopen=registered.reopen)
        opened += o
        reopened += r
    if few:
        closed = settle.work_items_settle(person_ids=persons, unit_ids=units, today=today).closed
    else:
        closed = settle.work_items_settle(commune_ids=communes, today=today).closed
    return SyncCounts(opened=opened, reopened=reopened, closed=closed)


@contextmanager
def work_items_deferred() -> Iterator[None]:
    """Within the block, the syncs and settles the actions ask for a few persons and units
    are gathered (`deferral`) and run once for all of them, each for the day it was asked
    for, when the block ends without an exception (one transaction). A block inside another
    leaves them to the outer one. For batches of writes: the items open afterwards are those
    one sync per write would leave open."""
    if deferral.active() is not None:
        yield
        return
    pending = deferral.Pending()
    token = deferral.start(pending)
    try:
        yield
    finally:
        deferral.stop(token)
    with transaction.atomic():
        for (today, source), (persons, units) in sorted(pending.syncs.items()):
            work_items_sync(person_ids=persons, unit_ids=units, today=today, source=source)
        for today, (persons, units) in sorted(pending.settles.items()):
            settle.work_items_settle(person_ids=persons, unit_ids=units, today=today)


def _existing(due: list[hooks.Due]) -> dict[tuple[str, int | None, int | None, str], WorkItem]:
    kinds = sorted({d.kind for d in due})
    persons = sorted({d.person_id for d in due if d.person_id is not None})
    units = sorted({d.org_unit_id for d in due if d.org_unit_id is not None})
    found: dict[tuple[str, int | None, int | None, str], WorkItem] = {}
    for start in range(0, max(len(persons), len(units), 1), settle.CHUNK):
        query = WorkItem.objects.filter(kind__in=kinds).filter(
            Q(person_id__in_array=persons[start : start + settle.CHUNK])
            | Q(person__isnull=True, org_unit_id__in_array=units[start : start + settle.CHUNK])
        )
        for item in query.only("id", "kind", "person_id", "org_unit_id", "key", "resolved_by"):
            found[(item.kind, item.person_id, item.org_unit_id, item.key)] = item
    return found


def _open_due(due: list[hooks.Due], *, source: str, reopen: bool) -> tuple[int, int]:
    existing = _existing(due)
    now = timezone.now()
    new = [d for d in {d.identity: d for d in due}.values() if d.identity not in existing]
    again = [
        existing[d.identity].pk
        for d in due
        if reopen
        and d.identity in existing
        and existing[d.identity].resolved_at is not None
        and existing[d.identity].resolved_by_id is None
    ]
    WorkItem.objects.bulk_create(
        [
            WorkItem(
                kind=d.kind,
                person_id=d.person_id,
                org_unit_id=d.org_unit_id if d.person_id is None else None,
                commune_id=d.commune_id,
                key=d.key,
                year=d.year,
                due_on=d.due_on,
                detail=d.detail,
                source=source,
                created_at=now,
            )
            for d in new
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    for start in range(0, len(again), settle.CHUNK):
        WorkItem.objects.filter(pk__in_array=again[start : start + settle.CHUNK]).update(
            resolved_at=None, resolution_note=""
        )
    codes = dict(
        AdminUnit.objects.filter(pk__in_array=sorted({d.commune_id for d in new})).values_list(
            "id", "code"
        )
    )
    groups: dict[tuple[str, str], int] = defaultdict(int)
    for d in new:
        groups[(codes.get(d.commune_id, ""), d.kind)] += 1
    for (commune_code, kind), count in sorted(groups.items()):
        audit.record(
            "worklists.items.opened",
            actor=None,
            target=(WorkItem._meta.label_lower, "*"),
            data={"kind": kind, "count": count, "source": source},
            commune_code=commune_code,
        )
    if again:
        audit.record(
            "worklists.items.reopened",
            actor=None,
            target=(WorkItem._meta.label_lower, "*"),
            data={"items": again, "source": source},
        )
    return len(new), len(again)
