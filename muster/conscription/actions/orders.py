"""Writes of call-up orders: drafting a commune's batch, approval by a second person (issue),
delivery, and the handover outcome that enlists a man.

Individual call-up orders are issued at commune level after the 2025 reform (domain rules
§0.10 [UNCERTAIN]) and must reach the citizen at least 15 days before the date in them (MSL
Art. 34(6)). Every action takes `today` (default: the local date) so a demo can run a cycle on
a simulated clock.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, time, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.conscription.actions.service import service_enlist
from muster.conscription.models import (
    CallupCycle,
    CallupOrder,
    CommuneQuota,
    HandoverOutcome,
    OrderBatch,
    ServedHow,
)
from muster.conscription.queries import cycle as queries_cycle
from muster.core.collation import vi
from muster.core.errors import FieldError, InvalidInput
from muster.geo.models import AdminUnit
from muster.people.models import Person

CALLUP_NOTICE_DAYS = 15  # MSL Art. 34(6)
PLACE_MAX = 200
BATCH_MAX = 500
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # base32 without look-alikes (0/O, 1/I)
CODE_LENGTH = 10


def check_commune_writer(user: User, commune: AdminUnit, action: str) -> None:
    """Commune staff of that commune, or anyone above it; auditors only look."""
    permissions.require(user, action, commune_id=commune.pk)


def _notice_error(report_on: date, issued_on: date) -> FieldError | None:
    if issued_on + timedelta(days=CALLUP_NOTICE_DAYS) > report_on:
        return FieldError(
            "report_on",
            "CALLUP_NOTICE_DAYS",
            {
                "days": CALLUP_NOTICE_DAYS,
                "issued": issued_on,
                "earliest": issued_on + timedelta(days=CALLUP_NOTICE_DAYS),
            },
        )
    return None


def _quota_error(cycle: CallupCycle, commune: AdminUnit, adding: int) -> FieldError | None:
    quota = CommuneQuota.objects.select_for_update().filter(cycle=cycle, commune=commune).first()
    if quota is None:
        return FieldError("commune", "QUOTA_MISSING")
    ordered = queries_cycle.active_orders(cycle).filter(batch__commune=commune).count()
    if ordered + adding > quota.quota:
        return FieldError(
            "person_ids",
            "QUOTA_EXCEEDED",
            {"quota": quota.quota, "ordered": ordered, "adding": adding},
        )
    return None


def _ineligible(cycle: CallupCycle, commune: AdminUnit, person_ids: set[int]) -> list[int]:
    eligible = queries_cycle.eligible_by_commune(cycle, [commune])[commune.code]
    return sorted(person_ids - eligible)


@transaction.atomic
def order_batch_create(
    *,
    cycle: CallupCycle,
    commune: AdminUnit,
    person_ids: Sequence[int],
    report_on: date,
    report_place: str,
    report_time: time = time(7, 0),
    note: str = "",
    acting_user: User,
    today: date | None = None,
) -> OrderBatch:
    """Draft call-up orders for eligible men of one commune, within its quota (MSL Art. 34).

    Nothing is issued yet: a second person approves the batch (`order_batch_approve`).
    """
    today = today or timezone.localdate()
    check_commune_writer(acting_user, commune, "callup.batch.draft")
    errors: list[FieldError] = []
    ids = set(person_ids)
    if commune.parent_id != cycle.province_id:
        errors.append(FieldError("commune", "CALLUP_COMMUNE_OUTSIDE_PROVINCE"))
    if not ids:
        errors.append(FieldError("person_ids", "BATCH_EMPTY_CHOICE"))
    elif len(ids) > BATCH_MAX:
        errors.append(FieldError("person_ids", "BATCH_TOO_LARGE", {"max": BATCH_MAX}))
    report_place = report_place.strip()
    if not report_place or len(report_place) > PLACE_MAX:
        errors.append(FieldError("report_place", "LENGTH_RANGE", {"limit": PLACE_MAX}))
    if (notice := _notice_error(report_on, today)) is not None:
        errors.append(notice)
    if errors:
        raise InvalidInput(errors)
    persons = {p.pk: p for p in Person.objects.filter(pk__in=ids)}
    elsewhere = sorted(
        pid for pid in ids if pid not in persons or persons[pid].residence_commune_id != commune.pk
    )
    if elsewhere:
        errors.append(FieldError("person_ids", "BATCH_NOT_RESIDENTS", {"ids": elsewhere}))
    ordered = set(
        CallupOrder.objects.filter(cycle=cycle, person_id__in=ids).values_list(
            "person__full_name", flat=True
        )
    )
    if ordered:
        errors.append(FieldError("person_ids", "BATCH_ALREADY_ORDERED", {"names": sorted(ordered)}))
    if not errors:
        ineligible = _ineligible(cycle, commune, ids)
        if ineligible:
            names = [persons[pid].full_name for pid in ineligible]
            errors.append(
                FieldError(
                    "person_ids", "BATCH_NOT_ELIGIBLE", {"day": cycle.callup_date, "names": names}
                )
            )
    if not errors and (over := _quota_error(cycle, commune, len(ids))) is not None:
        errors.append(over)
    if errors:
        raise InvalidInput(errors)
    batch = OrderBatch.objects.create(
        cycle=cycle,
        commune=commune,
        report_on=report_on,
        report_place=report_place,
        report_time=report_time,
        note=note.strip(),
        created_by=acting_user,
    )
    CallupOrder.objects.bulk_create(
        CallupOrder(cycle=cycle, batch=batch, person_id=pid) for pid in sorted(ids)
    )
    audit.record(
        "conscription.batch.created",
        actor=acting_user,
        target=batch,
        data={
            "orders": len(ids),
            "report_on": report_on.isoformat(),
            "report_time": report_time.strftime("%H:%M"),
            "place": report_place,
        },
        commune_code=commune.code,
    )
    return batch


def new_verification_code() -> str:
    """An unguessable code (10 symbols of 32: 50 bits) printed on the order and in its QR."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _next_sequence(cycle: CallupCycle, commune: AdminUnit) -> int:
    numbered = CallupOrder.objects.filter(cycle=cycle, batch__commune=commune).exclude(number="")
    return numbered.count() + 1


