"""The call-up cycle actions: quotas, order batches with two-person approval, delivery,
handover → enlistment → discharge → reserve."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import IntegrityError, transaction

from muster.audit.models import AuditEvent
from muster.conscription.actions import cycle as actions_cycle
from muster.conscription.actions import orders as actions_orders
from muster.conscription.actions.service import service_discharge
from muster.conscription.models import CallupOrder, CommuneQuota, OrderBatch, ServiceRecord
from muster.conscription.queries import cycle as queries_cycle
from muster.conscription.tests.factories_cycle import (
    CALLUP_DATE,
    REPORT_ON,
    TODAY,
    CycleWorld,
    cycle_make,
    cycle_world,
)
from muster.core.errors import InvalidInput, PermissionDenied
from muster.reserve.models import ReserveMembership

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw() -> CycleWorld:
    return cycle_world()


def _quotas(cycle) -> dict[str, int]:
    return dict(CommuneQuota.objects.filter(cycle=cycle).values_list("commune__code", "quota"))


def _proposed(cw: CycleWorld, target: int = 5):
    cycle = cycle_make(cw, target)
    actions_cycle.quotas_propose(cycle=cycle, acting_user=cw.province_user)
    return cycle


def _batch(cw: CycleWorld, cycle, count: int = 2, **kwargs) -> OrderBatch:
    commune = cw.world.communes[0]
    men = cw.men[commune.code][:count]
    return actions_orders.order_batch_create(
        cycle=cycle,
        commune=commune,
        person_ids=[m.pk for m in men],
        report_on=kwargs.pop("report_on", REPORT_ON),
        report_place="Sân vận động xã",
        acting_user=kwargs.pop("acting_user", cw.commune_user),
        today=kwargs.pop("today", TODAY),
    )


def _issued(cw: CycleWorld, count: int = 2) -> list[CallupOrder]:
    cycle = _proposed(cw)
    batch = _batch(cw, cycle, count)
    actions_orders.order_batch_approve(batch=batch, acting_user=cw.commune_user_2, today=TODAY)
    return list(batch.orders.order_by("pk"))


# ── cycle and quotas ─────────────────────────────────────────────────────────────────────


def test_cycle_create_is_idempotent_and_refuses_another_date(cw):
    cycle = cycle_make(cw)
    assert cycle.rules_version == "2025-07"
    assert cycle_make(cw).pk == cycle.pk
    with pytest.raises(InvalidInput, match="CALLUP_CYCLE_EXISTS"):
        actions_cycle.cycle_create(
            province=cw.world.province,
            year=2027,
            callup_date=CALLUP_DATE + timedelta(days=3),
            target=5,
            acting_user=cw.province_user,
        )
    assert AuditEvent.objects.filter(action="conscription.cycle.created").count() == 1


def test_commune_staff_cannot_open_a_cycle(cw):
    with pytest.raises(PermissionDenied):
        actions_cycle.cycle_create(
            province=cw.world.province,
            year=2027,
            callup_date=CALLUP_DATE,
            target=5,
            acting_user=cw.commune_user,
        )


def test_quota_proposal_follows_pools_and_sums_exactly(cw):
    cycle = _proposed(cw, target=5)
    assert sum(_quotas(cycle).values()) == 5
    pools = dict(CommuneQuota.objects.filter(cycle=cycle).values_list("commune__code", "pool"))
    assert pools == {"99001": 6, "99002": 3, "99003": 1}
    assert _quotas(cycle) == {"99001": 3, "99002": 2, "99003": 0}
    event = AuditEvent.objects.get(action="conscription.quotas.proposed")
    assert event.data["pool_total"] == 10


def test_override_with_reason_reshares_the_rest(cw):
    cycle = _proposed(cw, target=5)
    commune = cw.world.communes[2]
    actions_cycle.quota_override(
        cycle=cycle, commune=commune, quota=1, reason="Đề nghị của xã", acting_user=cw.province_user
    )
    quotas = _quotas(cycle)
    assert quotas["99003"] == 1
    assert sum(quotas.values()) == 5
    # A new proposal keeps the override pinned.
    actions_cycle.quotas_propose(cycle=cycle, acting_user=cw.province_user)
    assert _quotas(cycle)["99003"] == 1
    actions_cycle.quota_override_clear(cycle=cycle, commune=commune, acting_user=cw.province_user)
    assert _quotas(cycle) == {"99001": 3, "99002": 2, "99003": 0}


def test_override_needs_a_reason(cw):
    cycle = _proposed(cw)
    with pytest.raises(InvalidInput, match="QUOTA_REASON_REQUIRED"):
        actions_cycle.quota_override(
            cycle=cycle,
            commune=cw.world.communes[0],
            quota=1,
            reason="  ",
            acting_user=cw.province_user,
        )


def test_override_breaking_the_provincial_total_is_refused_and_nothing_written(cw):
    cycle = _proposed(cw, target=5)
    before = _quotas(cycle)
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput, match="QUOTA_PINNED_OVER_TARGET"):
        actions_cycle.quota_override(
            cycle=cycle,
            commune=cw.world.communes[0],
            quota=6,
            reason="Xin thêm",
            acting_user=cw.province_user,
        )
    assert _quotas(cycle) == before
    assert not CommuneQuota.objects.filter(cycle=cycle).exclude(override_reason="").exists()
    assert AuditEvent.objects.count() == events


def _draft(cw: CycleWorld, cycle, commune_index: int, count: int) -> OrderBatch:
    commune = cw.world.communes[commune_index]
    return actions_orders.order_batch_create(
        cycle=cycle,
        commune=commune,
        person_ids=[m.pk for m in cw.men[commune.code][:count]],
        report_on=REPORT_ON,
        report_place="Sân vận động xã",
        acting_user=cw.province_user,
        today=TODAY,
    )


def test_orders_never_exceed_the_target_after_overrides():
    """Issue 13 finding 5: 5 + 3 orders drafted, then an override of the third commune to 9
    reshared the others below their orders, and 9 more orders made 17 against a target of 12.
    Now the override is refused, and the most it may be is what the orders leave (4)."""
    cw = cycle_world(pools=(10, 6, 9))
    cycle = _proposed(cw, target=12)
    assert _quotas(cycle) == {"99001": 5, "99002": 3, "99003": 4}
    _draft(cw, cycle, 0, 5)
    _draft(cw, cycle, 1, 3)
    with pytest.raises(InvalidInput, match="QUOTA_ORDERS_OVER_TARGET"):
        actions_cycle.quota_override(
            cycle=cycle,
            commune=cw.world.communes[2],
            quota=9,
            reason="Nhiều thanh niên tình nguyện",
            acting_user=cw.province_user,
        )
    with pytest.raises(InvalidInput, match="QUOTA_ORDERS_OVER_TARGET"):
        actions_cycle.cycle_target_set(cycle=cycle, target=7, acting_user=cw.province_user)
    actions_cycle.quota_override(
        cycle=cycle,
        commune=cw.world.communes[2],
        quota=4,
        reason="Giữ nguyên",
        acting_user=cw.province_user,
    )
    with pytest.raises(InvalidInput, match="QUOTA_EXCEEDED"):
        _draft(cw, cycle, 2, 5)
    _draft(cw, cycle, 2, 4)
    ordered = queries_cycle.orders_by_commune(cycle)
    assert sum(ordered.values()) == 12 == cycle.target
    assert all(_quotas(cycle)[code] >= n for code, n in ordered.items())


def test_target_change_reshares(cw):
    cycle = _proposed(cw, target=5)
    actions_cycle.cycle_target_set(cycle=cycle, target=10, acting_user=cw.province_user)
    assert _quotas(cycle) == {"99001": 6, "99002": 3, "99003": 1}


def test_commune_staff_cannot_override(cw):
    cycle = _proposed(cw)
    with pytest.raises(PermissionDenied):
        actions_cycle.quota_override(
            cycle=cycle,
            commune=cw.world.communes[0],
            quota=1,
            reason="x",
            acting_user=cw.commune_user,
        )


# ── batches ──────────────────────────────────────────────────────────────────────────────


def test_out_of_scope_user_cannot_draft(cw):
    cycle = _proposed(cw)
    with pytest.raises(PermissionDenied):
        _batch(cw, cycle, acting_user=cw.outside_user)


def test_auditor_cannot_draft(cw):
    cycle = _proposed(cw)
    with pytest.raises(PermissionDenied):
        _batch(cw, cycle, acting_user=cw.auditor)


def test_ineligible_or_foreign_person_refused(cw):
    cycle = _proposed(cw)
    commune = cw.world.communes[0]
    with pytest.raises(InvalidInput, match="BATCH_NOT_ELIGIBLE"):
        actions_orders.order_batch_create(
            cycle=cycle,
            commune=commune,
            person_ids=[cw.too_young.pk],
            report_on=REPORT_ON,
            report_place="Xã",
            acting_user=cw.commune_user,
            today=TODAY,
        )
    with pytest.raises(InvalidInput, match="BATCH_NOT_RESIDENTS"):
        actions_orders.order_batch_create(
            cycle=cycle,
            commune=commune,
            person_ids=[cw.men["99002"][0].pk],
            report_on=REPORT_ON,
            report_place="Xã",
            acting_user=cw.province_user,
            today=TODAY,
        )
    assert not OrderBatch.objects.exists()


def test_more_orders_than_the_quota_refused(cw):
    cycle = _proposed(cw)  # quota of 99001: 3
    with pytest.raises(InvalidInput, match="QUOTA_EXCEEDED"):
        _batch(cw, cycle, count=4)
    _batch(cw, cycle, count=3)
    assert CallupOrder.objects.count() == 3


def test_one_order_per_person_per_cycle(cw):
    cycle = _proposed(cw)
    _batch(cw, cycle, count=1)
    with pytest.raises(InvalidInput, match="BATCH_ALREADY_ORDERED"):
        _batch(cw, cycle, count=1)


def test_fifteen_days_notice(cw):
    cycle = _proposed(cw)
    with pytest.raises(InvalidInput, match="CALLUP_NOTICE_DAYS"):
        _batch(cw, cycle, report_on=TODAY + timedelta(days=14))
    batch = _batch(cw, cycle, report_on=TODAY + timedelta(days=20))
    # Approved ten days later, the notice no longer holds.
    with pytest.raises(InvalidInput, match="CALLUP_NOTICE_DAYS"):
        actions_orders.order_batch_approve(
            batch=batch, acting_user=cw.commune_user_2, today=TODAY + timedelta(days=10)
        )
    actions_orders.order_batch_approve(
        batch=batch, acting_user=cw.commune_user_2, today=TODAY + timedelta(days=5)
    )


def test_approving_ones_own_batch_is_refused(cw):
    cycle = _proposed(cw)
    batch = _batch(cw, cycle)
    with pytest.raises(InvalidInput, match="BATCH_TWO_PERSON_RULE"):
        actions_orders.order_batch_approve(batch=batch, acting_user=cw.commune_user, today=TODAY)
    assert not CallupOrder.objects.exclude(number="").exists()


def test_the_database_holds_the_two_person_rule(cw):
    cycle = _proposed(cw)
    batch = _batch(cw, cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderBatch.objects.filter(pk=batch.pk).update(approved_by=cw.commune_user)


def test_approval_numbers_and_codes_once(cw):
    orders = _issued(cw, count=2)
    assert [o.number for o in orders]
    assert all(o.issued_on == TODAY for o in orders)
    assert sorted(o.number for o in orders) == ["1/2027/LGNN-99001", "2/2027/LGNN-99001"]
    codes = {o.verification_code for o in orders}
    assert len(codes) == 2
    assert all(c and len(c) == 10 for c in codes)
    batch = orders[0].batch
    with pytest.raises(InvalidInput, match="BATCH_ALREADY_APPROVED"):
        actions_orders.order_batch_approve(batch=batch, acting_user=cw.province_user, today=TODAY)
    assert {o.verification_code for o in batch.orders.all()} == codes
    assert AuditEvent.objects.filter(action="conscription.batch.approved").count() == 1
    # The next batch of the commune continues the numbering.
    cycle = batch.cycle
    second = actions_orders.order_batch_create(
        cycle=cycle,
        commune=cw.world.communes[0],
        person_ids=[cw.men["99001"][2].pk],
        report_on=REPORT_ON,
        report_place="Xã",
        acting_user=cw.commune_user_2,
        today=TODAY,
    )
    actions_orders.order_batch_approve(batch=second, acting_user=cw.commune_user, today=TODAY)
    assert second.orders.get().number == "3/2027/LGNN-99001"


# ── delivery, handover, service, reserve ─────────────────────────────────────────────────


def test_serve_dates_checked(cw):
    order = _issued(cw)[0]
    with pytest.raises(InvalidInput, match="ORDER_SERVED_BEFORE_ISSUED"):
        actions_orders.order_serve(
            order=order,
            served_on=TODAY - timedelta(days=1),
            served_how="in_person",
            acknowledged=True,
            acting_user=cw.commune_user,
            today=TODAY,
        )
    with pytest.raises(InvalidInput, match="DATE_IN_FUTURE"):
        actions_orders.order_serve(
            order=order,
            served_on=TODAY + timedelta(days=1),
            served_how="in_person",
            acknowledged=True,
            acting_user=cw.commune_user,
            today=TODAY,
        )
    order = actions_orders.order_serve(
        order=order,
        served_on=TODAY,
        served_how="family",
        acknowledged=True,
        acting_user=cw.commune_user,
        today=TODAY,
    )
    assert (order.served_on, order.served_how, order.acknowledged) == (TODAY, "family", True)


def _handover(cw: CycleWorld, order: CallupOrder, outcome: str, on: date = REPORT_ON):
    return actions_orders.handover_record(
        order=order,
        outcome=outcome,
        outcome_on=on,
        note="",
        unit_name="Trung đoàn 1",
        acting_user=cw.commune_user,
        today=on,
    )


@pytest.mark.parametrize(
    ("served_days", "category", "basis"),
    [(730, 1, "RES_CAT1_A"), (90, 2, "RES_CAT2_A")],
)
def test_reported_enlists_then_discharge_enters_the_reserve(cw, served_days, category, basis):
    order = _issued(cw)[0]
    _handover(cw, order, "reported")
    _handover(cw, order, "reported")  # idempotent
    record = ServiceRecord.objects.get(order=order)
    assert record.enlisted_on == REPORT_ON
    assert record.unit_name == "Trung đoàn 1"
    with pytest.raises(InvalidInput, match="HANDOVER_ALREADY_ENLISTED"):
        _handover(cw, order, "postponed")
    service_discharge(
        record=record,
        discharged_on=REPORT_ON + timedelta(days=served_days),
        acting_user=cw.province_user,
    )
    membership = ReserveMembership.objects.get(person=order.person)
    assert (membership.category, membership.basis_code) == (category, basis)


def test_failed_to_report_frees_the_quota_place(cw):
    orders = _issued(cw, count=3)  # the whole quota of 99001
    cycle = orders[0].cycle
    with pytest.raises(InvalidInput, match="QUOTA_EXCEEDED"):
        _batch_of(cw, cycle, 3)
    _handover(cw, orders[0], "failed_to_report")
    _handover(cw, orders[1], "postponed")
    assert not ServiceRecord.objects.exists()
    _batch_of(cw, cycle, 3)


def _batch_of(cw: CycleWorld, cycle, index: int) -> OrderBatch:
    return actions_orders.order_batch_create(
        cycle=cycle,
        commune=cw.world.communes[0],
        person_ids=[cw.men["99001"][index].pk],
        report_on=REPORT_ON,
        report_place="Xã",
        acting_user=cw.commune_user,
        today=TODAY,
    )


def test_handover_needs_an_issued_order(cw):
    cycle = _proposed(cw)
    order = _batch(cw, cycle).orders.all()[0]
    with pytest.raises(InvalidInput, match="ORDER_NOT_ISSUED"):
        _handover(cw, order, "reported")
