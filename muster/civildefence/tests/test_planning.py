"""Plans: tasks from exposure, resources assigned by min-cost flow within capacities,
shortfalls shown, one role per person, versions, the CLI's columns exactly."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date

import pytest
from django.core.management import call_command

from muster.accounts.models import Role
from muster.audit.models import AuditEvent
from muster.civildefence import actions, planning, solver
from muster.civildefence.models import HazardZone, PlanAssignment, ResponsePlan
from muster.civildefence.tests.factories import SIDE, SOUTH, WEST, import_zone
from muster.core.errors import InvalidInput, NotFound, PermissionDenied
from muster.militia.models import MilitiaMembership
from muster.people.models import Person
from muster.people.tests.factories import make_person
from muster.reserve.models import ReserveMembership

DAY = date(2026, 9, 7)


def _people(commune, count: int, birth: date = date(1990, 1, 1)) -> list[Person]:
    return [make_person(commune, birth_date=birth) for _ in range(count)]


def _shelter(world, code: str, index: int, capacity: int, east: float = 0.05) -> None:
    actions.shelter_save(
        given=actions.PlaceInput(
            code=code,
            kind="school",
            name=f"Trường {code}",
            unit=world.commune_commands[index],
            commune=world.communes[index],
            lat=SOUTH + 0.05,
            lon=WEST + index * SIDE + east,
            capacity=capacity,
        ),
        acting_user=None,
    )


def _means(world, code: str, kind: str, index: int, capacity: int, operator=None) -> None:
    actions.means_save(
        given=actions.PlaceInput(
            code=code,
            kind=kind,
            name=code,
            unit=world.commune_commands[index],
            commune=world.communes[index],
            lat=SOUTH + 0.05,
            lon=WEST + index * SIDE + 0.05,
            capacity=capacity,
        ),
        operator=operator,
        acting_user=None,
    )


def _militia(world, person, index: int) -> MilitiaMembership:
    return MilitiaMembership.objects.create(
        person=person,
        unit=world.commune_commands[index],
        force_kind="in_place",
        joined_on=date(2025, 1, 1),
        term_years=4,
        term_ends_on=date(2028, 12, 31),
        valid_from=date(2025, 7, 1),
    )


def _reservist(person) -> ReserveMembership:
    return ReserveMembership.objects.create(
        person=person,
        kind="nco_soldier",
        category=1,
        basis_code="RES_CAT1_A",
        source="test",
        specialty="INFANTRY",
        valid_from=date(2024, 1, 1),
    )


def _rows(plan: ResponsePlan) -> list[dict[str, str]]:
    out = io.StringIO()
    from muster.core.exports import machine_csv_write

    machine_csv_write(out, planning.PLAN_CSV_HEADER, planning.plan_csv_rows(plan))
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_solver_meets_demand_nearest_first_within_capacity():
    needs = [solver.Need(0, 10, solver.Point(22, 104)), solver.Need(1, 5, solver.Point(22, 105))]
    supplies = [
        solver.Supply(0, 8, solver.Point(22, 104.01)),
        solver.Supply(1, 4, solver.Point(22, 105.01)),
    ]
    km = solver.km_matrix([n.at for n in needs], [s.at for s in supplies])
    flows = solver.solve(needs, supplies, km)
    got = {(f.need, f.supply): f.amount for f in flows}
    # each task takes its near resource; what is missing is shortfall, not a far trip
    assert got == {(0, 0): 8, (1, 1): 4, (0, -1): 2, (1, -1): 1}


def test_solver_uses_a_far_resource_rather_than_fall_short():
    needs = [solver.Need(0, 10, solver.Point(22, 104))]
    supplies = [
        solver.Supply(0, 4, solver.Point(22, 104)),
        solver.Supply(1, 20, solver.Point(23, 104)),
    ]
    km = solver.km_matrix([n.at for n in needs], [s.at for s in supplies])
    got = {(f.need, f.supply): f.amount for f in solver.solve(needs, supplies, km)}
    assert got == {(0, 0): 4, (0, 1): 6}


def test_plan_assigns_within_capacity_and_shows_shortfall(world):
    one, two, _ = world.communes
    _people(one, 30)
    _people(one, 10, date(2015, 1, 1))  # children: carried
    _people(two, 20, date(1950, 1, 1))  # older: carried
    _shelter(world, "S1", 0, 25)
    _shelter(world, "S2", 1, 10)
    _means(world, "B1", "boat", 0, 12)
    _means(world, "MED1", "medical_team", 1, 100)
    for person in _people(one, 3):
        _militia(world, person, 0)
    zone = import_zone(severity=4)  # all of 99001 and half of 99002
    plan = planning.plan_compute(zone=zone, as_of=DAY, acting_user=None)
    assert plan.unit.code == "PTKV-99-1"
    rows = _rows(plan)
    assert list(rows[0]) == list(planning.PLAN_CSV_HEADER)
    used: dict[str, int] = defaultdict(int)
    capacity: dict[str, int] = {}
    for row in rows:
        if row["resource_kind"] == "shortfall":
            assert row["resource_code"] == ""
            continue
        used[row["resource_code"]] += int(row["assigned"])
        capacity[row["resource_code"]] = int(row["capacity"])
    assert all(used[c] <= capacity[c] for c in used)
    # 99001: 43 people (40 + 3 militia), 99002: 10 of 20 in the zone; 35 shelter places
    evacuate = [r for r in rows if r["task_kind"] == "evacuate"]
    assert sum(int(r["assigned"]) for r in evacuate) == 43 + 10
    assert sum(int(r["assigned"]) for r in evacuate if r["resource_kind"] == "shortfall") == 18
    assert plan.shortfall > 0
    assert AuditEvent.objects.filter(action="civildefence.plan.computed").count() == 1


def test_a_person_in_two_roles_is_assigned_once(world):
    one = world.communes[0]
    people = _people(one, 40)
    both = people[0]
    _militia(world, both, 0)
    _reservist(both)
    _reservist(people[1])
    zone = import_zone(severity=3, kind="flash_flood")  # 40 people: 2 rescuers
    plan = planning.plan_compute(zone=zone, as_of=DAY, acting_user=None)
    assert plan.conflicts == [
        {
            "person": both.pk,
            "kept": "militia",
            "role": "reservist",
            "code": "PERSON_ALREADY_ASSIGNED",
        }
    ]
    rescuers = {
        a.resource_code: a.capacity
        for a in PlanAssignment.objects.filter(
            task__plan=plan, task__kind="search_and_rescue"
        ).exclude(resource_kind="shortfall")
    }
    assert rescuers == {world.commune_commands[0].code: 1, "RES-99001-SAR": 1}


def test_recompute_makes_a_new_version_and_reimport_flags_it(world):
    _people(world.communes[0], 10)
    zone = import_zone()
    first = planning.plan_compute(zone=zone, as_of=DAY, acting_user=None)
    second = planning.plan_compute(zone=zone, as_of=DAY, acting_user=None)
    first.refresh_from_db()
    assert (first.status, second.status, second.version) == ("superseded", "current", 2)
    import_zone()
    second.refresh_from_db()
    assert second.needs_revision
    assert second.revision_reason == "hazard_changed"


def test_other_plans_in_the_window_keep_what_they_use(world):
    _people(world.communes[0], 20)
    _shelter(world, "S1", 0, 30)
    a = planning.plan_compute(zone=import_zone("A"), as_of=DAY, acting_user=None)
    b = planning.plan_compute(zone=import_zone("B"), as_of=DAY, acting_user=None)
    used = PlanAssignment.objects.filter(resource_code="S1")
    assert sum(x.assigned for x in used.filter(task__plan=a)) == 20
    assert sum(x.assigned for x in used.filter(task__plan=b)) == 10
    assert b.shortfall >= 10


def test_permissions_and_bad_input(world):
    _people(world.communes[0], 5)
    zone = import_zone(east=WEST + SIDE / 2)  # inside 99001
    outsider = world.user("c3", Role.COMMUNE_STAFF, world.commune_commands[2])
    with pytest.raises(PermissionDenied):
        planning.plan_compute(zone=zone, as_of=DAY, acting_user=outsider)
    with pytest.raises(NotFound):
        planning.plan_compute(
            zone=zone, as_of=DAY, acting_user=outsider, unit_code=world.commune_commands[0].code
        )
    inside = world.user("c1", Role.COMMUNE_STAFF, world.commune_commands[0])
    plan = planning.plan_compute(zone=zone, as_of=DAY, acting_user=inside)
    assert plan.unit == world.commune_commands[0]
    with pytest.raises(InvalidInput) as caught:
        planning.plan_compute(zone=zone, as_of=DAY, acting_user=None, terrain_factor=0.5)
    assert caught.value.errors[0].code == "TERRAIN_FACTOR_RANGE"


def test_plan_cli_columns(world, tmp_path):
    _people(world.communes[0], 12)
    _shelter(world, "S1", 0, 5, east=0.09)
    import_zone("YAGI")
    out = tmp_path / "plan.csv"
    call_command(
        "civildefence",
        "plan",
        "YAGI",
        "--as-of",
        "2026-09-08",
        "--out",
        str(out),
        stderr=io.StringIO(),
    )
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == [
        "task_id",
        "task_kind",
        "commune_code",
        "people",
        "resource_kind",
        "resource_code",
        "assigned",
        "capacity",
        "travel_km",
    ]
    assert rows[1][:8] == ["T0001", "evacuate", "99001", "12", "shelter", "S1", "5", "5"]
    assert rows[2][:8] == ["T0001", "evacuate", "99001", "12", "shortfall", "", "7", ""]
    assert float(rows[1][8]) > 0
    assert HazardZone.objects.get(key="YAGI").plans.count() == 1


def test_road_graph_travel(world, tmp_path):
    import networkx as nx  # type: ignore[import-untyped]

    graph = nx.Graph()
    graph.add_node("a", lat=22.05, lon=104.05)
    graph.add_node("b", lat=22.05, lon=104.15)
    graph.add_edge("a", "b", km=30.0)
    path = tmp_path / "roads.graphml"
    nx.write_graphml(graph, path)
    _people(world.communes[0], 4)
    _shelter(world, "S2", 1, 10)
    zone = import_zone(east=WEST + SIDE / 2)
    plan = planning.plan_compute(
        zone=zone, as_of=DAY, acting_user=None, roads=path, unit_code="PTKV-99-1"
    )
    assert plan.travel_method == "road_graph"
    row = next(a for a in PlanAssignment.objects.filter(task__plan=plan, resource_code="S2"))
    assert row.travel_km is not None
    assert row.travel_km > 30
    bad = tmp_path / "bad.graphml"
    bad.write_text("not xml")
    with pytest.raises(InvalidInput) as caught:
        planning.plan_compute(zone=zone, as_of=DAY, acting_user=None, roads=bad)
    assert caught.value.errors[0].code == "ROAD_GRAPH_UNREADABLE"


def test_owner_is_the_lowest_command_covering_the_communes(world):
    from muster.orgs.models import Territory

    one, two, three = (c.pk for c in world.communes)
    assert planning.owner_for([one], DAY) == world.commune_commands[0]
    assert planning.owner_for([one, two], DAY) == world.areas[0]
    assert planning.owner_for([one, three], DAY) == world.provincial
    # a commune with no commune command of its own: its area command holds it
    Territory.objects.filter(org_unit=world.commune_commands[0]).delete()
    from django.core.cache import cache

    cache.clear()
    assert planning.owner_for([one], DAY) == world.areas[0]
