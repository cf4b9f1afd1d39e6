"""The domain effect of one verified change-feed event: `apply_event`.

The feed (exchange.feed) verifies the signature, checks the sequence and calls
`apply_event` inside its own transaction together with the cursor update and the message log;
this module opens only nested atomic blocks (savepoints) on the same connection, so a refused
event leaves nothing behind.

Every write goes through `people.actions` and `worklists.actions` with `acting_user=None`, the
population register itself (audited as "system"). An event that cannot be applied raises
`InvalidInput` naming the field: an unknown person (every type but person.added), an unknown
2025 commune code, a malformed date or sex, fields the event type does not carry.

Decisions:
- `person.added` for a personal ID already in the registry is idempotent when the register
  fields are identical (applied=False) and refused otherwise: a changed person arrives as a
  correction or move event, never as a second "added".
- Re-applying an event changes nothing and creates no second work item: unchanged persons are
  left alone, and work items are unique per (kind, person, key) (see worklists.models).
- The work belongs to the current year: "due for first registration this year" means the year
  the event is applied in.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.core.errors import FieldError, InvalidInput
from muster.exchange.events import CORRECTABLE_FIELDS, EventType, FeedEvent
from muster.geo.models import AdminUnit
from muster.people import actions as people_actions
from muster.people import rules as people_rules
from muster.people.models import LifeStatus, Person
from muster.people.queries import commune_2025
from muster.worklists import actions as work
from muster.worklists import hooks, settle
from muster.worklists import rules as work_rules
from muster.worklists.models import WorkSource
from muster.worklists.rules import Kind

# The register's own record source on persons it adds (Person.source).
PERSON_SOURCE = "popreg"
ADDED_FIELDS = frozenset(
    {
        "full_name",
        "sex",
        "birth_date",
        "ethnicity",
        "residence_commune_code",
        "address",
        "household_id",
        "life_status",
        "died_on",
    }
)
ADDED_REQUIRED = frozenset({"full_name", "sex", "birth_date", "residence_commune_code"})


@dataclass(frozen=True)
class ApplyOutcome:
    """Whether the event changed anything, and what it did (for the message log)."""

    applied: bool
    detail: str


@dataclass(frozen=True)
class _Context:
    event: FeedEvent
    producer: str
    today: date

    @property
    def year(self) -> int:
        return self.today.year

    @property
    def source_ref(self) -> str:
        return f"{self.producer}#{self.event.sequence}"[:100]


# --- parsing the event's data ----------------------------------------------------------------


def _check_fields(
    data: Mapping[str, Any], allowed: frozenset[str], required: frozenset[str]
) -> None:
    errors = [FieldError(name, "REQUIRED") for name in sorted(required - set(data))]
    errors += [FieldError(name, "EVENT_FIELD_UNEXPECTED") for name in sorted(set(data) - allowed)]
    if errors:
        raise InvalidInput(errors)


def _date(value: Any, field_name: str) -> date:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput.single(field_name, "NOT_A_DATE_VALUE", {"value": str(value)})


def _optional_date(value: Any, field_name: str) -> date | None:
    return None if value in (None, "") else _date(value, field_name)


def _text(value: Any, field_name: str) -> str:
    if not isinstance(value, str):
        raise InvalidInput.single(field_name, "EVENT_NOT_TEXT", {"value": repr(value)})
    errors = people_rules.text_errors(field_name, value)
    if errors:
        raise InvalidInput(errors)
    return value


def _sex(value: Any) -> str:
    text = _text(value, "sex")
    errors = people_rules.sex_errors(text)
    if errors:
        raise InvalidInput(errors)
    return text


def _commune(value: Any) -> AdminUnit:
    code = _text(value, "residence_commune_code")
    commune = commune_2025(code)
    if commune is None:
        raise InvalidInput.single("residence_commune_code", "COMMUNE_NOT_2025", {"code": code})
    return commune


def _person(event: FeedEvent) -> Person:
    person = (
        Person.objects.select_for_update()
        .select_related("residence_commune")
        .filter(personal_id=event.personal_id)
        .first()
    )
    if person is None:
        raise InvalidInput.single("personal_id", "PERSON_NOT_IN_REGISTRY")
    return person


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _unit(unit: AdminUnit) -> dict[str, str]:
    return {"code": unit.code, "name": unit.name}


# --- work items ------------------------------------------------------------------------------


def _open_due(ctx: _Context, person: Person, *, reopen: bool = False) -> work.Opened | None:
    """The person's first-registration item for this year, if he is due (else None)."""
    if not work_rules.due_for_first_registration(
        person.sex,
        person.birth_date,
        person.life_status,
        ctx.year,
        registered=settle.person_registered(person, ctx.today),
    ):
        return None
    return work.work_item_open(
        kind=Kind.DUE_FIRST_REGISTRATION,
        person=person,
        commune=person.residence_commune,
        key=str(ctx.year),
        year=ctx.year,
        due_on=work_rules.first_registration_list_due_on(ctx.year),
        source=WorkSource.FEED,
        source_ref=ctx.source_ref,
        reopen=reopen,
        acting_user=None,
    )


