"""The hooks through which later apps tell the worklists what their records mean.

Worklists sit below the apps that keep military records (reserve, militia, conscription: see
docs/architecture.md), so they cannot read those records themselves. Each of those apps
registers, from its AppConfig.ready():

- a **death closer**: closes its records when a person dies;

      register_death_closer("militia", militia_actions.militia_close_for_death)

  `deceased_close_records` (called by exchange.apply for `person.died`, inside the event's
  transaction) runs every closer; a closer writes through its own audited action and returns
  how many records it closed.
- a **register**: who is on it on a day (`register_roll`). A person on any register is of
  concern to the commune military command: his move needs a transfer (MSL Art. 17(2)(a)), his
  death a removal from the register (MSL Art. 19 as amended by L98 Art. 4(7)).
- a **first-registration record**: who has registered before, served, or was exempted from
  registration (`register_first_registration`). Such a man is not due for first registration
  (MSL Art. 16(1) as amended by L98 Art. 4(5): the list holds men "who have never
  registered").
- an **item closer**: which open items of some kinds its records have settled (e.g. a
  registration at the new commune completes a transfer). `worklists.settle` runs them after
  every write that can change the answer, whichever path wrote it.
- an **item source**: the items of some kinds its records call for now (`Due`), e.g. the
  militia's terms ending within 90 days. `worklists.bulk.work_items_sync` opens the missing
  ones (the refresh for whole communes, the apps' actions for the persons and units they
  wrote), and `worklists.settle` closes an open item of those kinds as soon as its source no
  longer yields it: one rule both opens and closes the item, on every write path.
- a **refresher**: an app's own audited action that opens the items of a day no write calls
  for (a reservist passing the age limit, a certificate nearing expiry: time alone makes them
  due). `muster worklists refresh` runs every refresher after the registration refresh.

The person sets are querysets of one column, `person_id` (`.values("person_id")` of a model
with a `person` foreign key), so the worklists use them inside their own set-based SQL
instead of loading ids, and narrow them by `person_id` when they ask about a few persons.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from django.db import transaction
from django.db.models import QuerySet

from muster.accounts.models import User
from muster.people.models import Person

if TYPE_CHECKING:
    from muster.worklists.models import WorkItem


class DeathCloser(Protocol):
    def __call__(self, *, person: Person, died_on: date, acting_user: User | None) -> int: ...


class PersonSet(Protocol):
    """The persons in the set on `day`: a queryset of one column, `person_id`."""

    def __call__(self, *, day: date) -> QuerySet[Any]: ...


class ItemCloser(Protocol):
    """Of the open `items` (already limited to the closer's kinds), those the app's records
    settle on `today`: {item id: the note saying why}."""

    def __call__(self, *, items: QuerySet[WorkItem], today: date) -> dict[int, str]: ...


@dataclass(frozen=True)
class RegisteredCloser:
    kinds: frozenset[str]
    closer: ItemCloser


@dataclass(frozen=True)
class Due:
    """An item a source's records call for: on a person (or, for `rules.Kind.UNIT_KINDS`, an
    org unit), kept on `commune_id`'s worklist; `key` tells one occasion from the next (a
    term's last day, a year)."""

    kind: str
    commune_id: int
    key: str = ""
    person_id: int | None = None
    org_unit_id: int | None = None
    due_on: date | None = None
    year: int | None = None
    detail: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def identity(self) -> tuple[str, int | None, int | None, str]:
        return (self.kind, self.person_id, self.org_unit_id, self.key)


@dataclass(frozen=True)
class Narrow:
    """Which items a source is asked about: those of `person_ids` and of `unit_ids` (None:
    every person, every unit), on the worklists of `commune_ids` (None: all)."""

    person_ids: list[int] | None = None
    unit_ids: list[int] | None = None
    commune_ids: list[int] | None = None


class ItemSource(Protocol):
    """The items of the source's kinds its records call for on `today`, within `narrow`."""

    def __call__(self, *, today: date, narrow: Narrow) -> list[Due]: ...


@dataclass(frozen=True)
class RegisteredSource:
    kinds: frozenset[str]
    source: ItemSource
    note: str  # why the system closes an item the source no longer yields
    # An item closed by the system opens again when the records call for it again (a command
    # falls below its target once more); otherwise a closed occasion stays closed.
    reopen: bool = False


class Refresher(Protocol):
    """Open the items due on `today` on the worklists of `commune_ids` (None: all), through
    the app's own audited action; idempotent. Returns the items opened."""

    def __call__(self, *, today: date, commune_ids: list[int] | None) -> int: ...


_DEATH_CLOSERS: dict[str, DeathCloser] = {}
_ROLLS: dict[str, PersonSet] = {}
_FIRST_REGISTRATIONS: dict[str, PersonSet] = {}
_ITEM_CLOSERS: dict[str, RegisteredCloser] = {}
_ITEM_SOURCES: dict[str, RegisteredSource] = {}
_REFRESHERS: dict[str, Refresher] = {}


def register_death_closer(name: str, closer: DeathCloser) -> None:
    """Add (or replace, so a reloaded app does not register twice) the closer called `name`."""
    _DEATH_CLOSERS[name] = closer


def unregister_death_closer(name: str) -> None:
    """Remove a closer (tests; an app being switched off)."""
    _DEATH_CLOSERS.pop(name, None)


def register_roll(name: str, persons_on: PersonSet) -> None:
    """A register people are kept on (military service, reserve, militia): who is on it."""
    _ROLLS[name] = persons_on


def register_first_registration(name: str, persons: PersonSet) -> None:
    """Records showing a man's first registration is done or not required (he registered,
    served, is a reservist, or a decision exempts or bars him from registration)."""
    _FIRST_REGISTRATIONS[name] = persons


def register_item_closer(name: str, kinds: Collection[str], closer: ItemCloser) -> None:
    """An app's rule for when its records settle open items of `kinds`."""
    _ITEM_CLOSERS[name] = RegisteredCloser(frozenset(kinds), closer)


def register_item_source(
    name: str, kinds: Collection[str], source: ItemSource, *, note: str, reopen: bool = False
) -> None:
    """An app's rule for which items of `kinds` its records call for (opening and closing)."""
    _ITEM_SOURCES[name] = RegisteredSource(frozenset(kinds), source, note, reopen)


def register_refresher(name: str, refresher: Refresher) -> None:
    """An app's action opening the items that the passing of time makes due."""
    _REFRESHERS[name] = refresher


def refreshers() -> dict[str, Refresher]:
    return dict(sorted(_REFRESHERS.items()))


def item_sources() -> dict[str, RegisteredSource]:
    return dict(sorted(_ITEM_SOURCES.items()))


def rolls() -> dict[str, PersonSet]:
    return dict(sorted(_ROLLS.items()))


def first_registrations() -> dict[str, PersonSet]:
    return dict(sorted(_FIRST_REGISTRATIONS.items()))


def item_closers() -> dict[str, RegisteredCloser]:
    return dict(sorted(_ITEM_CLOSERS.items()))


@transaction.atomic
def deceased_close_records(
    *, person: Person, died_on: date, acting_user: User | None
) -> dict[str, int]:
    """Run every registered closer for a person who died; {closer name: records closed}."""
    return {
        name: closer(person=person, died_on=died_on, acting_user=acting_user)
        for name, closer in sorted(_DEATH_CLOSERS.items())
    }
