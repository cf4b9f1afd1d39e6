"""How records tied to units follow a restructuring: the participant registry.

The restructure engine (`muster.restructure`, docs/restructure.md) decides what happens to the
units — which end, which successor takes their records, where each person of a split ward goes —
and keeps its journal, the order, the locks and the choice of path (batched, or on PostgreSQL
the rewrite-and-swap fast path). It writes none of the records tied to units: each app that
keeps such records registers one `Participant` from its AppConfig.ready(), implemented in its
own `bulk` module, which moves its own tables set-based and audits that in the same transaction:

    from muster.core.restructuring import Participant, register_participant
    from muster.militia import bulk

    register_participant(
        Participant(
            "militia",
            plan=bulk.restructure_plan,
            apply=bulk.restructure_apply,
            revert=bulk.restructure_revert,
        )
    )

A participant sees the plan through a `Journal`: SQL it joins — the units' successors, the split
decisions, its own journal rows — and a way to journal rows with a SELECT, never rows in Python.
This module sits in core, below every app, so any app can take part.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from django.db import connection

from muster.core.tableswap import Steps

Counts = dict[str, int]  # what a call changed, e.g. {"persons": 6}


class Journal(Protocol):
    """A plan as a participant sees it. Every `…()` method returns a parenthesised SQL FROM
    item (no parameters) to join; `add` journals what a SELECT yields.

    Dates travel through the journal as proleptic ordinals (`date.toordinal()`); the helpers
    `date_ordinal_sql` and `ordinal_date_sql` convert in SQL on either database.
    """

    plan_id: int
    day: date  # the effective day: what follows a unit starts on it
    before: date  # the day before: the last day of what ends
    batch: int  # the journal batch this call writes (0 when only planning)
    limit: int | None  # a batched participant moves at most this many records now; None: all
    rewrite: bool  # the PostgreSQL fast path: rewrite `Participant.rewrites` and swap them in
    steps: Steps  # seconds per named step, for the apply report

    def successors(self, unit_type: str) -> str:
        """(old_id, new_id): each unit of `unit_type` ("admin" or "org") that ends and the
        default successor its records go to. Units abolished, or kept by their step, are not
        in it (see `ending`)."""
        ...

    def ending(self, unit_type: str) -> str:
        """(unit_id, new_id): every unit a step of the plan ends; new_id is the default
        successor, the unit itself when its step keeps it, NULL when it is abolished."""
        ...

    def choices(self) -> str:
        """(person_id, commune_id): where each person of a split ward goes (the reviewer's
        decision, else the proposal); persons not in it follow `successors("admin")`."""
        ...

    def rows(self, record_type: str, *, this_batch: bool = False) -> str:
        """(record_id, old_value, new_value, flags, batch): the journal rows of `record_type`
        for this plan (only this call's batch with `this_batch`)."""
        ...

    def add(self, record_type: str, select: str, params: Sequence[Any] = ()) -> int:
        """Journal every row of `select` (columns record_id, old_value, new_value, flags) as
        `record_type` (≤ 10 characters) in this batch; returns how many. `rows` shows them."""
        ...


@dataclass(frozen=True)
class UnitMove:
    """Records of one kind that would move from one unit to another, for the plan page."""

    record_type: str  # "person", "user", "territory", "militia" …
    unit_type: str  # "admin" | "org": what old_id and new_id are
    old_id: int
    new_id: int
    count: int
    commune_id: int | None = None  # the commune whose staff see this move (None: national)


@dataclass(frozen=True)
class UnitCount:
    """Records left on a unit that ends without a successor (an orphan, for the coverage)."""

    unit_type: str
    unit_id: int
    count: int


@dataclass
class PlanCounts:
    """What `Participant.plan` reports: the moves it would make and the records orphaned."""

    moves: list[UnitMove] = field(default_factory=list)
    orphans: list[UnitCount] = field(default_factory=list)


@dataclass(frozen=True)
class Participant:
    """One app's part in every restructuring (module docstring).

    * `plan(journal)`: counts only, changes nothing (the plan page, coverage and gaps);
    * `apply(journal, day, acting_user)`: moves the app's records, journals each with
      `journal.add` so revert can put it back, records one audit event with its counts and
      returns them; called inside the engine's transaction;
    * `revert(journal, acting_user)`: puts back what `journal.rows` says, one audit event.

    `batched` participants (many records: persons) run first, in resumable batches of
    `journal.limit` records, each call its own transaction, until a call moves nothing; on the
    fast path once, with `journal.rewrite` set, rewriting the tables named in `rewrites`
    (locked up front by the engine, see `muster.core.tableswap`). The others run once, in the
    transaction that marks the plan applied. Apply runs batched participants first, then by
    name; revert in the reverse order.
    """

    name: str
    plan: Callable[[Journal], PlanCounts]
    apply: Callable[[Journal, date, Any], Counts]
    revert: Callable[[Journal, Any], Counts]
    batched: bool = False
    rewrites: tuple[str, ...] = ()


_PARTICIPANTS: dict[str, Participant] = {}


def register_participant(participant: Participant) -> None:
    """Add (or replace, so a reloaded app does not register twice) `participant`."""
    _PARTICIPANTS[participant.name] = participant


def unregister_participant(name: str) -> None:
    """Remove a participant (tests; an app being switched off)."""
    _PARTICIPANTS.pop(name, None)


def participants() -> list[Participant]:
    """Every registered participant in apply order: batched ones first, then by name."""
    return sorted(_PARTICIPANTS.values(), key=lambda p: (not p.batched, p.name))


def date_ordinal_sql(column: str) -> str:
    """SQL for the proleptic ordinal of a date column (`date.toordinal()`; NULL stays NULL)."""
    if connection.vendor == "postgresql":
        return f"({column} - DATE '0001-01-01' + 1)"
    return f"CAST(julianday({column}) - julianday('0001-01-01') + 1 AS INTEGER)"


def ordinal_date_sql(expression: str) -> str:
    """SQL for the date a proleptic ordinal stands for (NULL stays NULL)."""
    if connection.vendor == "postgresql":
        return f"(DATE '0001-01-01' + CAST({expression} - 1 AS INTEGER))"
    return f"date(julianday('0001-01-01') + {expression} - 1)"


def fresh_ids_sql(table: str, order_by: str) -> str:
    """SQL numbering each row of a SELECT with a new id of `table` (its `id` column), drawn
    before the rows exist so they can be journaled first: PostgreSQL's sequence; on SQLite, on
    from the highest id ever given (one writer at a time), in `order_by` order."""
    if connection.vendor == "postgresql":
        return f"nextval(pg_get_serial_sequence('{table}', 'id'))"
    return (
        f"(SELECT MAX(n) FROM (SELECT MAX(id) AS n FROM {table} UNION ALL "
        f"SELECT seq FROM sqlite_sequence WHERE name = '{table}' UNION ALL SELECT 0)) "
        f"+ ROW_NUMBER() OVER (ORDER BY {order_by})"
    )