# --- one handler per event type --------------------------------------------------------------


def _added(ctx: _Context) -> tuple[Person, ApplyOutcome]:
    data = ctx.event.data
    _check_fields(data, ADDED_FIELDS, ADDED_REQUIRED)
    commune = _commune(data["residence_commune_code"])
    values: dict[str, Any] = {
        "full_name": _text(data["full_name"], "full_name"),
        "sex": _sex(data["sex"]),
        "birth_date": _date(data["birth_date"], "birth_date"),
        "ethnicity": _text(data.get("ethnicity", ""), "ethnicity"),
        "address": _text(data.get("address", ""), "address"),
        "household_id": _text(data.get("household_id", ""), "household_id"),
        "life_status": _text(data.get("life_status", LifeStatus.ALIVE), "life_status"),
        "died_on": _optional_date(data.get("died_on"), "died_on"),
    }
    if values["life_status"] not in LifeStatus.values:
        raise InvalidInput.single(
            "life_status", "LIFE_STATUS_INVALID", {"value": values["life_status"]}
        )
    existing = (
        Person.objects.select_related("residence_commune")
        .filter(personal_id=ctx.event.personal_id)
        .first()
    )
    if existing is not None:
        # An unusable name differs from the stored one, which is what the refusal reports.
        with suppress(InvalidInput):
            values["full_name"] = people_rules.normalise_name(values["full_name"])
        differing = sorted(
            name
            for name, value in {**values, "residence_commune_code": commune.code}.items()
            if value
            != (
                existing.residence_commune.code
                if name == "residence_commune_code"
                else getattr(existing, name)
            )
        )
        if differing:
            raise InvalidInput.single(
                "personal_id", "EVENT_BIRTH_OF_REGISTERED", {"fields": differing}
            )
        opened = _open_due(ctx, existing)
        created = bool(opened and opened.created)
        return existing, ApplyOutcome(
            created,
            "already in the registry with the same data"
            + ("; due for first registration" if created else ""),
        )
    person = people_actions.person_create(
        data=people_actions.PersonInput(
            personal_id=ctx.event.personal_id,
            residence_commune_code=commune.code,
            source=PERSON_SOURCE,
            **values,
        ),
        acting_user=None,
    )
    detail = f"added to {commune.code}"
    if _open_due(ctx, person):
        detail += f"; due for first registration in {ctx.year}"
    return person, ApplyOutcome(True, detail)


