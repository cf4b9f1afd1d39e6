"""The public verification page: anyone, without logging in, learns whether an order is
genuine, and nothing beyond the allowed fields."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from muster.conscription.actions import cycle as actions_cycle
from muster.conscription.actions import orders as actions_orders
from muster.conscription.models import CallupOrder
from muster.conscription.tests.factories_cycle import REPORT_ON, TODAY, cycle_make, cycle_world
from muster.conscription.views.orders import masked_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def order() -> CallupOrder:
    cw = cycle_world()
    cycle = cycle_make(cw)
    actions_cycle.quotas_propose(cycle=cycle, acting_user=cw.province_user)
    batch = actions_orders.order_batch_create(
        cycle=cycle,
        commune=cw.world.communes[0],
        person_ids=[cw.men["99001"][0].pk],
        report_on=REPORT_ON,
        report_place="Sân vận động xã",
        acting_user=cw.commune_user,
        today=TODAY,
    )
    actions_orders.order_batch_approve(batch=batch, acting_user=cw.commune_user_2, today=TODAY)
    return batch.orders.select_related("person").get()


def test_genuine_order_shows_only_the_allowed_fields(order):
    response = Client().get(f"/verify/{order.verification_code}/")
    assert response.status_code == 200
    body = response.content.decode()
    person = order.person
    assert "Genuine" in body or "Đúng" in body or order.number in body
    assert order.number in body
    assert person.full_name in body
    assert masked_id(person.personal_id) in body
    assert person.personal_id[-3:] in body
    assert "25/02/2027" in body
    assert "Sân vận động xã" in body
    # Nothing else of the person: no full ID, birth date, address, other records.
    assert person.personal_id not in body
    assert person.birth_date.strftime("%d/%m/%Y") not in body
    assert person.birth_date.isoformat() not in body
    assert person.address not in body
    assert "Trần Văn B" not in body  # another man of the same commune


def test_lower_case_code_is_accepted(order):
    assert Client().get(f"/verify/{order.verification_code.lower()}/").status_code == 200


def test_unknown_code_is_not_genuine(order):
    response = Client().get("/verify/AAAAAAAAAA/")
    assert response.status_code == 404
    assert order.person.full_name not in response.content.decode()
    assert 'id="verify-result"' in response.content.decode()


def test_draft_order_is_not_verifiable(order):
    CallupOrder.objects.filter(pk=order.pk).update(issued_on=None)
    assert Client().get(f"/verify/{order.verification_code}/").status_code == 404


def test_revoked_and_served_are_shown(order):
    CallupOrder.objects.filter(pk=order.pk).update(
        revoked_at=timezone.now(), served_on=TODAY, served_how="in_person"
    )
    body = Client().get(f"/verify/{order.verification_code}/").content.decode()
    assert 'id="verify-revoked"' in body


def test_masked_id():
    assert masked_id("001205012345") == "•••••••••345"
