"""Writes to persons: create, update (with residence history), record facts. Each audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date, timedelta
from typing import Any, TypedDict

from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.core.errors import FieldError, InvalidInput, NotFound
from muster.geo.models import AdminUnit
from muster.people import rules
from muster.people.models import FactKind, LifeStatus, Person, PersonFact, ResidencePeriod
from muster.people.queries import commune_2025


@dataclass(frozen=True, kw_only=True)
class PersonInput:
    """A new person, with the population register's field names."""

    personal_id: str
    full_name: str
    sex: str
    birth_date: date
    residence_commune_code: str
    ethnicity: str = ""
    address: str = ""
    household_id: str = ""
    phone: str = ""
    life_status: str = LifeStatus.ALIVE
    died_on: date | None = None
    source: str = "manual"


class PersonChanges(TypedDict, total=False):
    """Fields `person_update` may change; absent keys stay as they are."""

    full_name: str
    sex: str
    birth_date: date
    residence_commune_code: str
    ethnicity: str
    address: str
    household_id: str
    phone: str
    life_status: str
    died_on: date | None


CHANGEABLE = frozenset(PersonChanges.__annotations__)
_TEXT_LIMITS = {"ethnicity": 40, "address": 255, "household_id": 20, "phone": 20}


def _validate(state: Mapping[str, Any]) -> tuple[str, AdminUnit | None]:
    """Every rule over a full person state; raises one InvalidInput naming all bad fields."""
    today = timezone.localdate()
    errors: list[FieldError] = []
    errors += rules.personal_id_errors(state["personal_id"])
    name = ""
    try:
        name = rules.normalise_name(state["full_name"])
    except InvalidInput as exc:
        errors += exc.errors
    if len(name) > 120:
        errors.append(FieldError("full_name", "TOO_LONG", {"limit": 120}))
    errors += rules.sex_errors(state["sex"])
    birth_date = state["birth_date"]
    if birth_date is not None and not isinstance(birth_date, date):
        errors.append(FieldError("birth_date", "NOT_A_DATE"))
        birth_date = None
    else:
        errors += rules.birth_date_errors(birth_date, today=today)
    died_on = state["died_on"]
    if died_on is not None and not isinstance(died_on, date):
        errors.append(FieldError("died_on", "NOT_A_DATE"))
    else:
        errors += rules.died_on_errors(state["life_status"], died_on, birth_date, today=today)
    for field_name, limit in _TEXT_LIMITS.items():
        errors += rules.text_errors(field_name, state[field_name])
        if len(state[field_name]) > limit:
            errors.append(FieldError(field_name, "TOO_LONG", {"limit": limit}))
    commune = commune_2025(state["residence_commune_code"])
    if commune is None:
        errors.append(
            FieldError(
                "residence_commune_code",
                "COMMUNE_NOT_2025",
                {"code": state["residence_commune_code"]},
            )
        )
    if errors:
        raise InvalidInput(errors)
    return name, commune


def _snapshot(person: Person) -> dict[str, Any]:
    return {
        "full_name": person.full_name,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "residence_commune_code": person.residence_commune.code,
        "ethnicity": person.ethnicity,
        "address": person.address,
        "household_id": person.household_id,
        "phone": person.phone,
        "life_status": person.life_status,
        "died_on": person.died_on,
    }


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


@transaction.atomic
def person_create(*, data: PersonInput, acting_user: User | None) -> Person:
    """Add a person resident in a commune the acting user covers, with the initial residence.

    ID mismatches with sex or birth year are stored as warnings, not refused (Law on
    Identification 2023 Art. 12; domain-rules §5.3).
    """
    permissions.require(acting_user, "people.register")
    state = {f.name: getattr(data, f.name) for f in fields(data)}
    name, commune = _validate(state)
    assert commune is not None  # _validate raised otherwise
    permissions.require(acting_user, "people.register", commune_id=commune.pk)
    if Person.objects.filter(personal_id=data.personal_id).exists():
        raise InvalidInput.single("personal_id", "PERSONAL_ID_TAKEN")
    person = Person.objects.create(
        personal_id=data.personal_id,
        full_name=name,
        search_key=rules.search_key(name),
        given_key=rules.given_key(name),
        sex=data.sex,
        birth_date=data.birth_date,
        ethnicity=data.ethnicity,
        residence_commune=commune,
        address=data.address,
        household_id=data.household_id,
        phone=data.phone,
        life_status=data.life_status,
        died_on=data.died_on,
        id_warnings=rules.join_warnings(
            rules.personal_id_warnings(data.personal_id, data.sex, data.birth_date)
        ),
        source=data.source,
    )
    # The move-in date is unknown for a first record: the period is open at both ends.
    ResidencePeriod.objects.create(person=person, commune=commune, address=data.address)
    after = {k: _jsonable(v) for k, v in _snapshot(person).items()}
    audit.record(
        "people.person.created",
        actor=acting_user,
        target=person,
        data={"after": {"personal_id": person.personal_id, **after}},
        commune_code=commune.code,
    )
    return person


