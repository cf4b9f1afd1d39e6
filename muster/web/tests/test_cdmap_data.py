"""The civil-defence map's layers (`web.cdmap_data`, `web.cdmap_places`): a shelter's or means'
point leads to its record's form for who may keep the register, and to nothing for who may not;
every assignment of the current plan draws a line, from the resource's own point or, for one
without a place, from its unit's commune centre marked approximate."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import World, build_world
from muster.civildefence import actions
from muster.civildefence.models import PlanAssignment, PlanTask, ResponsePlan
from muster.civildefence.tests.factories import SIDE, SOUTH, WEST, import_zone, shape_communes
from muster.geo.models import AdminUnit
from muster.militia.models import MilitiaUnit
from muster.reserve.models_units import TechnicalMeans
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


def _assign(task: PlanTask, kind: str, code: str) -> PlanAssignment:
    return PlanAssignment.objects.create(
        task=task, resource_kind=kind, resource_code=code, resource_name=code, assigned=5
    )


def test_every_assignment_draws_a_line_resources_without_a_place_from_their_commune(
    world: World,
) -> None:
    """A shelter starts at its own point; the reserve's means, a militia unit, a command's
    militia and reservists at their unit's commune centre, marked approximate; a resource
    found nowhere at the plan's command's commune; a commune with no recorded centre at its
    shape's centroid."""
    zone = import_zone("FLOOD-1")
    actions.shelter_save(given=_place(world, "S-1", "school"), acting_user=None)
    day = timezone.localdate()
    plan = ResponsePlan.objects.create(
        hazard=zone,
        hazard_key=zone.key,
        unit=world.commune_commands[0],
        version=1,
        as_of=day,
        effective_from=day,
    )
    task = PlanTask.objects.create(
        plan=plan,
        code="T0001",
        kind="evacuate",
        commune=world.communes[0],
        people=100,
        demand=100,
        starts_on=day,
        ends_on=day,
    )
    TechnicalMeans.objects.create(
        kind="vehicle",
        registration="24C-123.45",
        capability="cargo_truck",
        owner="HTX Vận tải",
        commune=world.communes[1],
        state="ready",
        registry="test",
        registered_year=2026,
    )
    unit = MilitiaUnit.objects.create(
        command=world.commune_commands[1], name="Tiểu đội 1", echelon="squad", force_kind="mobile"
    )
    AdminUnit.objects.filter(pk=world.communes[2].pk).update(lat=None, lon=None)
    assignments = [
        _assign(task, "shelter", "S-1"),
        _assign(task, "reserve_means", "24C-123.45"),
        _assign(task, "militia_unit", f"MU-{unit.pk}-MED"),
        _assign(task, "militia_command", f"{world.commune_commands[2].code}-MED"),
        _assign(task, "reservists", f"RES-{world.communes[1].code}-SAR"),
        _assign(task, "reserve_means", "NOT-ON-RECORD"),
    ]
    user = world.user("tinh1", Role.PROVINCE_STAFF, world.provincial)
    lines = cdmap_data.layers(user, day, [zone], zone, [])["assignments"]["features"]
    assert len(lines) == len(assignments)
    starts = {
        f["properties"]["resource"]: (
            f["geometry"]["coordinates"][0],
            f["properties"]["approximate"],
        )
        for f in lines
    }

    def centre(index: int) -> list[object]:
        return [pytest.approx(WEST + (index + 0.5) * SIDE), pytest.approx(SOUTH + SIDE / 2)]

    assert starts["S-1"] == ([WEST + 0.05, SOUTH + 0.05], False)
    assert starts["24C-123.45"] == (centre(1), True)
    assert starts[f"MU-{unit.pk}-MED"] == (centre(1), True)
    assert starts[f"{world.commune_commands[2].code}-MED"] == (centre(2), True)  # the centroid
    assert starts[f"RES-{world.communes[1].code}-SAR"] == (centre(1), True)
    assert starts["NOT-ON-RECORD"] == (centre(0), True)  # the plan's own command's commune