@transaction.atomic
def order_batch_approve(
    *, batch: OrderBatch, acting_user: User, today: date | None = None
) -> OrderBatch:
    """Approve and issue a drafted batch: a different person from the drafter (two-person rule,
    held by a database constraint too). Each order gets its number "<n>/<year>/LGNN-<commune>",
    a verification code and the issue date; the 15-day notice (MSL Art. 34(6)) must still hold.
    """
    today = today or timezone.localdate()
    batch = (
        OrderBatch.objects.select_for_update().select_related("cycle", "commune").get(pk=batch.pk)
    )
    check_commune_writer(acting_user, batch.commune, "callup.batch.approve")
    if batch.approved_at is not None:
        approved_on = timezone.localdate(batch.approved_at)
        raise InvalidInput([FieldError("batch", "BATCH_ALREADY_APPROVED", {"day": approved_on})])
    if batch.created_by_id == acting_user.pk:
        raise InvalidInput([FieldError("batch", "BATCH_TWO_PERSON_RULE")])
    errors: list[FieldError] = []
    if (notice := _notice_error(batch.report_on, today)) is not None:
        errors.append(notice)
    orders = list(
        batch.orders.select_related("person")
        .filter(revoked_at__isnull=True)
        .order_by(vi("person__full_name"), "pk")
    )
    if not orders:
        errors.append(FieldError("batch", "BATCH_NO_ORDERS"))
    if errors:
        raise InvalidInput(errors)
    cycle, commune = batch.cycle, batch.commune
    ineligible = _ineligible(cycle, commune, {o.person_id for o in orders})
    if ineligible:
        names = [o.person.full_name for o in orders if o.person_id in ineligible]
        raise InvalidInput(
            [
                FieldError(
                    "batch", "BATCH_NO_LONGER_ELIGIBLE", {"day": cycle.callup_date, "names": names}
                )
            ]
        )
    if (over := _quota_error(cycle, commune, 0)) is not None:
        raise InvalidInput([over])
    sequence = _next_sequence(cycle, commune)
    for offset, order in enumerate(orders):
        order.number = f"{sequence + offset}/{cycle.year}/LGNN-{commune.code}"
        order.issued_on = today
        while True:
            order.verification_code = new_verification_code()
            if not CallupOrder.objects.filter(verification_code=order.verification_code).exists():
                break
        order.save(update_fields=["number", "issued_on", "verification_code"])
    batch.approved_by = acting_user
    batch.approved_at = timezone.now()
    try:
        with transaction.atomic():
            batch.save(update_fields=["approved_by", "approved_at"])
    except IntegrityError as exc:  # the database's own two-person check
        raise InvalidInput([FieldError("batch", "BATCH_TWO_PERSON_RULE")]) from exc
    audit.record(
        "conscription.batch.approved",
        actor=acting_user,
        target=batch,
        data={"orders": len(orders), "issued_on": today.isoformat(), "first": orders[0].number},
        commune_code=commune.code,
    )
    return batch


