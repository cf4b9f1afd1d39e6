"""The landing page's figures: work due, call-up progress, militia against target, per unit."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muster.conscription.models import (
    CallupCycle,
    CallupOrder,
    CommuneQuota,
    HandoverOutcome,
    OrderBatch,
)
from muster.core.errors import NotFound
from muster.militia.models import MilitiaMembership, MilitiaTarget
from muster.people.models import Person, Sex
from muster.readiness import dashboard
from muster.readiness.tests.factories import TODAY, World, build_world, person
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind

pytestmark = pytest.mark.django_db


def _item(p: Person, kind: str, due_on: date | None, *, resolved: bool = False) -> None:
    WorkItem.objects.create(
        kind=kind,
        person=p,
        commune=p.residence_commune,
        key=f"{kind}-{due_on}",
        due_on=due_on,
        source="test",
        resolved_at=datetime(2026, 3, 1, tzinfo=UTC) if resolved else None,
    )


def _member(p: Person, world: World, unit_code: str) -> None:
    MilitiaMembership.objects.create(
        person=p,
        unit=getattr(world, unit_code),
        force_kind="in_place",
        joined_on=date(2025, 8, 1),
        valid_from=date(2025, 8, 1),
        term_years=4,
        term_ends_on=date(2029, 7, 31),
    )


@pytest.fixture
def world() -> World:
    world = build_world()
    late, later = TODAY - timedelta(days=3), TODAY + timedelta(days=10)
    _item(world.an, Kind.DUE_FIRST_REGISTRATION, late)  # c1, overdue
    _item(world.an, Kind.TRANSFER_OUT, later)  # c1, open
    _item(world.an, Kind.DECEASED, late, resolved=True)  # closed: not counted
    _item(world.binh, Kind.DUE_FIRST_REGISTRATION, later)  # c2
    _item(world.cuong, Kind.TRANSFER_IN, late)  # c3, overdue
    # The 2027 call-up (the current cycle: the latest): quotas in c1 and c3.
    old = CallupCycle.objects.create(
        year=2026, province=world.province, callup_date=date(2026, 2, 1), rules_version="1"
    )
    CommuneQuota.objects.create(cycle=old, commune=world.c1, pool=9, proposed=9, quota=9)
    cycle = CallupCycle.objects.create(
        year=2027, province=world.province, callup_date=date(2027, 2, 1), rules_version="1"
    )
    CommuneQuota.objects.create(cycle=cycle, commune=world.c1, pool=5, proposed=2, quota=2)
    CommuneQuota.objects.create(cycle=cycle, commune=world.c3, pool=5, proposed=2, quota=2)
    batch = OrderBatch.objects.create(
        cycle=cycle,
        commune=world.c1,
        report_on=date(2027, 2, 20),
        report_place="Sân vận động",
        created_by=world.commune_user,
    )
    CallupOrder.objects.create(
        cycle=cycle,
        batch=batch,
        person=world.an,
        issued_on=TODAY,
        outcome=HandoverOutcome.REPORTED,
    )
    extra = person(
        personal_id="091205000009",
        full_name="Vũ Văn Thêm",
        sex=Sex.MALE,
        birth_date=date(2005, 3, 3),
        commune=world.c1,
    )
    CallupOrder.objects.create(cycle=cycle, batch=batch, person=extra)  # drafted, not issued
    # Militia: c1's command 2 of 3, c3's 1 with no target.
    _member(world.an, world, "cc1")
    _member(extra, world, "cc1")
    _member(world.cuong, world, "cc3")
    MilitiaTarget.objects.create(unit=world.cc1, size=3, valid_from=date(2025, 7, 1))
    return world


def _work(figures: dashboard.Figures) -> dict[str, tuple[int, int]]:
    return {w.kind: (w.open, w.overdue) for w in figures.work if w.open}


def test_commune_user_sees_his_commune_and_nothing_below(world: World) -> None:
    board = dashboard.dashboard(world.commune_user, day=TODAY)
    assert board.figures.unit == world.cc1
    assert board.commune_code == world.c1.code
    assert _work(board.figures) == {
        Kind.DUE_FIRST_REGISTRATION: (1, 1),
        Kind.TRANSFER_OUT: (1, 0),
    }
    assert (board.figures.open, board.figures.overdue) == (2, 1)
    callup = board.figures.callup
    assert (callup.year, callup.quota, callup.issued, callup.reported) == (2027, 2, 1, 1)
    assert callup.issued_share == 0.5
    militia = board.figures.militia
    assert (militia.members, militia.target, militia.below_target) == (2, 3, 1)
    assert board.children == []
    assert [c.year for c in board.cycles] == [2027]


def test_province_user_sees_the_totals_and_each_area_below(world: World) -> None:
    board = dashboard.dashboard(world.province_user, day=TODAY)
    assert board.figures.unit == world.provincial
    assert board.figures.communes == 3
    assert (board.figures.open, board.figures.overdue) == (4, 2)
    assert board.figures.callup.quota == 4
    assert (board.figures.militia.members, board.figures.militia.target) == (3, 3)
    assert [c.unit for c in board.children] == [world.area1, world.area2]
    area1, area2 = board.children
    assert (area1.communes, area1.open, area1.overdue) == (2, 3, 1)
    assert (area2.communes, area2.open, area2.overdue, area2.militia.members) == (1, 1, 1, 1)
    assert area2.militia.share is None  # no target set: no share to show


def test_drill_down_to_an_area_and_back_up(world: World) -> None:
    board = dashboard.dashboard(world.province_user, unit_code=world.area1.code, day=TODAY)
    assert board.figures.unit == world.area1
    assert [c.unit for c in board.children] == [world.cc1, world.cc2]
    assert board.parent == world.provincial
    # The area user may not look above his own command: no link up.
    assert dashboard.dashboard(world.area_user, day=TODAY).parent is None


@pytest.mark.parametrize("code", ["PTKV-91-2", "BCHQS-91", "QK-T", "NOPE"])
def test_a_unit_outside_the_jurisdiction_is_not_found(world: World, code: str) -> None:
    with pytest.raises(NotFound):
        dashboard.dashboard(world.area_user, unit_code=code, day=TODAY)


def test_the_country_for_the_administrator(world: World) -> None:
    board = dashboard.dashboard(world.admin, day=TODAY)
    assert board.figures.unit is None
    assert [c.unit for c in board.children] == [world.region]
    assert board.children[0].open == 4


def test_a_fixed_handful_of_queries_whatever_the_size(world: World) -> None:
    dashboard.dashboard(world.province_user, day=TODAY)  # the scope cached, as on any page
    with CaptureQueriesContext(connection) as captured:
        dashboard.dashboard(world.province_user, day=TODAY)
    # Grouped reads, one per org and admin level below: 18 for a province, as for a region.
    assert len(captured.captured_queries) <= 20
