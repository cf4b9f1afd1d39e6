"""The one hook through which later record types close their records when a person dies.

Active service, militia and reserve records arrive in later issues. Each of those apps
registers a closer from its AppConfig.ready():

    from muster.worklists.hooks import register_death_closer
    register_death_closer("militia", militia_actions.militia_close_for_death)

`deceased_close_records` (called by exchange.apply for `person.died`, inside the event's
transaction) runs every closer; a closer writes through its own audited action and returns
how many records it closed. The `deceased` work item stays open for staff either way: the
removal from the register is reported to and decided by the commune chairman (MSL Art. 19 as
amended by L98 Art. 4(7)).
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from django.db import transaction

from muster.accounts.models import User
from muster.people.models import Person


class DeathCloser(Protocol):
    def __call__(self, *, person: Person, died_on: date, acting_user: User | None) -> int: ...


_DEATH_CLOSERS: dict[str, DeathCloser] = {}


def register_death_closer(name: str, closer: DeathCloser) -> None:
    """Add (or replace, so a reloaded app does not register twice) the closer called `name`."""
    _DEATH_CLOSERS[name] = closer


def unregister_death_closer(name: str) -> None:
    """Remove a closer (tests; an app being switched off)."""
    _DEATH_CLOSERS.pop(name, None)


@transaction.atomic
def deceased_close_records(
    *, person: Person, died_on: date, acting_user: User | None
) -> dict[str, int]:
    """Run every registered closer for a person who died; {closer name: records closed}."""
    return {
        name: closer(person=person, died_on=died_on, acting_user=acting_user)
        for name, closer in sorted(_DEATH_CLOSERS.items())
    }
