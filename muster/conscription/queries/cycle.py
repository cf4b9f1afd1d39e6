"""Reads of the call-up cycle: cycles, quotas, batches and orders, always through the caller's
jurisdiction (`accounts.scope`). Out of scope answers `NotFound`, as for a missing record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from muster.accounts.models import User
from muster.accounts.scope import Scope, scope_for
from muster.conscription.models import (
    CallupCycle,
    CallupOrder,
    CommuneQuota,
    HandoverOutcome,
    OrderBatch,
)
from muster.conscription.rules.callup import Status, ruleset_get
from muster.core.collation import vi
from muster.core.errors import NotFound
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Level


def province_communes(province: AdminUnit, day: date) -> list[AdminUnit]:
    """The communes of a province valid on `day`, by code."""
    return list(
        AdminUnit.objects.filter(valid_on(day), parent=province, level=Level.COMMUNE).order_by(
            "code"
        )
    )


def scope_covers_province(scope: Scope, province: AdminUnit, day: date) -> bool:
    """Whether a scope holds every commune of the province (provincial jurisdiction or above)."""
    if scope.is_national:
        return True
    ids = {unit.pk for unit in province_communes(province, day)}
    return bool(ids) and ids <= (scope.commune_ids or frozenset())


def cycle_list(user: User) -> QuerySet[CallupCycle]:
    """Cycles of the provinces where the user sees at least one commune, newest first."""
    scope = scope_for(user)
    cycles = CallupCycle.objects.select_related("province").order_by("-year", "province__code")
    if scope.is_national:
        return cycles
    provinces = AdminUnit.objects.filter(
        id__in=list(scope.commune_ids or ()), parent__isnull=False
    ).values_list("parent_id", flat=True)
    return cycles.filter(province_id__in=list(provinces))


def access_cycle(user: User, cycle_id: int) -> CallupCycle:
    """A cycle the user may see (one of his communes lies in its province)."""
    cycle = cycle_list(user).filter(pk=cycle_id).first()
    if cycle is None:
        raise NotFound("CYCLE_NOT_FOUND", {"id": cycle_id})
    return cycle


def access_commune(user: User, cycle: CallupCycle, code: str) -> AdminUnit:
    """A commune of the cycle's province inside the user's jurisdiction."""
    commune = AdminUnit.objects.filter(
        valid_on(cycle.callup_date), parent=cycle.province, level=Level.COMMUNE, code=code
    ).first()
    if commune is None or not scope_for(user).allows(commune.pk):
        raise NotFound("COMMUNE_NOT_FOUND", {"code": code})
    return commune


def access_batch(user: User, batch_id: int) -> OrderBatch:
    batch = OrderBatch.objects.select_related("cycle__province", "commune").filter(pk=batch_id)
    found = batch.first()
    if found is None or not scope_for(user).allows(found.commune_id):
        raise NotFound("BATCH_NOT_FOUND", {"id": batch_id})
    return found


def access_order(user: User, order_id: int) -> CallupOrder:
    order = (
        CallupOrder.objects.select_related("batch__commune", "cycle__province", "person")
        .filter(pk=order_id)
        .first()
    )
    if order is None or not scope_for(user).allows(order.batch.commune_id):
        raise NotFound("ORDER_NOT_FOUND", {"id": order_id})
    return order


def active_orders(cycle: CallupCycle) -> QuerySet[CallupOrder]:
    """Orders that count against a quota: not revoked, not failed to report."""
    return CallupOrder.objects.filter(cycle=cycle, revoked_at__isnull=True).exclude(
        outcome=HandoverOutcome.FAILED
    )


@dataclass(frozen=True)
class Progress:
    drafted: int = 0
    issued: int = 0
    served: int = 0
    reported: int = 0
    enlisted: int = 0


def progress_by_commune(cycle: CallupCycle) -> dict[int, Progress]:
    """Per commune id: orders drafted (all), issued, served, reported and enlisted."""
    rows = (
        CallupOrder.objects.filter(cycle=cycle, revoked_at__isnull=True)
        .values("batch__commune_id")
        .annotate(
            drafted=Count("id"),
            issued=Count("id", filter=Q(issued_on__isnull=False)),
            served=Count("id", filter=Q(served_on__isnull=False)),
            reported=Count("id", filter=Q(outcome=HandoverOutcome.REPORTED)),
            enlisted=Count("service"),
        )
    )
    return {
        row["batch__commune_id"]: Progress(
            row["drafted"], row["issued"], row["served"], row["reported"], row["enlisted"]
        )
        for row in rows
    }


def quota_rows(user: User, cycle: CallupCycle) -> list[CommuneQuota]:
    """The cycle's commune quotas inside the user's jurisdiction, by commune name."""
    scope = scope_for(user)
    return list(
        CommuneQuota.objects.filter(scope.filter("commune_id"), cycle=cycle)
        .select_related("commune")
        .order_by(vi("commune__short_name"), "commune__code")
    )


def eligible_by_commune(cycle: CallupCycle, communes: list[AdminUnit]) -> dict[str, set[int]]:
    """Person ids with the status `eligible` on the cycle's call-up date, per commune code.

    The candidate list (`conscription.candidates.candidate_rows`) decides, under the cycle's
    rule set (MSL Art. 30–31, 41; Circular 148/2018).
    """
    from muster.conscription.queries.candidates import candidate_rows  # built beside this module

    rules = ruleset_get(cycle.rules_version, cycle.rules_overrides or None)
    result: dict[str, set[int]] = {unit.code: set() for unit in communes}
    rows = candidate_rows(
        communes=[unit.pk for unit in communes], reference=cycle.callup_date, rules=rules
    )
    for row in rows:
        if row.status == Status.ELIGIBLE and row.commune_code in result:
            result[row.commune_code].add(row.person_id)
    return result