def _move(person: Person, commune: AdminUnit, address: str, day: date) -> None:
    """Close the open residence period the day before `day` and open one from `day`."""
    open_periods = ResidencePeriod.objects.select_for_update().filter(
        person=person, valid_to__isnull=True
    )
    # A period opened today is superseded today: it never held for a whole day.
    open_periods.filter(valid_from=day).delete()
    open_periods.update(valid_to=day - timedelta(days=1))
    ResidencePeriod.objects.create(person=person, commune=commune, address=address, valid_from=day)


@transaction.atomic
def person_update(
    *, person: Person, changes: PersonChanges | Mapping[str, Any], acting_user: User | None
) -> Person:
    """Change a person's fields; audit before/after of what changed.

    A new residence commune closes the current ResidencePeriod (yesterday) and opens one from
    today, so counts can be asked as of any date. ID warnings are recomputed.
    """
    permissions.require(acting_user, "people.edit")
    changes = dict(changes)  # a plain mapping: the TypedDict is for callers' type checks
    person = (
        Person.objects.select_for_update()
        .select_related("residence_commune")
        .filter(pk=person.pk)
        .first()
        or person
    )
    if not permissions.covers(acting_user, commune_id=person.residence_commune_id):
        raise NotFound("PERSON_NOT_FOUND", {"personal_id": person.personal_id})
    unknown = sorted(set(changes) - CHANGEABLE - {"personal_id"})
    errors = [FieldError(name, "FIELD_FIXED") for name in unknown]
    if "personal_id" in changes and changes["personal_id"] != person.personal_id:
        errors.append(FieldError("personal_id", "PERSONAL_ID_FIXED"))
    if errors:
        raise InvalidInput(errors)
    before = _snapshot(person)
    state = {**before, "personal_id": person.personal_id}
    state.update({k: v for k, v in changes.items() if k in CHANGEABLE})
    if state["life_status"] == LifeStatus.ALIVE and "died_on" not in changes:
        state["died_on"] = None  # back to alive: the death date goes with it
    name, commune = _validate(state)
    assert commune is not None
    state["full_name"] = name
    changed = {k for k in CHANGEABLE if state[k] != before[k]}
    if not changed:
        return person
    moved = commune.pk != person.residence_commune_id
    if moved:
        permissions.require(acting_user, "people.edit", commune_id=commune.pk)

    for key in changed - {"residence_commune_code"}:
        setattr(person, key, state[key])
    person.residence_commune = commune
    person.search_key = rules.search_key(name)
    person.given_key = rules.given_key(name)
    person.id_warnings = rules.join_warnings(
        rules.personal_id_warnings(person.personal_id, person.sex, person.birth_date)
    )
    person.save()
    if moved:
        _move(person, commune, person.address, timezone.localdate())
    elif "address" in changed:
        ResidencePeriod.objects.filter(person=person, valid_to__isnull=True).update(
            address=person.address
        )
    audit.record(
        "people.person.updated",
        actor=acting_user,
        target=person,
        data={
            "before": {k: _jsonable(before[k]) for k in sorted(changed)},
            "after": {k: _jsonable(state[k]) for k in sorted(changed)},
        },
        commune_code=commune.code,
    )
    return person


