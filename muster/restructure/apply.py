"""`plan_apply` and `plan_revert`: a plan executed in resumable, journaled batches.

Persons move set-based: each batch is one transaction that journals the next `batch_size`
persons still living in an ending unit (`MoveRecord`), then re-points them with one
UPDATE … FROM the journal, closes their open residence period the day before and opens the new
one with INSERT … SELECT. A kill at any point loses at most the uncommitted batch; a re-run
carries on where the journal ends, and once everyone has moved it finds nothing to do.
Users, territories and commands follow in one last transaction that marks the plan applied.

On PostgreSQL a large plan (`rewrite.REWRITE_MIN_PERSONS`, or `rewrite=True`) takes the fast
path instead: the journal, persons and residence periods are rewritten set-based and swapped in
(`rewrite.persons_rewrite`), and everything from the split decisions to the plan marked applied
is one transaction, under exclusive locks on the person tables (a maintenance window).
"""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from muster import audit
from muster.accounts.models import User
from muster.core.errors import InvalidInput
from muster.core.structure import structure_changed
from muster.orgs.models import OrgUnit, Territory
from muster.restructure import militia_moves
from muster.restructure.compute import plan_compute
from muster.restructure.models import (
    MoveRecord,
    Plan,
    PlanStatus,
    RecordType,
    SplitCase,
    SplitStatus,
    UnitMapping,
    UnitType,
)
from muster.restructure.resolve import Resolved, plan_resolve
from muster.restructure.rewrite import CREATED, persons_lock, persons_rewrite, rewrite_chosen
from muster.restructure.tableswap import Steps

JOURNAL = MoveRecord._meta.db_table
MAPPING = UnitMapping._meta.db_table
SPLITS = SplitCase._meta.db_table
PERSON = "people_person"
RESIDENCE = "people_residenceperiod"


@dataclass
class ApplyResult:
    """What one call did. `already_applied`: nothing to do (applying twice is a no-op).
    `rewrite`: the persons moved by the fast path; `steps`: seconds per step."""

    plan: str
    batches: int = 0
    persons: int = 0
    users: int = 0
    territories: int = 0
    org_units: int = 0
    already_applied: bool = False
    rewrite: bool = False
    steps: dict[str, float] = field(default_factory=dict)


def _day(value: date) -> Any:
    # SQLite stores dates as ISO text; psycopg adapts date objects itself.
    return value if connection.vendor == "postgresql" else value.isoformat()


def _mapping_build(plan: Plan, resolved: Resolved) -> None:
    """The default old → new unit ids, stored so every batch joins against one table."""
    UnitMapping.objects.filter(plan=plan).delete()
    UnitMapping.objects.bulk_create(
        [
            UnitMapping(plan=plan, unit_type=UnitType.ADMIN, old_id=old, new_id=new)
            for old, new in resolved.admin_default().items()
        ]
        + [
            UnitMapping(plan=plan, unit_type=UnitType.ORG, old_id=old, new_id=new)
            for old, new in resolved.org_default().items()
        ],
        batch_size=5000,
    )


