"""Every "Lists and reports" link a user is shown on the call-up pages opens (no 404)."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from muster.accounts.models import Role
from muster.conscription.actions import cycle as actions_cycle
from muster.conscription.tests.factories_cycle import cycle_make, cycle_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["commune", "area", "province"])
def test_report_links_on_the_cycle_pages_open(who):
    cw = cycle_world()
    cycle = cycle_make(cw)
    actions_cycle.quotas_propose(cycle=cycle, acting_user=cw.province_user)
    user = {
        "commune": cw.commune_user,
        "area": cw.world.user("ptkv", Role.AREA_STAFF, cw.world.areas[0]),
        "province": cw.province_user,
    }[who]
    client = Client()
    client.force_login(user)
    pages = [f"/callup/cycles/{cycle.pk}/", f"/callup/cycles/{cycle.pk}/communes/99001/"]
    links = []
    for page in pages:
        html = client.get(page).content.decode()
        links += re.findall(r'href="(/callup/reports/\?[^"]*)"', html)
    assert links, f"{who}: no link to the lists and reports"
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, (who, link, response.status_code)