@transaction.atomic
def person_move(
    *, person: Person, to_commune_code: str, address: str, moved_on: date, acting_user: User | None
) -> tuple[Person, AdminUnit]:
    """Record that a person of the acting user's commune moved to another commune on
    `moved_on`: the residence changes and the history gets a period from that day. The
    commune he leaves records it (MSL Art. 17(2)(a): deregistered where he leaves): the
    acting user covers the old commune, not necessarily the new one. Returns the person and
    the commune he left. The worklists' transfer items are opened by
    `worklists.actions.person_move_record`, which calls this."""
    person = (
        Person.objects.select_for_update()
        .select_related("residence_commune")
        .filter(pk=person.pk)
        .first()
        or person
    )
    old = person.residence_commune
    permissions.require(acting_user, "people.move", commune_id=old.pk)
    today = timezone.localdate()
    errors = rules.text_errors("address", address)
    address = rules.normalise_text(address)
    if len(address) > _TEXT_LIMITS["address"]:
        errors.append(FieldError("address", "TOO_LONG", {"limit": _TEXT_LIMITS["address"]}))
    commune = commune_2025(to_commune_code)
    if commune is None:
        errors.append(FieldError("to_commune_code", "COMMUNE_NOT_2025", {"code": to_commune_code}))
    elif commune.pk == old.pk:
        errors.append(FieldError("to_commune_code", "MOVE_SAME_COMMUNE"))
    if moved_on > today:
        errors.append(FieldError("moved_on", "DATE_IN_FUTURE", {"day": moved_on}))
    since = (
        ResidencePeriod.objects.filter(person=person, valid_to__isnull=True)
        .exclude(valid_from__isnull=True)
        .order_by("-valid_from")
        .values_list("valid_from", flat=True)
        .first()
    )
    if since is not None and moved_on <= since:
        errors.append(FieldError("moved_on", "MOVE_BEFORE_RESIDENCE", {"day": since}))
    if person.life_status != LifeStatus.ALIVE:
        errors.append(FieldError("moved_on", "MOVE_PERSON_DEAD"))
    if errors:
        raise InvalidInput(errors)
    assert commune is not None
    before = {"residence_commune_code": old.code, "address": person.address}
    person.residence_commune = commune
    person.address = address
    person.save(update_fields=["residence_commune", "address", "updated_at"])
    _move(person, commune, address, moved_on)
    audit.record(
        "people.person.updated",
        actor=acting_user,
        target=person,
        data={
            "before": before,
            "after": {"residence_commune_code": commune.code, "address": address},
            "moved_on": moved_on.isoformat(),
        },
        commune_code=old.code,
    )
    return person, old


@transaction.atomic
def person_fact_record(
    *,
    person: Person,
    kind: str,
    value: str,
    recorded_on: date,
    source: str,
    acting_user: User,
) -> PersonFact:
    """Record Muster's own fact (education level or occupation) with its date and source."""
    permissions.require(acting_user, "people.edit")
    if not permissions.covers(acting_user, commune_id=person.residence_commune_id):
        raise NotFound("PERSON_NOT_FOUND", {"personal_id": person.personal_id})
    errors = rules.text_errors("value", value) + rules.text_errors("source", source)
    if kind not in FactKind.values:
        errors.append(FieldError("kind", "NOT_ONE_OF", {"choices": FactKind.values}))
    value = rules.normalise_text(value)
    if not value or len(value) > 120:
        errors.append(FieldError("value", "LENGTH_RANGE", {"limit": 120}))
    if recorded_on > timezone.localdate():
        errors.append(FieldError("recorded_on", "DATE_IN_FUTURE", {"day": recorded_on}))
    source = rules.normalise_text(source)
    if not source or len(source) > 80:
        errors.append(FieldError("source", "LENGTH_RANGE", {"limit": 80}))
    if errors:
        raise InvalidInput(errors)
    fact = PersonFact.objects.create(
        person=person, kind=kind, value=value, recorded_on=recorded_on, source=source
    )
    audit.record(
        "people.fact.recorded",
        actor=acting_user,
        target=fact,
        data={
            "person": person.personal_id,
            "kind": kind,
            "value": value,
            "recorded_on": recorded_on.isoformat(),
            "source": source,
        },
        commune_code=person.residence_commune.code,
    )
    return fact
