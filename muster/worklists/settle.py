"""Who is of concern to the worklists, and closing the items the records have settled.

One mechanism keeps every worklist true: after any write that can change whether an item is
still due — a registration recorded on the person page or imported from a spreadsheet, a
change-feed event, a reserve entry, the yearly refresh — the writer calls `work_items_settle`
for the persons it wrote (or for whole communes). It re-asks, set-based, whether each open
item of those persons is still due under the rule it cites and closes those that are not, as
the system (resolved_by NULL) with a note saying why, audited in the caller's transaction.

What the records of the higher apps mean comes through `worklists.hooks`:
- on a register: any registered roll (military service, reserve, militia) holds the person;
- registered: a first-registration record exists (registration, service, reserve, exemption);
- item closers: an app's own rule, e.g. a registration at the new commune after a move.

Rules of this module (the item kinds' legal bases are in rules.REASONS):
- due for first registration: closes when he registers (or a record shows he need not), dies,
  or a correction takes him out of the list's men (sex, birth date);
- transfer in / out: closes when he is no longer on any register; apps close it when the move
  is recorded (conscription: his registration at the new commune);
- death: closes when he is on no register after the day he died — each app's death closer
  (`hooks.deceased_close_records`) ends his militia and reserve records on that day, so the
  death of someone only on those registers settles itself; apps close it when the removal from
  their register is recorded (conscription: his registration removed, MSL Art. 19).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from muster import audit
from muster.people.models import LifeStatus, Person, Sex
from muster.worklists import deferral, hooks, rules
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind


def on_register_q(day: date, field: str = "id", *, among: list[int] | None = None) -> Q:
    """Persons (through `field`, a person id) on any register on `day`; nobody without one.
    `among` narrows each register's set to those person ids first (a few persons: an index
    lookup each, not the whole register)."""
    return _any(field, [persons(day=day) for persons in hooks.rolls().values()], among)


def registered_q(day: date, field: str = "id", *, among: list[int] | None = None) -> Q:
    """Persons whose first registration is done or not required on `day`."""
    return _any(
        field, [persons(day=day) for persons in hooks.first_registrations().values()], among
    )


def _any(field: str, sets: list[QuerySet[Any]], among: list[int] | None) -> Q:
    if among is not None:
        sets = [persons.filter(person_id__in_array=among) for persons in sets]
    if not sets:
        return Q(pk__in=[])
    combined = Q(**{f"{field}__in": sets[0]})
    for persons in sets[1:]:
        combined |= Q(**{f"{field}__in": persons})
    return combined


def person_on_register(person: Person, day: date) -> bool:
    """Whether any register holds `person` on `day`."""
    return any(
        persons(day=day).filter(person_id=person.pk).exists() for persons in hooks.rolls().values()
    )


def person_registered(person: Person, day: date) -> bool:
    """Whether `person`'s first registration is done or not required on `day`."""
    return any(
        persons(day=day).filter(person_id=person.pk).exists()
        for persons in hooks.first_registrations().values()
    )


def registered_sql(day: date) -> tuple[str, list[object]]:
    """The ids of `registered_q`'s persons as one SQL subquery with its parameters, for the
    refresh's raw SQL."""
    query = Person.objects.filter(registered_q(day)).values("id").query
    try:
        sql, params = query.sql_with_params()
    except EmptyResultSet:  # no app keeps registration records: nobody is registered
        return "SELECT 0 WHERE 1 = 0", []
    return sql, list(params)


@dataclass
class SettleCounts:
    """Items closed per kind."""

    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def closed(self) -> int:
        return sum(self.by_kind.values())


CHUNK = 5000
DIED = "Died: no longer due (closed by the system)."
REGISTERED = "Registered for military service, or a record shows he need not register."
NOT_IN_LIST = "No longer among the men the list holds (the register was corrected)."
OFF_REGISTER = "No longer on any military register (closed by the system)."
OFF_REGISTERS_AT_DEATH = "Taken off every military register at his death (closed by the system)."


def _first_registration(
    open_items: QuerySet[WorkItem], today: date, among: list[int] | None
) -> dict[int, str]:
    items = open_items.filter(kind=Kind.DUE_FIRST_REGISTRATION)
    notes: dict[int, str] = {}
    notes.update(dict.fromkeys(
        items.exclude(person__life_status=LifeStatus.ALIVE).values_list("id", flat=True), DIED
    ))  # fmt: skip
    years = {year for year in items.values_list("year", flat=True) if year is not None}
    for year in sorted(years):
        first, last = rules.first_registration_list_window(year)
        outside = items.filter(year=year).exclude(
            person__sex=Sex.MALE, person__birth_date__gte=first, person__birth_date__lte=last
        )
        for item_id in outside.values_list("id", flat=True):
            notes.setdefault(item_id, NOT_IN_LIST)
    registered = items.filter(registered_q(today, "person_id", among=among))
    for item_id in registered.values_list("id", flat=True):
        notes.setdefault(item_id, REGISTERED)
    return notes


def _sourced(open_items: QuerySet[WorkItem], today: date) -> dict[int, str]:
    """Open items of a source's kinds the source no longer yields: its records settled them."""
    notes: dict[int, str] = {}
    for registered in hooks.item_sources().values():
        rows = list(
            open_items.filter(kind__in=registered.kinds).values_list(
                "id", "kind", "person_id", "org_unit_id", "key"
            )
        )
        if not rows:
            continue
        narrow = hooks.Narrow(
            person_ids=sorted({r[2] for r in rows if r[2] is not None}),
            unit_ids=sorted({r[3] for r in rows if r[3] is not None}),
        )
        due = {d.identity for d in registered.source(today=today, narrow=narrow)}
        for item_id, *identity in rows:
            if tuple(identity) not in due:
                notes[item_id] = registered.note
    return notes


