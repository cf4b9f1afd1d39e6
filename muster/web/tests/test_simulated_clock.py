"""Facts dated after today (the demo's handover on a simulated clock) never pass for facts:
a banner on every page while the database holds them, a "simulated" tag on each such date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from muster.conscription.actions import cycle as actions_cycle
from muster.conscription.actions import orders as actions_orders
from muster.conscription.models import CallupOrder
from muster.conscription.tests.factories_cycle import cycle_make, cycle_world
from muster.core.templatetags.clock import is_future, simulated

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()


def test_the_tag_marks_only_dates_after_today() -> None:
    assert simulated(TODAY) == ""
    assert simulated(TODAY - timedelta(days=1)) == ""
    assert simulated(None) == ""
    tag = simulated(TODAY + timedelta(days=1))
    assert 'class="tag simulated"' in tag
    assert is_future(date(TODAY.year + 1, 3, 1))


def test_a_handover_on_the_simulated_clock_is_flagged_where_it_is_shown() -> None:
    cw = cycle_world()
    cycle = cycle_make(cw)
    actions_cycle.quotas_propose(cycle=cycle, acting_user=cw.province_user)
    man = cw.men["99001"][0]
    report_on = TODAY + timedelta(days=40)
    batch = actions_orders.order_batch_create(
        cycle=cycle, commune=man.residence_commune, person_ids=[man.pk], report_on=report_on,
        report_place="Trụ sở Ban CHQS xã", acting_user=cw.commune_user,
    )  # fmt: skip
    actions_orders.order_batch_approve(batch=batch, acting_user=cw.commune_user_2)
    order = CallupOrder.objects.get(batch=batch)
    actions_orders.order_serve(
        order=order, served_on=TODAY, served_how="in_person", acknowledged=True,
        acting_user=cw.commune_user,
    )  # fmt: skip
    client = Client()
    client.force_login(cw.commune_user)
    assert 'id="simulated-banner"' not in client.get("/").content.decode()

    # The demo records the handover as it will stand on its day: the simulated clock.
    actions_orders.handover_record(
        order=order, outcome="reported", outcome_on=report_on, unit_name="Lữ đoàn 543",
        acting_user=cw.commune_user, today=report_on,
    )  # fmt: skip
    cache.clear()
    for page in ("/", f"/callup/orders/{order.pk}/", f"/callup/cycles/{cycle.pk}/handover/"):
        body = client.get(page).content.decode()
        assert 'id="simulated-banner"' in body, page
        assert report_on.strftime("%d/%m/%Y") in body, page
    detail = client.get(f"/callup/orders/{order.pk}/").content.decode()
    assert detail.count('class="tag simulated"') == 2  # the handover and the service start
    handover = client.get(f"/callup/cycles/{cycle.pk}/handover/").content.decode()
    assert 'class="tag simulated"' in handover