def person_batch_apply(plan: Plan, *, batch_size: int, acting_user: Any = None) -> int:
    """Move the next `batch_size` persons in one transaction; returns how many moved."""
    day, before = (
        plan.effective_on,
        plan.effective_on.fromordinal(plan.effective_on.toordinal() - 1),
    )
    with transaction.atomic(), connection.cursor() as cursor:
        batch = (MoveRecord.objects.filter(plan=plan).aggregate(n=Max("batch"))["n"] or 0) + 1
        last = (
            MoveRecord.objects.filter(plan=plan, record_type=RecordType.PERSON).aggregate(
                n=Max("record_id")
            )["n"]
            or 0
        )
        cursor.execute(
            f"""
            INSERT INTO {JOURNAL} (plan_id, record_type, record_id, old_value, new_value, flags, batch)
            SELECT %s, 'person', p.id, p.residence_commune_id,
                   COALESCE(sc.decided_commune_id, sc.proposed_commune_id, m.new_id),
                   CASE WHEN EXISTS (SELECT 1 FROM {RESIDENCE} r WHERE r.person_id = p.id)
                        THEN 0 ELSE {CREATED} END,
                   %s
            FROM {PERSON} p
            JOIN {MAPPING} m
              ON m.plan_id = %s AND m.unit_type = 'admin' AND m.old_id = p.residence_commune_id
            LEFT JOIN {SPLITS} sc ON sc.plan_id = %s AND sc.person_id = p.id
            WHERE p.id > %s
            ORDER BY p.id
            LIMIT %s
            """,
            [plan.pk, batch, plan.pk, plan.pk, last, batch_size],
        )
        moved = int(cursor.rowcount)
        if moved <= 0:
            return 0
        this_batch = (
            f"SELECT j.record_id FROM {JOURNAL} j WHERE j.plan_id = %s "
            "AND j.record_type = 'person' AND j.batch = %s"
        )
        cursor.execute(
            f"""
            UPDATE {PERSON} AS p SET residence_commune_id = j.new_value, updated_at = %s
            FROM {JOURNAL} j
            WHERE j.plan_id = %s AND j.record_type = 'person' AND j.batch = %s
              AND p.id = j.record_id
            """,
            [timezone.now(), plan.pk, batch],
        )
        cursor.execute(
            f"""
            UPDATE {RESIDENCE} SET valid_to = %s
            WHERE valid_to IS NULL AND (valid_from IS NULL OR valid_from < %s)
              AND person_id IN ({this_batch})
            """,
            [_day(before), _day(day), plan.pk, batch],
        )
        # Persons without any history get the period they lived in before the change.
        cursor.execute(
            f"""
            INSERT INTO {RESIDENCE} (person_id, commune_id, address, valid_from, valid_to)
            SELECT j.record_id, j.old_value, p.address, NULL, %s
            FROM {JOURNAL} j JOIN {PERSON} p ON p.id = j.record_id
            WHERE j.plan_id = %s AND j.record_type = 'person' AND j.batch = %s AND j.flags = {CREATED}
            """,
            [_day(before), plan.pk, batch],
        )
        cursor.execute(
            f"""
            INSERT INTO {RESIDENCE} (person_id, commune_id, address, valid_from, valid_to)
            SELECT j.record_id, j.new_value, p.address, %s, NULL
            FROM {JOURNAL} j JOIN {PERSON} p ON p.id = j.record_id
            WHERE j.plan_id = %s AND j.record_type = 'person' AND j.batch = %s
            """,
            [_day(day), plan.pk, batch],
        )
        audit.record(
            "restructure.plan.batch_applied",
            actor=acting_user,
            target=plan,
            data={"batch": batch, "persons": moved},
        )
    return moved


def _ordinal(day: date | None) -> int | None:
    return day.toordinal() if day is not None else None