def _off_register(
    open_items: QuerySet[WorkItem], today: date, among: list[int] | None
) -> dict[int, str]:
    items = open_items.filter(kind__in=(Kind.TRANSFER_IN, Kind.TRANSFER_OUT))
    if not items.exists():
        return {}
    off = items.exclude(on_register_q(today, "person_id", among=among))
    return dict.fromkeys(off.values_list("id", flat=True), OFF_REGISTER)


def _off_registers_at_death(
    open_items: QuerySet[WorkItem], among: list[int] | None
) -> dict[int, str]:
    """Death items of dead persons on no register the day after they died: the registers'
    death closers ended every record (militia, reserve), nothing is left to remove. Asked
    per death date (few: these items are the deaths of registered persons not yet settled)."""
    items = open_items.filter(
        kind=Kind.DECEASED, person__life_status=LifeStatus.DEAD, person__died_on__isnull=False
    )
    notes: dict[int, str] = {}
    days: set[date] = {d for d in items.values_list("person__died_on", flat=True) if d}
    for died_on in sorted(days):
        after = died_on + timedelta(days=1)
        off = items.filter(person__died_on=died_on).exclude(
            on_register_q(after, "person_id", among=among)
        )
        notes.update(dict.fromkeys(off.values_list("id", flat=True), OFF_REGISTERS_AT_DEATH))
    return notes


@transaction.atomic
def work_items_settle(
    *,
    person_ids: Iterable[int] | None = None,
    commune_ids: Iterable[int] | None = None,
    today: date | None = None,
    unit_ids: Iterable[int] | None = None,
) -> SettleCounts:
    """Close the open items of these persons and org units (or communes; all when all are
    None) that are no longer due. Idempotent; one audit event per commune and kind closed.
    Inside `bulk.work_items_deferred`, a settle of persons and units is gathered and run at
    the block's end (returning no counts here)."""
    today = today or timezone.localdate()
    open_items = WorkItem.objects.filter(resolved_at__isnull=True)
    among = sorted(set(person_ids)) if person_ids is not None else None
    units = sorted(set(unit_ids)) if unit_ids is not None else None
    few = among is not None or units is not None
    if few and commune_ids is None and deferral.defer_settle(among, units, today=today):
        return SettleCounts()  # run at the end of `bulk.work_items_deferred`
    if few:
        among = among or []
        open_items = open_items.filter(
            Q(person_id__in_array=among) | Q(org_unit_id__in_array=units or [])
        )
    if commune_ids is not None:
        open_items = open_items.filter(commune_id__in_array=sorted(set(commune_ids)))
    if not open_items.exists():
        return SettleCounts()
    notes = _first_registration(open_items, today, among)
    for item_id, note in _off_register(open_items, today, among).items():
        notes.setdefault(item_id, note)
    for item_id, note in _sourced(open_items, today).items():
        notes.setdefault(item_id, note)
    for registered in hooks.item_closers().values():
        found = registered.closer(items=open_items.filter(kind__in=registered.kinds), today=today)
        for item_id, note in found.items():
            notes.setdefault(item_id, note)
    # After the apps' closers, whose notes say more (e.g. the registration's removal date).
    for item_id, note in _off_registers_at_death(open_items, among).items():
        notes.setdefault(item_id, note)
    if not notes:
        return SettleCounts()
    return _close(notes)


def _close(notes: dict[int, str]) -> SettleCounts:
    now = timezone.now()
    ids = sorted(notes)
    rows: list[tuple[int, str, str, str | None, str | None]] = []
    for start in range(0, len(ids), CHUNK):  # bounded parameter lists on SQLite too
        rows += WorkItem.objects.filter(
            pk__in_array=ids[start : start + CHUNK], resolved_at__isnull=True
        ).values_list("id", "kind", "commune__code", "person__personal_id", "org_unit__code")
    rows.sort(key=lambda row: (row[2], row[1], row[0]))
    by_note: dict[str, list[int]] = defaultdict(list)
    groups: dict[tuple[str, str], list[tuple[int, str]]] = defaultdict(list)
    for item_id, kind, commune_code, personal_id, unit_code in rows:
        by_note[notes[item_id]].append(item_id)
        groups[(commune_code, kind)].append((item_id, personal_id or unit_code or ""))
    for note, item_ids in by_note.items():
        for start in range(0, len(item_ids), CHUNK):
            WorkItem.objects.filter(pk__in_array=item_ids[start : start + CHUNK]).update(
                resolved_at=now, resolution_note=note
            )
    counts: dict[str, int] = defaultdict(int)
    for (commune_code, kind), members in groups.items():
        counts[kind] += len(members)
        audit.record(
            "worklists.items.settled",
            actor=None,
            # One item: its id, as for a resolution by staff; several: all of them in `data`.
            target=(WorkItem._meta.label_lower, str(members[0][0]) if len(members) == 1 else "*"),
            data={
                "kind": kind,
                "count": len(members),
                "items": {str(i): [pid, notes[i]] for i, pid in members},
            },
            commune_code=commune_code,
        )
    return SettleCounts(dict(sorted(counts.items())))
