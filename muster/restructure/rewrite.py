"""The fast path of `plan_apply` on PostgreSQL: the batched participants' records (persons)
moved by rewriting their tables, and the journal with them.

Re-pointing a million persons with UPDATE writes a new tuple and an entry in each of the
person table's dozen indexes per row; closing their periods does the same again, and every
journal row queues a deferred foreign-key check. Here each batched participant writes fresh
copies of its tables with INSERT … SELECT and swaps them in (`core.tableswap`: indexes and
constraints rebuilt once each, same names), journaling through the engine, which rewrites its
journal the same way. Same end state as the batched path, one batch.

All of it runs in the caller's transaction with ACCESS EXCLUSIVE locks, taken up front, on the
journal, on every table a batched participant rewrites (`Participant.rewrites`) and on every
table their foreign keys touch: a maintenance-window operation. A kill rolls it all back.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import connection

from muster import audit
from muster.core.errors import InvalidInput
from muster.core.restructuring import Counts, participants
from muster.core.tableswap import Steps, tables_lock, unsupported
from muster.people.models import Person
from muster.restructure.journal import JOURNAL, PlanJournal
from muster.restructure.models import Plan
from muster.restructure.resolve import Resolved

# Below this many persons the batched path is about as fast and keeps the tables open.
REWRITE_MIN_PERSONS = 100_000
# For this transaction only: index builds sort in memory; joins hash the narrow moves table in
# memory (a larger work_mem lets the planner hash the wide person rows instead, 2x slower);
# JIT compiling costs more than it saves on these single-pass statements.
SESSION = (
    "SET LOCAL maintenance_work_mem = '1GB'",
    "SET LOCAL work_mem = '64MB'",
    "SET LOCAL jit = off",
)


def rewrite_tables() -> tuple[str, ...]:
    """The tables the fast path rewrites: the journal and every batched participant's."""
    return (JOURNAL, *(t for p in participants() if p.batched for t in p.rewrites))


def __getattr__(name: str) -> Any:
    if name == "TABLES":  # `rewrite.TABLES`: computed, participants register at start-up
        return rewrite_tables()
    raise AttributeError(name)


def rewrite_chosen(resolved: Resolved, forced: bool | None) -> bool:
    """Whether `plan_apply` takes the rewrite path: `forced` True/False decides; None picks
    it on PostgreSQL when at least REWRITE_MIN_PERSONS persons move. Either way only if
    nothing depends on the tables that a swap could not carry over (`tableswap.unsupported`)."""
    if forced is False:
        return False
    if connection.vendor != "postgresql":
        if forced:
            raise InvalidInput.single("rewrite", "REWRITE_NEEDS_POSTGRESQL")
        return False
    if not forced:
        old_ids = sorted(resolved.admin_default())
        movers = Person.objects.filter(residence_commune_id__in_array=old_ids).count()
        if movers < REWRITE_MIN_PERSONS:
            return False
    with connection.cursor() as cursor:
        refusal = unsupported(cursor, rewrite_tables())
    if refusal and forced:
        raise InvalidInput.single("rewrite", "REWRITE_REFUSED", {"reason": refusal})
    return refusal is None


def rewrite_lock(steps: Steps) -> None:
    """Take the rewrite's locks (see `tableswap.tables_lock`) at the start of its transaction."""
    with steps.step("lock"), connection.cursor() as cursor:
        tables_lock(cursor, rewrite_tables())


def batched_rewrite(plan: Plan, *, steps: Steps, acting_user: Any = None) -> Counts:
    """Every batched participant's records at once, as one batch; returns their counts.

    Must run inside the caller's transaction (with the mapping and split decisions in place).
    """
    rewrite_lock(steps)  # held already when called by plan_apply
    with connection.cursor() as cursor:
        for statement in SESSION:
            cursor.execute(statement)
        cursor.execute(
            f"SELECT COALESCE(MAX(batch), 0) + 1 FROM {JOURNAL} WHERE plan_id = %s", [plan.pk]
        )
        batch = int(cursor.fetchone()[0])
    journal = PlanJournal.of(plan, batch=batch, rewrite=True, steps=steps)
    counts: Counter[str] = Counter()
    for participant in participants():
        if participant.batched:
            counts.update(participant.apply(journal, plan.effective_on, acting_user))
    journal.finish()
    if sum(counts.values()):
        audit.record(
            "restructure.plan.batch_applied",
            actor=acting_user,
            target=plan,
            data={"batch": batch, **counts, "rewrite": True},
        )
    return dict(counts)
