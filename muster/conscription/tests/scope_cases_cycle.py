"""Scope cases for the cycle routes (merged by scope_cases.py).

`prepare` gives province 99 a 2026 cycle with quotas, and for each of the two persons (IN_ID in
commune 99001, OUT_ID in 99003) an issued order, plus a drafted batch per commune awaiting
approval. A second province (98) has its own cycle: a commune user of 99001 must not reach it.
Province-level writes answer 403 to commune staff in their province and 404 outside it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import REFORM, World
from muster.conscription.models import (
    CallupCycle,
    CallupOrder,
    CommuneQuota,
    OrderBatch,
)
from muster.conscription.tests.factories_cycle import person_make
from muster.geo.models import AdminUnit, Edition, Level
from muster.people.models import Person
from tests.scope_support import IN_ID, OUT_ID, Case, Write

CALLUP = date(2026, 2, 20)
DRAFT_IDS = {"99001": "099090001299", "99003": "099090005699"}


def _cycle(province: AdminUnit, target: int) -> CallupCycle:
    return CallupCycle.objects.create(
        year=CALLUP.year,
        province=province,
        callup_date=CALLUP,
        target=target,
        rules_version="2025-07",
    )


def prepare(world: World) -> None:
    drafter = world.user("cc-drafter", Role.COMMUNE_STAFF, world.commune_commands[0])
    approver = world.user("cc-approver", Role.PROVINCE_STAFF, world.provincial)
    cycle = _cycle(world.province, target=4)
    for commune in world.communes:
        CommuneQuota.objects.create(cycle=cycle, commune=commune, pool=2, proposed=2, quota=2)
    today = timezone.localdate()
    report_on = today + timedelta(days=30)
    for commune, pid, code in (
        (world.communes[0], IN_ID, "SCOPEIN001"),
        (world.communes[2], OUT_ID, "SCOPEOUT01"),
    ):
        issued = OrderBatch.objects.create(
            cycle=cycle,
            commune=commune,
            report_on=report_on,
            report_place=f"Sân {commune.name}",
            created_by=drafter,
            approved_by=approver,
            approved_at=timezone.now(),
        )
        CallupOrder.objects.create(
            cycle=cycle,
            batch=issued,
            person=Person.objects.get(personal_id=pid),
            number=f"1/{CALLUP.year}/LGNN-{commune.code}",
            verification_code=code,
            issued_on=today,
        )
        draft = OrderBatch.objects.create(
            cycle=cycle,
            commune=commune,
            report_on=report_on,
            report_place=f"Sân {commune.name}",
            created_by=drafter,
        )
        extra = person_make(commune, DRAFT_IDS[commune.code], "Phạm Văn Bổ", born=date(2004, 6, 1))
        CallupOrder.objects.create(cycle=cycle, batch=draft, person=extra)
    other = AdminUnit.objects.create(
        edition=Edition.V2025,
        level=Level.PROVINCE,
        code="98",
        name="Tỉnh Khác",
        short_name="Khác",
        unit_type="Tỉnh",
        valid_from=REFORM,
        search_key="98",
    )
    _cycle(other, target=1)


def _cycle_id(province: str) -> int:
    return CallupCycle.objects.get(province__code=province, year=CALLUP.year).pk


def _c99(suffix: str = "") -> str:
    return f"/callup/cycles/{_cycle_id('99')}/{suffix}"


def _c98(suffix: str = "") -> str:
    return f"/callup/cycles/{_cycle_id('98')}/{suffix}"


def _batch(commune: str, approved: bool) -> int:
    batches = OrderBatch.objects.filter(commune__code=commune, approved_at__isnull=not approved)
    return batches.get().pk


def _order(pid: str) -> int:
    return CallupOrder.objects.get(person__personal_id=pid).pk


def _today(w: World) -> dict[str, str]:
    return {"served_on": timezone.localdate().isoformat(), "served_how": "in_person"}


CASES: dict[str, Case] = {
    "conscription:cycle_list": Case(lambda w: "/callup/cycles/"),
    # Commune staff may not open a cycle: no province is offered, the post is refused.
    "conscription:cycle_create": Case(
        lambda w: "/callup/cycles/new/",
        method="post",
        data=lambda w: {
            "province": "99",
            "year": "2026",
            "callup_date": "2026-02-20",
            "target": "3",
        },
        in_status=403,
    ),
    "conscription:cycle_detail": Case(lambda w: _c99(), lambda w: _c98()),
    "conscription:cycle_target": Case(
        lambda w: _c99("target/"),
        lambda w: _c98("target/"),
        method="post",
        data=lambda w: {"target": "5"},
        in_status=403,
    ),
    "conscription:quotas_propose": Case(
        lambda w: _c99("propose/"), lambda w: _c98("propose/"), method="post", in_status=403
    ),
    # The quota page's one form: the province's decision, refused to commune staff (403).
    "conscription:quotas_save": Case(
        lambda w: _c99("quotas/"),
        lambda w: _c98("quotas/"),
        method="post",
        data=lambda w: {"quota-99001": "1", "reason-99001": "Lý do"},
        in_status=403,
    ),
    "conscription:quota_override": Case(
        lambda w: _c99("quotas/99001/override/"),
        lambda w: _c99("quotas/99003/override/"),
        method="post",
        data=lambda w: {"quota": "1", "reason": "Lý do"},
        in_status=403,
    ),
    "conscription:quota_override_clear": Case(
        lambda w: _c99("quotas/99001/clear/"),
        lambda w: _c99("quotas/99003/clear/"),
        method="post",
        in_status=403,
    ),
    "conscription:handover_list": Case(lambda w: _c99("handover/")),
    "conscription:commune_cycle": Case(
        lambda w: _c99("communes/99001/"), lambda w: _c99("communes/99003/")
    ),
    "conscription:batch_new": Case(
        lambda w: _c99("communes/99001/batches/new/"), lambda w: _c99("communes/99003/batches/new/")
    ),
    "conscription:batch_detail": Case(
        lambda w: f"/callup/batches/{_batch('99001', True)}/",
        lambda w: f"/callup/batches/{_batch('99003', True)}/",
    ),
    "conscription:batch_approve": Case(
        lambda w: f"/callup/batches/{_batch('99001', False)}/approve/",
        lambda w: f"/callup/batches/{_batch('99003', False)}/approve/",
        method="post",
        in_status=302,
    ),
    "conscription:batch_pdf": Case(
        lambda w: f"/callup/batches/{_batch('99001', True)}/orders.pdf",
        lambda w: f"/callup/batches/{_batch('99003', True)}/orders.pdf",
    ),
    "conscription:order_detail": Case(
        lambda w: f"/callup/orders/{_order(IN_ID)}/", lambda w: f"/callup/orders/{_order(OUT_ID)}/"
    ),
    "conscription:order_pdf": Case(
        lambda w: f"/callup/orders/{_order(IN_ID)}/order.pdf",
        lambda w: f"/callup/orders/{_order(OUT_ID)}/order.pdf",
    ),
    "conscription:order_serve": Case(
        lambda w: f"/callup/orders/{_order(IN_ID)}/serve/",
        lambda w: f"/callup/orders/{_order(OUT_ID)}/serve/",
        method="post",
        data=_today,
        in_status=302,
    ),
    "conscription:order_handover": Case(
        lambda w: f"/callup/orders/{_order(IN_ID)}/handover/",
        lambda w: f"/callup/orders/{_order(OUT_ID)}/handover/",
        method="post",
        data=lambda w: {"outcome": "postponed", "outcome_on": timezone.localdate().isoformat()},
        in_status=302,
    ),
}


# Writes on what lies outside commune 99001: province 98's cycle, commune 99003's quota,
# batches and orders (tests/test_route_scopes.py posts each as every role).
WRITES: dict[str, Write] = {
    "conscription:cycle_create": Write(
        lambda w: "/callup/cycles/new/",
        lambda w: {"province": "98", "year": "2027", "callup_date": "2027-02-20", "target": "3"},
    ),
    "conscription:cycle_target": Write(lambda w: _c98("target/"), lambda w: {"target": "5"}),
    "conscription:quotas_propose": Write(lambda w: _c98("propose/")),
    "conscription:quota_override": Write(
        lambda w: _c99("quotas/99003/override/"), lambda w: {"quota": "1", "reason": "Lý do"}
    ),
    "conscription:quotas_save": Write(
        lambda w: _c99("quotas/"),
        lambda w: {"quota-99003": "1", "reason-99003": "Lý do", "clear-99001": "1"},
    ),
    "conscription:quota_override_clear": Write(lambda w: _c99("quotas/99003/clear/")),
    "conscription:batch_new": Write(
        lambda w: _c99("communes/99003/batches/new/"),
        lambda w: {
            "person_ids": [str(Person.objects.get(personal_id=DRAFT_IDS["99003"]).pk)],
            "report_on": (timezone.localdate() + timedelta(days=30)).isoformat(),
            "report_place": "Sân xã",
            "report_time": "07:00",
        },
    ),
    "conscription:batch_approve": Write(
        lambda w: f"/callup/batches/{_batch('99003', False)}/approve/"
    ),
    "conscription:order_serve": Write(lambda w: f"/callup/orders/{_order(OUT_ID)}/serve/", _today),
    "conscription:order_handover": Write(
        lambda w: f"/callup/orders/{_order(OUT_ID)}/handover/",
        lambda w: {"outcome": "postponed", "outcome_on": timezone.localdate().isoformat()},
    ),
}
