"""`plan_apply` and `plan_revert`: the engine's order of a plan; the records tied to units are
moved by the apps that keep them (`core.restructuring` participants).

Split decisions and the unit mapping first (`journal.mapping_build`). Then the batched
participants (persons): each batch is one transaction — the engine numbers it, each batched
participant journals its next `batch_size` records and moves them, the engine audits the batch
— so a kill loses at most the uncommitted batch and a re-run carries on where the journal ends;
once everyone has moved a batch finds nothing to do. Then one last transaction: the other
participants (users, militia rosters, commands and territories), the plan marked applied and
audited, `core.structure.structure_changed()`.

On PostgreSQL a large plan (`rewrite.REWRITE_MIN_PERSONS`, or `rewrite=True`) takes the fast
path instead (`rewrite.py`): everything from the split decisions to the plan marked applied is
one transaction under exclusive locks, and the batched participants rewrite their tables.
"""

from __future__ import annotations

from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from muster import audit
from muster.core.errors import InvalidInput
from muster.core.restructuring import participants
from muster.core.structure import structure_changed
from muster.core.tableswap import Steps
from muster.restructure.compute import plan_compute
from muster.restructure.journal import PlanJournal, mapping_build
from muster.restructure.models import (
    MoveRecord,
    Plan,
    PlanStatus,
    RecordType,
    SplitCase,
    SplitStatus,
    UnitMapping,
)
from muster.restructure.resolve import Resolved, plan_resolve
from muster.restructure.rewrite import batched_rewrite, rewrite_chosen, rewrite_lock

# The decisions step's mapping, under the name the tests of a killed run call it by.
_mapping_build = mapping_build


@dataclass
class ApplyResult:
    """What one call did. `already_applied`: nothing to do (applying twice is a no-op).
    `rewrite`: the persons moved by the fast path; `steps`: seconds per step; `counts`: what
    each participant reported (persons, users, militia, territories, org units …)."""

    plan: str
    batches: int = 0
    persons: int = 0
    users: int = 0
    territories: int = 0
    org_units: int = 0
    already_applied: bool = False
    rewrite: bool = False
    steps: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def _next_batch(plan: Plan) -> int:
    return (MoveRecord.objects.filter(plan=plan).aggregate(n=Max("batch"))["n"] or 0) + 1


def person_batch_apply(plan: Plan, *, batch_size: int, acting_user: Any = None) -> int:
    """One batch in one transaction: each batched participant (persons) moves its next
    `batch_size` records; returns how many moved (0: nothing left to move)."""
    with transaction.atomic():
        batch = _next_batch(plan)
        journal = PlanJournal.of(plan, batch=batch, limit=batch_size)
        counts: Counter[str] = Counter()
        for participant in participants():
            if participant.batched:
                counts.update(participant.apply(journal, plan.effective_on, acting_user))
        moved = sum(counts.values())
        if moved:
            audit.record(
                "restructure.plan.batch_applied",
                actor=acting_user,
                target=plan,
                data={"batch": batch, **counts},
            )
    return moved


def plan_apply(
    plan: Plan,
    *,
    accept_proposals: bool = False,
    batch_size: int = 50_000,
    acting_user: Any = None,
    rewrite: bool | None = None,
) -> ApplyResult:
    """Apply `plan`: persons, then users, militia, territories and commands; resumable and
    idempotent.

    Refused (InvalidInput) while split cases are open, unless `accept_proposals` takes each
    open case's proposal. A killed run is finished by running it again; an applied plan is
    left alone. `rewrite` True forces the PostgreSQL fast path (one transaction, tables
    rewritten), False the batched path; None lets `rewrite.rewrite_chosen` pick by size.
    """
    plan.refresh_from_db()
    result = ApplyResult(plan=plan.key)
    if plan.status == PlanStatus.APPLIED:
        result.already_applied = True
        return result
    if batch_size < 1:
        raise InvalidInput.single("batch_size", "MIN_VALUE", {"min": 1})
    resolved = plan_resolve(plan)
    if resolved.split_wards() and not SplitCase.objects.filter(plan=plan).exists():
        plan_compute(plan, acting_user=acting_user)
    open_cases = SplitCase.objects.filter(plan=plan, status=SplitStatus.OPEN)
    if open_cases.exists() and not accept_proposals:
        raise InvalidInput.single("plan", "PLAN_SPLITS_OPEN", {"count": open_cases.count()})
    result.rewrite = rewrite_chosen(resolved, rewrite)
    steps = Steps()
    # The fast path is all or nothing: decisions, persons, structure and audit in one transaction.
    with transaction.atomic() if result.rewrite else nullcontext():
        _plan_execute(
            plan,
            resolved,
            result,
            steps=steps,
            accept_proposals=accept_proposals,
            batch_size=batch_size,
            acting_user=acting_user,
        )
    result.steps = steps.seconds
    plan.refresh_from_db()
    return result


