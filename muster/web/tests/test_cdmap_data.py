"""The civil-defence map's layers (`web.cdmap_data`): a shelter's or means' point leads to its
record's form for who may keep the register, and to nothing for who may not."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import World, build_world
from muster.civildefence import actions
from muster.civildefence.tests.factories import SOUTH, WEST, shape_communes
from muster.web import cdmap_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    found = build_world()
    shape_communes(found)
    return found


def _place(world: World, code: str, kind: str) -> actions.PlaceInput:
    return actions.PlaceInput(
        code=code,
        kind=kind,
        name=f"Nơi {code}",
        unit=world.commune_commands[0],
        commune=world.communes[0],
        lat=SOUTH + 0.05,
        lon=WEST + 0.05,
        capacity=40,
        valid_from=date(2026, 1, 1),
    )


def test_register_points_lead_to_their_forms_for_who_may_keep_the_register(world: World) -> None:
    actions.shelter_save(given=_place(world, "S-1", "school"), acting_user=None)
    actions.means_save(given=_place(world, "M-1", "boat"), operator=None, acting_user=None)
    day = timezone.localdate()
    staff = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    auditor = world.user("kt1", Role.AUDITOR, world.commune_commands[0])
    for user, shelter_url, means_url in (
        (staff, "/civil-defence/shelters/S-1/", "/civil-defence/means/M-1/"),
        (auditor, "", ""),
    ):
        found = cdmap_data.layers(user, day, [], None, [])
        assert [f["properties"]["url"] for f in found["shelters"]["features"]] == [shelter_url]
        assert [f["properties"]["url"] for f in found["means"]["features"]] == [means_url]
