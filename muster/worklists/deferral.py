"""Gathering the worklists' upkeep of a batch of writes, to run it once at the batch's end.

Every write path keeps the worklists true by calling `bulk.work_items_sync` or
`settle.work_items_settle` for the few persons and units it wrote. A batch of many writes of
the same kind (the demo's militia intakes: a thousand joins, each asking every item source
about one person) can instead run inside `bulk.work_items_deferred()`: the calls for persons
and units are gathered here (each with the day it was made for) and run once, for all of them,
when the block ends. Since a sync re-asks the sources and closers about the records as they
are, the items open afterwards are the same; what an action opened and a later one in the
batch settled is never opened at all. Calls for whole communes are never deferred.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar, Token
from dataclasses import dataclass, field
from datetime import date

Ids = tuple[set[int], set[int]]  # persons, units


@dataclass
class Pending:
    """The syncs gathered by (day, source) and the settles by day."""

    syncs: dict[tuple[date, str], Ids] = field(default_factory=dict)
    settles: dict[date, Ids] = field(default_factory=dict)


_PENDING: ContextVar[Pending | None] = ContextVar("muster_worklists_pending", default=None)


def active() -> Pending | None:
    return _PENDING.get()


def start(pending: Pending) -> Token[Pending | None]:
    return _PENDING.set(pending)


def stop(token: Token[Pending | None]) -> None:
    _PENDING.reset(token)


def _add(ids: Ids, person_ids: Iterable[int] | None, unit_ids: Iterable[int] | None) -> None:
    ids[0].update(person_ids or ())
    ids[1].update(unit_ids or ())


def defer_sync(
    *,
    person_ids: Iterable[int] | None,
    unit_ids: Iterable[int] | None,
    today: date,
    source: str,
) -> bool:
    """Gather a sync of a few persons and units when a batch is open; False otherwise."""
    pending = _PENDING.get()
    if pending is None:
        return False
    _add(pending.syncs.setdefault((today, source), (set(), set())), person_ids, unit_ids)
    return True


def defer_settle(
    person_ids: Iterable[int] | None, unit_ids: Iterable[int] | None, *, today: date
) -> bool:
    """Gather a settle of a few persons and units when a batch is open; False otherwise."""
    pending = _PENDING.get()
    if pending is None:
        return False
    _add(pending.settles.setdefault(today, (set(), set())), person_ids, unit_ids)
    return True