def _structure_apply(
    plan: Plan, resolved: Resolved, batch: int, *, acting_user: Any = None
) -> tuple[int, int, int]:
    """Users, org units and territories; returns (users, territories, org units) changed."""
    day, before = resolved.day, resolved.before
    journal: list[MoveRecord] = []
    org_default = resolved.org_default()
    users = 0
    for user_id, org_id in User.objects.filter(jurisdiction_id__in=sorted(org_default)).values_list(
        "id", "jurisdiction_id"
    ):
        journal.append(
            MoveRecord(
                plan=plan,
                record_type=RecordType.USER,
                record_id=user_id,
                old_value=org_id,
                new_value=org_default[org_id],
                batch=batch,
            )
        )
        User.objects.filter(pk=user_id).update(jurisdiction_id=org_default[org_id])
        users += 1
    ending_orgs = set(resolved.org_successors)
    orgs = 0
    for org in OrgUnit.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day), pk__in=sorted(ending_orgs)
    ):
        journal.append(
            MoveRecord(
                plan=plan,
                record_type=RecordType.ORG_UNIT,
                record_id=org.pk,
                old_value=_ordinal(org.valid_to),
                new_value=before.toordinal(),
                batch=batch,
            )
        )
        OrgUnit.objects.filter(pk=org.pk).update(valid_to=before)
        orgs += 1
    admin_default = resolved.admin_default()
    ending_admin = set(resolved.admin_successors)
    territories = 0
    open_rows = Territory.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
        Q(org_unit_id__in=sorted(ending_orgs)) | Q(admin_unit_id__in=sorted(ending_admin)),
    )
    for row in list(open_rows):
        journal.append(
            MoveRecord(
                plan=plan,
                record_type=RecordType.TERRITORY,
                record_id=row.pk,
                old_value=_ordinal(row.valid_to),
                new_value=before.toordinal(),
                batch=batch,
            )
        )
        Territory.objects.filter(pk=row.pk).update(valid_to=before)
        territories += 1
        new_admin = admin_default.get(row.admin_unit_id)
        if row.org_unit_id in ending_orgs or new_admin is None:
            continue
        if Territory.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day),
            org_unit_id=row.org_unit_id,
            admin_unit_id=new_admin,
        ).exists():
            continue
        created = Territory.objects.create(
            org_unit_id=row.org_unit_id, admin_unit_id=new_admin, valid_from=day
        )
        journal.append(
            MoveRecord(
                plan=plan,
                record_type=RecordType.TERRITORY,
                record_id=created.pk,
                old_value=None,
                new_value=None,
                flags=CREATED,
                batch=batch,
            )
        )
        territories += 1
    militia_moves.militia_apply(plan, resolved, batch, acting_user=acting_user)
    MoveRecord.objects.bulk_create(journal, batch_size=5000)
    return users, territories, orgs