def _died(ctx: _Context) -> tuple[Person, ApplyOutcome]:
    data = ctx.event.data
    _check_fields(data, frozenset({"died_on"}), frozenset({"died_on"}))
    died_on = _date(data["died_on"], "died_on")
    person = _person(ctx.event)
    changed = person.life_status != LifeStatus.DEAD or person.died_on != died_on
    if changed:
        person = people_actions.person_update(
            person=person,
            changes={"life_status": LifeStatus.DEAD, "died_on": died_on},
            acting_user=None,
        )
    # Only the death of someone on a register (military service, reserve, militia) is work
    # for the command: the removal from the register (MSL Art. 19 as amended by L98).
    opened = None
    if settle.person_on_register(person, died_on):
        opened = work.work_item_open(
            kind=Kind.DECEASED,
            person=person,
            commune=person.residence_commune,
            due_on=work_rules.removal_report_due_on(ctx.today),
            detail={"died_on": died_on.isoformat()},
            source=WorkSource.FEED,
            source_ref=ctx.source_ref,
            acting_user=None,
        )
    created = bool(opened and opened.created)
    parts = [f"died on {died_on.isoformat()}"] if changed else []
    if created or changed:
        closed = hooks.deceased_close_records(person=person, died_on=died_on, acting_user=None)
        parts += [f"{name}: {n} closed" for name, n in closed.items() if n]
    if created:
        parts.append(f"death to report on {person.residence_commune.code}'s worklist")
    return person, ApplyOutcome(changed or created, "; ".join(parts) or "already applied")


def _moved(ctx: _Context) -> tuple[Person, ApplyOutcome]:
    data = ctx.event.data
    _check_fields(
        data,
        frozenset({"residence_commune_code", "address"}),
        frozenset({"residence_commune_code"}),
    )
    commune = _commune(data["residence_commune_code"])
    address = _text(data.get("address", ""), "address")
    person = _person(ctx.event)
    old = person.residence_commune
    changes: dict[str, Any] = {}
    if commune.pk != old.pk:
        # A new commune without an address: the old address no longer holds.
        changes = {"residence_commune_code": commune.code, "address": address}
    elif "address" in data and address != person.address:
        changes = {"address": address}
    if not changes:
        return person, ApplyOutcome(False, "already applied")
    person = people_actions.person_update(person=person, changes=changes, acting_user=None)
    if commune.pk == old.pk:
        return person, ApplyOutcome(True, "address changed")
    moved = work.work_items_move(
        person=person,
        to_commune=commune,
        kinds=[Kind.DUE_FIRST_REGISTRATION, Kind.REGISTER_CORRECTION],
        acting_user=None,
    )
    text = f"moved {old.code} → {commune.code}"
    if moved:
        text += f"; {moved} open item(s) moved along"
    # A transfer of registration concerns only someone on a register (MSL Art. 17(2)(a)).
    if not settle.person_on_register(person, ctx.event.occurred_on):
        return person, ApplyOutcome(True, text)
    key = f"{old.code}>{commune.code}@{ctx.event.occurred_on.isoformat()}"
    detail = {
        "from": _unit(old),
        "to": _unit(commune),
        "moved_on": ctx.event.occurred_on.isoformat(),
    }
    due_on = work_rules.transfer_due_on(ctx.event.occurred_on)
    for kind, unit in ((Kind.TRANSFER_OUT, old), (Kind.TRANSFER_IN, commune)):
        work.work_item_open(
            kind=kind,
            person=person,
            commune=unit,
            key=key,
            due_on=due_on,
            detail=detail,
            source=WorkSource.FEED,
            source_ref=ctx.source_ref,
            acting_user=None,
        )
    return person, ApplyOutcome(True, text + "; transfer out and in opened")


