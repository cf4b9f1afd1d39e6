"""Reads of the call-up cycle: cycles, quotas, batches and orders, always through the caller's
jurisdiction (`accounts.scope`). Out of scope answers `NotFound`, as for a missing record.
What names people — a batch's orders, an order, the handover list, the men a batch may call —
is logged as a read here (`people.queries.persons_read`), so no page can forget it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.scope import scope_for
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
from muster.people.models import Person
from muster.people.queries import persons_read

ORDER_READ = "conscription.order.viewed"
ELIGIBLE_READ = "conscription.candidates.viewed"
VERIFY_READ = "conscription.order.verified"


def province_communes(province: AdminUnit, day: date) -> list[AdminUnit]:
    """The communes of a province valid on `day`, by code."""
    return list(
        AdminUnit.objects.filter(valid_on(day), parent=province, level=Level.COMMUNE).order_by(
            "code"
        )
    )


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


def province_current(code: str) -> AdminUnit | None:
    """The current province with this code (geography: not personal, unscoped)."""
    unit = AdminUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True, code=code).first()
    return unit if isinstance(unit, AdminUnit) else None


def provinces_to_open(user: User) -> list[AdminUnit]:
    """Current provinces whose cycle `user` may open (`callup.cycle.manage` on all of it)."""
    if not permissions.may(user, "callup.cycle.manage"):
        return []
    scope = scope_for(user)
    provinces = AdminUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True)
    if not scope.is_national:
        parents = AdminUnit.objects.filter(id__in=list(scope.commune_ids or ())).values("parent_id")
        provinces = provinces.filter(id__in=parents)
    today = timezone.localdate()
    return [
        unit
        for unit in provinces.order_by(vi("short_name"), "code")
        if permissions.may(user, "callup.cycle.manage", area=unit, day=today)
    ]


def commune_quota(cycle: CallupCycle, commune: AdminUnit) -> CommuneQuota | None:
    """The quota of a commune already accessed (`access_commune`) in the cycle, if proposed."""
    return CommuneQuota.objects.filter(cycle=cycle, commune=commune).first()


def commune_batches(cycle: CallupCycle, commune: AdminUnit) -> list[OrderBatch]:
    """An accessed commune's order batches of the cycle, newest first (counts, no names)."""
    return list(
        OrderBatch.objects.filter(cycle=cycle, commune=commune)
        .select_related("created_by", "approved_by")
        .order_by("-created_at")
    )


def access_batch(user: User, batch_id: int) -> OrderBatch:
    batch = OrderBatch.objects.select_related("cycle__province", "commune").filter(pk=batch_id)
    found = batch.first()
    if found is None or not scope_for(user).allows(found.commune_id):
        raise NotFound("BATCH_NOT_FOUND", {"id": batch_id})
    return found


def batch_orders(user: User, batch: OrderBatch, *, channel: str) -> list[CallupOrder]:
    """The orders of an accessed batch, by name, their persons' read logged (a page or the
    batch's PDF)."""
    orders = list(batch.orders.select_related("person").order_by(vi("person__full_name"), "pk"))
    persons_read(user, [o.person_id for o in orders], action=ORDER_READ, channel=channel)
    return orders


def access_order(user: User, order_id: int, *, channel: str | None) -> CallupOrder:
    """The order if `user` may see it. With a `channel` (the order is shown: its page or PDF)
    the person's read is logged; None is a form target that only records."""
    order = (
        CallupOrder.objects.select_related("batch__commune", "cycle__province", "person")
        .filter(pk=order_id)
        .first()
    )
    if order is None or not scope_for(user).allows(order.batch.commune_id):
        raise NotFound("ORDER_NOT_FOUND", {"id": order_id})
    if channel is not None:
        persons_read(user, [order.person_id], action=ORDER_READ, channel=channel)
    return order


def handover_orders(user: User, cycle: CallupCycle, *, channel: str) -> list[CallupOrder]:
    """Issued orders of the user's communes with delivery, handover and enlistment, by
    commune and name; their persons' read logged."""
    orders = list(
        CallupOrder.objects.filter(
            scope_for(user).filter("batch__commune_id"), cycle=cycle, issued_on__isnull=False
        )
        .select_related("person", "batch__commune", "service")
        .order_by(vi("batch__commune__short_name"), "batch__commune__code", vi("person__full_name"))
    )
    persons_read(user, [o.person_id for o in orders], action=ORDER_READ, channel=channel)
    return orders


def eligible_choices(
    user: User, cycle: CallupCycle, commune: AdminUnit, *, channel: str
) -> list[Person]:
    """Eligible men of an accessed commune without an order in this cycle (whom a batch may
    call), by name; their read logged."""
    eligible = eligible_by_commune(cycle, [commune])[commune.code]
    taken = set(
        CallupOrder.objects.filter(cycle=cycle, person_id__in=eligible).values_list(
            "person_id", flat=True
        )
    )
    people = list(
        Person.objects.filter(pk__in=eligible - taken).order_by(vi("full_name"), "birth_date")
    )
    persons_read(user, [p.pk for p in people], action=ELIGIBLE_READ, channel=channel)
    return people


def order_verified(code: str) -> CallupOrder | None:
    """The issued order with this verification code, for the public verification page (no
    login): the read of its person is logged with no viewer."""
    if len(code) > 20:
        return None
    order = (
        CallupOrder.objects.select_related("person", "batch__commune")
        .filter(verification_code=code.strip().upper(), issued_on__isnull=False)
        .first()
    )
    if order is not None:
        persons_read(None, [order.person_id], action=VERIFY_READ, channel="public")
    return order


def active_orders(cycle: CallupCycle) -> QuerySet[CallupOrder]:
    """Orders that count against a quota: not revoked, not failed to report."""
    return CallupOrder.objects.filter(cycle=cycle, revoked_at__isnull=True).exclude(
        outcome=HandoverOutcome.FAILED
    )


def orders_by_commune(cycle: CallupCycle) -> dict[str, int]:
    """The `active_orders` of the cycle per commune code: what no quota may fall below."""
    rows = (
        active_orders(cycle).values_list("batch__commune__code").annotate(n=Count("id")).order_by()
    )
    return dict(rows)


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