def _issued(order: CallupOrder) -> date:
    if order.issued_on is None:
        raise InvalidInput([FieldError("order", "ORDER_NOT_ISSUED")])
    if order.revoked_at is not None:
        raise InvalidInput([FieldError("order", "ORDER_REVOKED")])
    return order.issued_on


@transaction.atomic
def order_serve(
    *,
    order: CallupOrder,
    served_on: date,
    served_how: str,
    acknowledged: bool,
    acting_user: User,
    today: date | None = None,
) -> CallupOrder:
    """Record delivery of an issued order (how, when, whether the citizen signed for it)."""
    today = today or timezone.localdate()
    order = (
        CallupOrder.objects.select_for_update().select_related("batch__commune").get(pk=order.pk)
    )
    check_commune_writer(acting_user, order.batch.commune, "callup.order.record")
    issued_on = _issued(order)
    errors = []
    if served_how not in ServedHow.values:
        errors.append(FieldError("served_how", "NOT_ONE_OF", {"choices": ServedHow.values}))
    if served_on < issued_on:
        errors.append(FieldError("served_on", "ORDER_SERVED_BEFORE_ISSUED"))
    if served_on > today:
        errors.append(FieldError("served_on", "DATE_IN_FUTURE", {"day": served_on}))
    if errors:
        raise InvalidInput(errors)
    order.served_on, order.served_how, order.acknowledged = served_on, served_how, acknowledged
    order.save(update_fields=["served_on", "served_how", "acknowledged"])
    audit.record(
        "conscription.order.served",
        actor=acting_user,
        target=order,
        data={"on": served_on.isoformat(), "how": served_how, "acknowledged": acknowledged},
        commune_code=order.batch.commune.code,
    )
    return order


@transaction.atomic
def handover_record(
    *,
    order: CallupOrder,
    outcome: str,
    outcome_on: date,
    note: str = "",
    unit_name: str = "",
    acting_user: User,
    today: date | None = None,
) -> CallupOrder:
    """Record the handover (giao nhận quân): "reported" enlists the man, service counting from
    the handover date (MSL Art. 22); "postponed" and "failed_to_report" are recorded only.
    Recording the same outcome again changes nothing; a man who enlisted stays enlisted."""
    today = today or timezone.localdate()
    order = (
        CallupOrder.objects.select_for_update()
        .select_related("batch__commune", "person")
        .get(pk=order.pk)
    )
    check_commune_writer(acting_user, order.batch.commune, "callup.order.record")
    issued_on = _issued(order)
    errors = []
    if outcome not in HandoverOutcome.values:
        errors.append(FieldError("outcome", "NOT_ONE_OF", {"choices": HandoverOutcome.values}))
    if outcome_on < issued_on:
        errors.append(FieldError("outcome_on", "HANDOVER_BEFORE_ORDER"))
    if outcome_on > today:
        errors.append(FieldError("outcome_on", "DATE_IN_FUTURE", {"day": outcome_on}))
    if outcome == HandoverOutcome.REPORTED and not unit_name.strip():
        errors.append(FieldError("unit_name", "SERVICE_UNIT_REQUIRED"))
    if errors:
        raise InvalidInput(errors)
    if order.outcome == HandoverOutcome.REPORTED and hasattr(order, "service"):
        if outcome == HandoverOutcome.REPORTED and order.outcome_on == outcome_on:
            return order  # already enlisted: a re-run changes nothing
        raise InvalidInput([FieldError("outcome", "HANDOVER_ALREADY_ENLISTED")])
    order.outcome, order.outcome_on, order.outcome_note = outcome, outcome_on, note.strip()
    order.save(update_fields=["outcome", "outcome_on", "outcome_note"])
    audit.record(
        "conscription.handover.recorded",
        actor=acting_user,
        target=order,
        data={"outcome": outcome, "on": outcome_on.isoformat()},
        commune_code=order.batch.commune.code,
    )
    if outcome == HandoverOutcome.REPORTED:
        service_enlist(
            order=order,
            enlisted_on=outcome_on,
            unit_name=unit_name,
            acting_user=acting_user,
        )
    return order
