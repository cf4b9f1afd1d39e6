"""The engine's side of `core.restructuring.Journal`: one plan's unit mapping, split decisions
and move journal as SQL a participant joins, and journaling from a participant's SELECT.

The mapping (`UnitMapping`) holds every unit a step ends — old id → default successor, the
unit itself when its step keeps it, NULL when abolished — and is built before persons move
(`mapping_build`), so every batch joins one table. On the fast path the journal is rewritten
like the participants' tables: the first `add` stages a copy (`core.tableswap`), `finish`
swaps it in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection

from muster.core.tableswap import Steps, TableSwap, staging_name
from muster.restructure.models import MoveRecord, Plan, SplitCase, UnitMapping, UnitType
from muster.restructure.resolve import Resolved

JOURNAL = MoveRecord._meta.db_table
MAPPING = UnitMapping._meta.db_table
SPLITS = SplitCase._meta.db_table
_RECORD_TYPE = re.compile(r"[a-z_]{1,10}")  # MoveRecord.record_type, written into SQL text


def _unit_type(value: str) -> str:
    if value not in UnitType.values:
        raise ValueError(f"unknown unit type {value!r}")
    return value


def _record_type(value: str) -> str:
    if not _RECORD_TYPE.fullmatch(value):
        raise ValueError(f"record type {value!r}: lowercase letters and _, at most 10")
    return value


@dataclass
class PlanJournal:
    """`core.restructuring.Journal` for one plan (and one batch when applying)."""

    plan_id: int
    day: date
    batch: int = 0
    limit: int | None = None
    rewrite: bool = False
    steps: Steps = field(default_factory=Steps)
    before: date = field(init=False)
    _table: str = field(default=JOURNAL, init=False)
    _swap: TableSwap | None = field(default=None, init=False)

    def __post_init__(self) -> None:
        self.before = self.day - timedelta(days=1)

    @classmethod
    def of(cls, plan: Plan, **options: Any) -> PlanJournal:
        return cls(plan_id=int(plan.pk), day=plan.effective_on, **options)

    def successors(self, unit_type: str) -> str:
        return (
            f"(SELECT old_id, new_id FROM {MAPPING} WHERE plan_id = {self.plan_id} "
            f"AND unit_type = '{_unit_type(unit_type)}' AND new_id <> old_id)"
        )

    def ending(self, unit_type: str) -> str:
        return (
            f"(SELECT old_id AS unit_id, new_id FROM {MAPPING} WHERE plan_id = {self.plan_id} "
            f"AND unit_type = '{_unit_type(unit_type)}')"
        )

    def choices(self) -> str:
        return (
            "(SELECT person_id, COALESCE(decided_commune_id, proposed_commune_id) AS commune_id "
            f"FROM {SPLITS} WHERE plan_id = {self.plan_id})"
        )

    def rows(self, record_type: str, *, this_batch: bool = False) -> str:
        batch = f" AND batch = {self.batch}" if this_batch else ""
        return (
            f"(SELECT record_id, old_value, new_value, flags, batch FROM {self._table} "
            f"WHERE plan_id = {self.plan_id} AND record_type = '{_record_type(record_type)}'"
            f"{batch})"
        )

    def add(self, record_type: str, select: str, params: Sequence[Any] = ()) -> int:
        columns = "x.record_id, x.old_value, x.new_value, x.flags"
        if self.rewrite:
            return self._add_rewritten(record_type, select, params, columns)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {JOURNAL} (plan_id, record_type, record_id, old_value, new_value, "
                f"flags, batch) SELECT %s, %s, {columns}, %s FROM ({select}) x",
                [self.plan_id, _record_type(record_type), self.batch, *params],
            )
            return int(cursor.rowcount)

    def _add_rewritten(
        self, record_type: str, select: str, params: Sequence[Any], columns: str
    ) -> int:
        """Into the journal's staging copy (made on the first call, swapped in by `finish`)."""
        if self._swap is None:
            # The swap keeps its cursor until `finish`: the same transaction, under its locks.
            self._swap = TableSwap(connection.cursor(), [JOURNAL])
        with self.steps.step(f"fill {JOURNAL}"):
            if self._table == JOURNAL:
                self._swap.copy_all(JOURNAL)
                self._table = staging_name(JOURNAL)
            self._swap.cursor.execute(
                f'INSERT INTO "{self._table}" (id, plan_id, record_type, record_id, old_value, '
                "new_value, flags, batch) SELECT nextval(%s::regclass), %s, %s, "
                f"{columns}, %s FROM ({select}) x",
                [
                    self._swap.sequence(JOURNAL),
                    self.plan_id,
                    _record_type(record_type),
                    self.batch,
                    *params,
                ],
            )
            return int(self._swap.cursor.rowcount)

    def finish(self) -> None:
        """The fast path: swap the rewritten journal in (nothing to do when nothing moved)."""
        if self._swap is not None:
            swap, self._swap, self._table = self._swap, None, JOURNAL
            swap.swap(self.steps)
            swap.cursor.close()


def mapping_build(plan: Plan, resolved: Resolved) -> None:
    """Every unit the plan ends → its default successor (itself when kept, None when
    abolished), stored so every batch joins one table."""
    UnitMapping.objects.filter(plan=plan).delete()
    UnitMapping.objects.bulk_create(
        [
            UnitMapping(plan=plan, unit_type=unit_type, old_id=old, new_id=new[0] if new else None)
            for unit_type, successors in (
                (UnitType.ADMIN, resolved.admin_successors),
                (UnitType.ORG, resolved.org_successors),
            )
            for old, new in successors.items()
        ],
        batch_size=5000,
    )
