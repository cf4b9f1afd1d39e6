"""The civil-defence pages lead to the map of what they show."""

from __future__ import annotations

import pytest
from django.test import Client

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.civildefence.tests.factories import import_zone

pytestmark = pytest.mark.django_db


def _client(world: World) -> Client:
    client = Client()
    client.force_login(world.user("tinh1", Role.PROVINCE_STAFF, world.provincial))
    return client


def test_a_hazard_page_links_to_its_zone_on_the_2d_and_3d_maps(world: World) -> None:
    import_zone("FLOOD-1")
    page = _client(world).get("/civil-defence/hazards/FLOOD-1/").content.decode()
    assert 'href="/map/civil-defence/?hazard=FLOOD-1"' in page
    assert 'href="/map/civil-defence/3d/?hazard=FLOOD-1"' in page


def test_the_hazard_list_links_to_the_map(world: World) -> None:
    import_zone("FLOOD-1")
    page = _client(world).get("/civil-defence/").content.decode()
    assert 'href="/map/civil-defence/"' in page