def _batched_move(
    plan: Plan, result: ApplyResult, *, steps: Steps, batch_size: int, acting_user: Any
) -> None:
    if result.rewrite:
        counts = batched_rewrite(plan, steps=steps, acting_user=acting_user)
        result.counts.update(counts)
        result.persons = counts.get("persons", 0)
        result.batches = int(sum(counts.values()) > 0)
        return
    with steps.step("persons (batched)"):
        while True:
            moved = person_batch_apply(plan, batch_size=batch_size, acting_user=acting_user)
            if not moved:
                break
            result.batches += 1
            result.persons += moved
    result.counts["persons"] = result.persons


def _plan_execute(
    plan: Plan,
    resolved: Resolved,
    result: ApplyResult,
    *,
    steps: Steps,
    accept_proposals: bool,
    batch_size: int,
    acting_user: Any,
) -> None:
    """Split decisions and mapping, the batched participants, then the others and the plan
    marked applied."""
    if result.rewrite:
        rewrite_lock(steps)  # before any write, so no lock is upgraded later
    with steps.step("decisions and mapping"), transaction.atomic():
        SplitCase.objects.filter(plan=plan, status=SplitStatus.OPEN).update(
            status=SplitStatus.ACCEPTED,
            decided_commune_id=F("proposed_commune_id"),
            decided_at=timezone.now(),
        )
        mapping_build(plan, resolved)
    _batched_move(plan, result, steps=steps, batch_size=batch_size, acting_user=acting_user)
    with steps.step("structure"), transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.status == PlanStatus.APPLIED:  # a concurrent run finished first
            result.already_applied = True
            return
        journal = PlanJournal.of(plan, batch=_next_batch(plan), steps=steps)
        counts: Counter[str] = Counter()
        for participant in participants():
            if not participant.batched:
                counts.update(participant.apply(journal, plan.effective_on, acting_user))
        result.counts.update(counts)
        result.users = counts["users"]
        result.territories = counts["territories"]
        result.org_units = counts["org_units"]
        locked.status = PlanStatus.APPLIED
        locked.applied_at = timezone.now()
        locked.save(update_fields=["status", "applied_at", "updated_at"])
        persons = MoveRecord.objects.filter(plan=plan, record_type=RecordType.PERSON).count()
        audit.record(
            "restructure.plan.applied",
            actor=acting_user,
            target=plan,
            data={"persons": persons, **counts, "accept_proposals": accept_proposals},
        )
        structure_changed()


@transaction.atomic
def plan_revert(plan: Plan, *, acting_user: Any = None) -> dict[str, int]:
    """Put back everything the journal says `plan` changed — each participant its own records,
    in the reverse order of apply; refused unless it is applied and no plan applied after it
    (a later effective date) could depend on it."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.APPLIED:
        raise InvalidInput.single("plan", "PLAN_NOT_APPLIED", {"key": plan.key})
    later = Plan.objects.filter(status=PlanStatus.APPLIED, effective_on__gt=plan.effective_on)
    if later.exists():
        keys = list(later.order_by("effective_on").values_list("key", flat=True))
        raise InvalidInput.single("plan", "PLAN_LATER_DEPEND", {"keys": keys})
    journal = PlanJournal.of(plan)
    counts: Counter[str] = Counter()
    for participant in reversed(participants()):
        counts.update(participant.revert(journal, acting_user))
    MoveRecord.objects.filter(plan=plan).delete()
    UnitMapping.objects.filter(plan=plan).delete()
    plan.status = PlanStatus.REVERTED
    plan.reverted_at = timezone.now()
    plan.save(update_fields=["status", "reverted_at", "updated_at"])
    audit.record("restructure.plan.reverted", actor=acting_user, target=plan, data=dict(counts))
    structure_changed()
    return dict(counts)