def _corrected_values(data: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name == "birth_date":
            values[name] = _date(value, name)
        elif name == "sex":
            values[name] = _sex(value)
        else:
            values[name] = _text(value, name)
    return values


def _facts(person: Person) -> work_rules.CallUpFacts:
    return work_rules.CallUpFacts(
        full_name=person.full_name,
        sex=person.sex,
        birth_date=person.birth_date,
        life_status=person.life_status,
    )


def _correct(ctx: _Context, allowed: frozenset[str]) -> tuple[Person, ApplyOutcome]:
    data = ctx.event.data
    if not data:
        raise InvalidInput.single("data", "EVENT_NOTHING_TO_CORRECT")
    _check_fields(data, allowed, frozenset())
    values = _corrected_values(data)
    person = _person(ctx.event)
    before = _facts(person)
    snapshot = {name: getattr(person, name) for name in values}
    person = people_actions.person_update(person=person, changes=values, acting_user=None)
    changed = sorted(name for name in values if getattr(person, name) != snapshot[name])
    if not changed:
        return person, ApplyOutcome(False, "already applied")
    after = _facts(person)
    effect = work_rules.correction_effect(
        before, after, ctx.year, registered=settle.person_registered(person, ctx.today)
    )
    parts = [f"corrected {', '.join(changed)}"]
    if effect.becomes_due and _open_due(ctx, person, reopen=True):
        parts.append(f"now due for first registration in {ctx.year}")
    if effect.stops_being_due:  # closed by the settle that follows every event
        parts.append(f"no longer due for first registration in {ctx.year}")
    if effect.needs_review:
        work.work_item_open(
            kind=Kind.REGISTER_CORRECTION,
            person=person,
            commune=person.residence_commune,
            key=ctx.source_ref,
            detail={
                "changed": {
                    name: [_jsonable(getattr(before, name)), _jsonable(getattr(after, name))]
                    for name in effect.changed
                },
                "year": ctx.year,
                "due_before": effect.due_before,
                "due_after": effect.due_after,
            },
            source=WorkSource.FEED,
            source_ref=ctx.source_ref,
            acting_user=None,
        )
        parts.append("correction to review")
    return person, ApplyOutcome(True, "; ".join(parts))


_HANDLERS: dict[str, Callable[[_Context], tuple[Person, ApplyOutcome]]] = {
    EventType.PERSON_ADDED: _added,
    EventType.PERSON_DIED: _died,
    EventType.PERSON_MOVED: _moved,
    EventType.NAME_CHANGED: lambda ctx: _correct(ctx, frozenset({"full_name"})),
    EventType.FIELD_CORRECTED: lambda ctx: _correct(ctx, CORRECTABLE_FIELDS),
}


def apply_event(event: FeedEvent, *, producer: str) -> ApplyOutcome:
    """Apply one verified change-feed event of `producer` to the registry and the worklists.

    - person.added: create the person (and a first-registration item if he is due: a man
      turning 17 this year, or of service age and never registered); identical re-adds are
      no-ops, differing ones are refused.
    - person.died: life status dead and the death date; a `deceased` item on his commune if
      a register held him that day; records of later apps closed through `worklists.hooks`.
    - person.moved: the new residence (with residence history); for someone on a register,
      `transfer_out` on the old and `transfer_in` on the new commune's worklist; open
      first-registration and correction items follow him.
    - person.name_changed / person.field_corrected: the fields updated; the first-registration
      item opened or withdrawn when the correction changes whether he is due this year, and a
      `register_correction` item when call-up facts (name, sex, birth date) changed for
      someone within the register's ages.

    After each event, `worklists.settle` closes the person's items the change settled (a
    death ends his first-registration item; a correction may take him out of the list).
    Raises InvalidInput naming the field when the event cannot be applied; nothing is written
    then. Safe to call twice with the same event. Records "exchange.event.applied" when it
    changed anything (the caller need not).
    """
    handler = _HANDLERS.get(event.type)
    if handler is None:
        raise InvalidInput.single("type", "NOT_ONE_OF", {"choices": sorted(_HANDLERS)})
    if not producer:
        raise InvalidInput.single("producer", "REQUIRED")
    ctx = _Context(event=event, producer=producer, today=timezone.localdate())
    with transaction.atomic():
        person, outcome = handler(ctx)
        # Whatever the event changed, items it settled close now (e.g. his first registration
        # when he died, a correction that takes him out of the list).
        settled = settle.work_items_settle(person_ids=[person.pk], today=ctx.today)
        if settled.closed:
            closed = ", ".join(f"{n} {kind}" for kind, n in settled.by_kind.items())
            outcome = ApplyOutcome(True, f"{outcome.detail}; closed {closed}")
        if outcome.applied:
            audit.record(
                "exchange.event.applied",
                actor=None,
                target=person,
                data={
                    "producer": producer,
                    "sequence": event.sequence,
                    "type": event.type,
                    "occurred_on": event.occurred_on.isoformat(),
                    "detail": outcome.detail,
                },
                commune_code=person.residence_commune.code,
            )
    return outcome