def plan_apply(
    plan: Plan,
    *,
    accept_proposals: bool = False,
    batch_size: int = 50_000,
    acting_user: Any = None,
    rewrite: bool | None = None,
) -> ApplyResult:
    """Apply `plan`: persons, then users, territories and commands; resumable and idempotent.

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
        raise InvalidInput.single("batch_size", "must be at least 1")
    resolved = plan_resolve(plan)
    if resolved.split_wards() and not SplitCase.objects.filter(plan=plan).exists():
        plan_compute(plan, acting_user=acting_user)
    open_cases = SplitCase.objects.filter(plan=plan, status=SplitStatus.OPEN)
    if open_cases.exists() and not accept_proposals:
        raise InvalidInput.single(
            "plan",
            f"{open_cases.count()} split case(s) are open: review them or pass --accept-proposals",
        )
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


def _persons_move(
    plan: Plan, result: ApplyResult, *, steps: Steps, batch_size: int, acting_user: Any
) -> None:
    if result.rewrite:
        result.persons = persons_rewrite(plan, steps=steps, acting_user=acting_user)
        result.batches = int(result.persons > 0)
        return
    with steps.step("persons (batched)"):
        while True:
            moved = person_batch_apply(plan, batch_size=batch_size, acting_user=acting_user)
            if not moved:
                break
            result.batches += 1
            result.persons += moved


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
    """Split decisions and mapping, persons, then the structure and the plan marked applied."""
    if result.rewrite:
        persons_lock(steps)  # before any write, so no lock is upgraded later
    with steps.step("decisions and mapping"), transaction.atomic():
        SplitCase.objects.filter(plan=plan, status=SplitStatus.OPEN).update(
            status=SplitStatus.ACCEPTED,
            decided_commune_id=F("proposed_commune_id"),
            decided_at=timezone.now(),
        )
        _mapping_build(plan, resolved)
    _persons_move(plan, result, steps=steps, batch_size=batch_size, acting_user=acting_user)
    with steps.step("structure"), transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.status == PlanStatus.APPLIED:  # a concurrent run finished first
            result.already_applied = True
            return
        batch = (MoveRecord.objects.filter(plan=plan).aggregate(n=Max("batch"))["n"] or 0) + 1
        result.users, result.territories, result.org_units = _structure_apply(
            plan, resolved, batch, acting_user=acting_user
        )
        locked.status = PlanStatus.APPLIED
        locked.applied_at = timezone.now()
        locked.save(update_fields=["status", "applied_at", "updated_at"])
        totals = MoveRecord.objects.filter(plan=plan)
        audit.record(
            "restructure.plan.applied",
            actor=acting_user,
            target=plan,
            data={
                "persons": totals.filter(record_type=RecordType.PERSON).count(),
                "users": result.users,
                "territories": result.territories,
                "org_units": result.org_units,
                "accept_proposals": accept_proposals,
            },
        )
        structure_changed()


@transaction.atomic
def plan_revert(plan: Plan, *, acting_user: Any = None) -> dict[str, int]:
    """Put back everything the journal says `plan` changed; refused unless it is applied and
    no plan applied after it (a later effective date) could depend on it."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.APPLIED:
        raise InvalidInput.single("plan", f"{plan.key} is {plan.status}, not applied")
    later = Plan.objects.filter(status=PlanStatus.APPLIED, effective_on__gt=plan.effective_on)
    if later.exists():
        keys = ", ".join(later.order_by("effective_on").values_list("key", flat=True))
        raise InvalidInput.single("plan", f"later applied plan(s) depend on it: {keys}")
    day, before = (
        plan.effective_on,
        plan.effective_on.fromordinal(plan.effective_on.toordinal() - 1),
    )
    persons = f"{JOURNAL} j WHERE j.plan_id = %s AND j.record_type = 'person'"
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            DELETE FROM {RESIDENCE} WHERE valid_from = %s AND EXISTS (
              SELECT 1 FROM {persons} AND j.record_id = {RESIDENCE}.person_id
              AND j.new_value = {RESIDENCE}.commune_id)
            """,
            [_day(day), plan.pk],
        )
        cursor.execute(
            f"""
            DELETE FROM {RESIDENCE} WHERE valid_from IS NULL AND valid_to = %s AND EXISTS (
              SELECT 1 FROM {persons} AND j.flags = {CREATED}
              AND j.record_id = {RESIDENCE}.person_id AND j.old_value = {RESIDENCE}.commune_id)
            """,
            [_day(before), plan.pk],
        )
        cursor.execute(
            f"""
            UPDATE {RESIDENCE} SET valid_to = NULL WHERE valid_to = %s AND EXISTS (
              SELECT 1 FROM {persons} AND j.flags = 0
              AND j.record_id = {RESIDENCE}.person_id AND j.old_value = {RESIDENCE}.commune_id)
            """,
            [_day(before), plan.pk],
        )
        cursor.execute(
            f"""
            UPDATE {PERSON} AS p SET residence_commune_id = j.old_value
            FROM {JOURNAL} j
            WHERE j.plan_id = %s AND j.record_type = 'person' AND p.id = j.record_id
              AND p.residence_commune_id = j.new_value
            """,
            [plan.pk],
        )
        persons_moved = int(cursor.rowcount)
    moves = MoveRecord.objects.filter(plan=plan)
    users = 0
    for move in moves.filter(record_type=RecordType.USER):
        users += User.objects.filter(pk=move.record_id, jurisdiction_id=move.new_value).update(
            jurisdiction_id=move.old_value
        )
    for move in moves.filter(record_type=RecordType.ORG_UNIT):
        OrgUnit.objects.filter(pk=move.record_id).update(
            valid_to=date.fromordinal(move.old_value) if move.old_value else None
        )
    territories = 0
    for move in moves.filter(record_type=RecordType.TERRITORY):
        rows = Territory.objects.filter(pk=move.record_id)
        if move.flags & CREATED:
            rows.delete()
        else:
            rows.update(valid_to=date.fromordinal(move.old_value) if move.old_value else None)
        territories += 1
    counts = {"persons": persons_moved, "users": users, "territories": territories}
    counts["militia"] = militia_moves.militia_revert(plan)
    moves.delete()
    UnitMapping.objects.filter(plan=plan).delete()
    plan.status = PlanStatus.REVERTED
    plan.reverted_at = timezone.now()
    plan.save(update_fields=["status", "reverted_at", "updated_at"])
    audit.record("restructure.plan.reverted", actor=acting_user, target=plan, data=counts)
    structure_changed()
    return counts
