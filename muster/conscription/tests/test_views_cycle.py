"""The call-up pages: cycle list and creation, the quota page, drafting and approving a batch,
an order's delivery and handover, the PDFs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from muster.conscription.actions import cycle as actions_cycle
from muster.conscription.models import (
    CallupCycle,
    CallupOrder,
    CommuneQuota,
    OrderBatch,
    ServiceRecord,
)
from muster.conscription.tests.factories_cycle import CycleWorld, cycle_make, cycle_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw() -> CycleWorld:
    return cycle_world()


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _cycle(cw: CycleWorld) -> CallupCycle:
    cycle = cycle_make(cw)
    actions_cycle.quotas_propose(cycle=cycle, acting_user=cw.province_user)
    return cycle


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_province_staff_opens_a_cycle_and_proposes_quotas(cw):
    client = _client(cw.province_user)
    page = client.get("/callup/cycles/")
    assert page.status_code == 200
    assert 'id="cycle-create-form"' in page.content.decode()
    response = client.post(
        "/callup/cycles/new/",
        {"province": "99", "year": "2027", "callup_date": "2027-02-20", "target": "5"},
    )
    cycle = CallupCycle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/callup/cycles/{cycle.pk}/"
    client.post(f"/callup/cycles/{cycle.pk}/propose/")
    body = client.get(f"/callup/cycles/{cycle.pk}/").content.decode()
    assert 'id="quota-99001"' in body
    assert 'id="quota-total">5<' in body


def test_commune_staff_sees_no_create_form_and_only_his_commune(cw):
    cycle = _cycle(cw)
    client = _client(cw.commune_user)
    assert 'id="cycle-create-form"' not in client.get("/callup/cycles/").content.decode()
    body = client.get(f"/callup/cycles/{cycle.pk}/").content.decode()
    assert 'id="quota-99001"' in body
    assert "99002" not in body
    assert "99003" not in body
    assert 'id="propose-form"' not in body
    assert client.post(f"/callup/cycles/{cycle.pk}/propose/").status_code == 403


def test_override_refused_with_a_clear_message(cw):
    cycle = _cycle(cw)
    client = _client(cw.province_user)
    url = f"/callup/cycles/{cycle.pk}/quotas/99001/override/"
    response = client.post(url, {"quota": "9", "reason": "Xin thêm"}, follow=True)
    assert "nhiều hơn chỉ tiêu của tỉnh là 5" in _messages(response)  # the reason, in Vietnamese
    response = client.post(url, {"quota": "4", "reason": "Đông dân"}, follow=True)
    assert 'id="quota-total">5<' in response.content.decode()
    assert "Đông dân" in response.content.decode()


def _form(cycle: CallupCycle, **rows: str) -> dict[str, str]:
    """The quota form as the page fills it (each commune's quota and reason), then `rows`."""
    data = {}
    for row in CommuneQuota.objects.filter(cycle=cycle).select_related("commune"):
        data[f"quota-{row.commune.code}"] = str(row.quota)
        data[f"reason-{row.commune.code}"] = row.override_reason
    return data | {key.replace("_", "-"): value for key, value in rows.items()}


def test_one_form_for_every_communes_quota(cw):
    cycle = _cycle(cw)  # target 5: 99001 → 3, 99002 → 2, 99003 → 0
    client = _client(cw.province_user)
    page = client.get(f"/callup/cycles/{cycle.pk}/").content.decode()
    assert page.count('id="quotas-form"') == 1
    assert "/override/" not in page  # no form per commune any more
    for code in ("99001", "99002", "99003"):
        assert f'name="quota-{code}"' in page
    saved = client.post(
        f"/callup/cycles/{cycle.pk}/quotas/",
        _form(cycle, quota_99002="3", reason_99002="Đông dân", quota_99003="1", reason_99003="Xin"),
    )
    assert saved.status_code == 302
    quotas = dict(CommuneQuota.objects.filter(cycle=cycle).values_list("commune__code", "quota"))
    assert quotas == {"99001": 1, "99002": 3, "99003": 1}
    cleared = client.post(f"/callup/cycles/{cycle.pk}/quotas/", _form(cycle, clear_99003="1"))
    assert cleared.status_code == 302
    assert CommuneQuota.objects.get(cycle=cycle, commune__code="99003").override_reason == ""


def test_the_quota_form_names_the_commune_and_field_of_each_error(cw):
    cycle = _cycle(cw)
    before = dict(CommuneQuota.objects.filter(cycle=cycle).values_list("commune__code", "quota"))
    client = _client(cw.province_user)
    refused = client.post(
        f"/callup/cycles/{cycle.pk}/quotas/",
        _form(cycle, quota_99002="1", reason_99002="", quota_99003="x", reason_99003="Lý do"),
    )
    assert refused.status_code == 400
    body = refused.content.decode()
    row_2 = body.split('id="quota-99002"')[1].split("</tr>")[0]
    assert "Xã Một2: hãy nêu lý do điều chỉnh chỉ tiêu." in row_2
    row_3 = body.split('id="quota-99003"')[1].split("</tr>")[0]
    assert 'aria-invalid="true"' in row_3
    assert 'value="x"' in row_3  # what was typed comes back
    # Over the commune's eligible pool (99003 has 1 eligible man): the rule names it.
    over = client.post(
        f"/callup/cycles/{cycle.pk}/quotas/", _form(cycle, quota_99003="2", reason_99003="Xin")
    )
    row_3 = over.content.decode().split('id="quota-99003"')[1].split("</tr>")[0]
    assert "Chỉ tiêu 2 vượt quá 1 nam thanh niên đủ điều kiện của Xã Một3." in row_3
    after = dict(CommuneQuota.objects.filter(cycle=cycle).values_list("commune__code", "quota"))
    assert after == before


def test_draft_approve_serve_and_hand_over(cw):
    cycle = _cycle(cw)
    drafter, approver = _client(cw.commune_user), _client(cw.commune_user_2)
    new_url = f"/callup/cycles/{cycle.pk}/communes/99001/batches/new/"
    page = drafter.get(new_url)
    men = cw.men["99001"]
    assert men[0].full_name in page.content.decode()
    assert cw.too_young.full_name not in page.content.decode()
    report_on = timezone.localdate() + timedelta(days=20)
    response = drafter.post(
        new_url,
        {
            "person_ids": [men[0].pk, men[1].pk],
            "report_on": report_on.isoformat(),
            "report_place": "Sân vận động",
            "report_time": "07:30",
        },
    )
    batch = OrderBatch.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/callup/batches/{batch.pk}/"
    drafted = drafter.get(response["Location"]).content.decode()
    assert 'id="approve-form"' not in drafted
    assert "07:30" in drafted
    refused = drafter.post(f"/callup/batches/{batch.pk}/approve/", follow=True)
    assert "nguyên tắc hai người duyệt" in _messages(refused)
    assert 'id="approve-form"' in approver.get(response["Location"]).content.decode()
    approver.post(f"/callup/batches/{batch.pk}/approve/")
    order = CallupOrder.objects.order_by("pk")[0]
    assert order.number
    assert order.verification_code

    today = timezone.localdate().isoformat()
    detail = f"/callup/orders/{order.pk}/"
    assert order.verification_code in drafter.get(detail).content.decode()
    drafter.post(
        f"{detail}serve/", {"served_on": today, "served_how": "in_person", "acknowledged": "on"}
    )
    drafter.post(
        f"{detail}handover/",
        {"outcome": "reported", "outcome_on": today, "unit_name": "Trung đoàn 2"},
    )
    assert ServiceRecord.objects.get(order=order).unit_name == "Trung đoàn 2"
    handover = drafter.get(f"/callup/cycles/{cycle.pk}/handover/").content.decode()
    assert order.number in handover
    assert "Trung đoàn 2" in handover

    for url in (f"{detail}order.pdf", f"/callup/batches/{batch.pk}/orders.pdf"):
        pdf = drafter.get(url)
        assert pdf.status_code == 200
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")


def test_ineligible_pick_refused_on_the_page(cw):
    cycle = _cycle(cw)
    client = _client(cw.commune_user)
    url = f"/callup/cycles/{cycle.pk}/communes/99001/batches/new/"
    response = client.post(
        url,
        {
            "person_ids": [cw.too_young.pk],
            "report_on": (timezone.localdate() + timedelta(days=20)).isoformat(),
            "report_place": "Xã",
        },
    )
    assert response.status_code == 200
    assert not OrderBatch.objects.exists()


def test_outside_commune_is_404(cw):
    cycle = _cycle(cw)
    client = _client(cw.commune_user)
    assert client.get(f"/callup/cycles/{cycle.pk}/communes/99003/").status_code == 404
    assert client.get(f"/callup/cycles/{cycle.pk}/communes/99001/").status_code == 200
