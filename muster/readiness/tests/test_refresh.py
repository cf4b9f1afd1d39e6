"""The readiness summary tables: a refresh computes each commune's figures and rolls them up
commune command → area defence command → province → region; a refresh of some communes
leaves the others' snapshots alone; the audited writes queue a refresh on commit."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.militia.models import MilitiaMembership, MilitiaTarget
from muster.people.models import Sex
from muster.readiness import bulk, summary
from muster.readiness.models import CommuneSnapshot, UnitSnapshot
from muster.readiness.queries import commune_figures
from muster.readiness.tests.factories import TODAY, World, build_world, person

pytestmark = pytest.mark.django_db

CaptureOnCommit = Callable[..., AbstractContextManager[list[Callable[[], None]]]]


@pytest.fixture
def world() -> World:
    world = build_world()
    MilitiaMembership.objects.create(
        person=world.an,
        unit=world.cc1,
        force_kind="in_place",
        joined_on=date(2025, 8, 1),
        valid_from=date(2025, 8, 1),
        term_years=4,
        term_ends_on=date(2029, 7, 31),
    )
    MilitiaTarget.objects.create(unit=world.cc1, size=3, valid_from=date(2025, 7, 1))
    MilitiaTarget.objects.create(unit=world.cc3, size=2, valid_from=date(2025, 7, 1))
    return world


def _unit(world: World, attr: str, day: date = TODAY) -> UnitSnapshot:
    return UnitSnapshot.objects.get(org_unit=getattr(world, attr), as_of=day)


def test_refresh_computes_communes_and_rolls_them_up(world: World) -> None:
    done = bulk.refresh(TODAY)
    assert (done.communes, done.units) == (3, 7)  # 3 communes; region, province, 2 areas, 3 cc
    expected = commune_figures(world.admin, TODAY)
    for commune in (world.c1, world.c2, world.c3):
        snap = CommuneSnapshot.objects.get(commune=commune, as_of=TODAY)
        assert snap.people == expected[commune.pk].people
        assert snap.men_call_up_age == expected[commune.pk].military_age_men
        assert snap.computed_at is not None
    c1 = CommuneSnapshot.objects.get(commune=world.c1, as_of=TODAY)
    assert c1.command_id == world.cc1.pk
    assert (c1.militia_members, c1.militia_target) == (1, 3)
    assert (c1.positions, c1.positions_filled) == (1, 1)  # the commander, held
    area1, area2 = _unit(world, "area1"), _unit(world, "area2")
    region = _unit(world, "region")
    assert area1.people == expected[world.c1.pk].people + expected[world.c2.pk].people
    assert region.people == sum(f.people for f in expected.values())
    assert region.people == area1.people + area2.people
    assert (region.militia_members, region.militia_target) == (1, 5)
    assert (region.positions, region.positions_filled) == (1, 1)
    assert (region.communes, area1.communes, area2.communes) == (3, 2, 1)
    assert region.inputs_from == TODAY


def test_a_refresh_of_one_commune_keeps_the_others_and_rolls_up_again(world: World) -> None:
    yesterday = TODAY - timedelta(days=1)
    bulk.refresh(yesterday)
    person(
        personal_id="091200000099",
        full_name="Ngô Văn Mới",
        sex=Sex.MALE,
        birth_date=date(2005, 1, 1),
        commune=world.c2,
    )
    before = _unit(world, "region", yesterday).people
    done = bulk.refresh(TODAY, commune_ids={world.c2.pk})
    assert done.communes == 1
    assert not CommuneSnapshot.objects.filter(commune=world.c1, as_of=TODAY).exists()
    region = _unit(world, "region")
    # c1 and c3 count with yesterday's snapshots, c2 with today's: one more person.
    assert region.people == before + 1
    assert region.inputs_from == yesterday
    assert _unit(world, "area2").people == _unit(world, "area2", yesterday).people


def test_a_refresh_of_the_same_day_replaces_its_rows(world: World) -> None:
    bulk.refresh(TODAY)
    bulk.refresh(TODAY)
    assert CommuneSnapshot.objects.filter(as_of=TODAY).count() == 3
    assert UnitSnapshot.objects.filter(as_of=TODAY).count() == 7


def test_pages_read_the_latest_snapshot_on_or_before_the_day(world: World) -> None:
    early = date(2026, 1, 1)
    bulk.refresh(early)
    bulk.refresh(TODAY)
    found = summary.unit_snapshot(world.region, early + timedelta(days=30))
    assert found is not None
    assert found.as_of == early
    found = summary.unit_snapshot(world.region, TODAY + timedelta(days=3))
    assert found is not None
    assert found.as_of == TODAY
    assert summary.unit_snapshot(world.region, early - timedelta(days=1)) is None


def test_an_audited_write_queues_a_refresh_of_its_commune_on_commit(
    world: World, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit.record(
            "people.person.updated",
            actor=None,
            target=world.binh,
            commune_code=world.c2.code,
        )
    today = timezone.localdate()
    assert CommuneSnapshot.objects.filter(commune=world.c2, as_of=today).exists()
    assert not CommuneSnapshot.objects.filter(commune=world.c1, as_of=today).exists()
    assert UnitSnapshot.objects.filter(org_unit=world.region, as_of=today).exists()


def test_a_write_the_figures_do_not_count_queues_nothing(
    world: World, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        audit.record(
            "worklists.item.resolved",
            actor=None,
            target=world.binh,
            commune_code=world.c2.code,
        )
    assert not callbacks or not CommuneSnapshot.objects.exists()


def test_an_appointment_refreshes_its_command(
    world: World, django_capture_on_commit_callbacks: CaptureOnCommit
) -> None:
    from muster.orgs.models import Appointment

    appointment: Any = Appointment.objects.get(position__org_unit=world.cc1)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        audit.record("orgs.appointment.ended", actor=None, target=appointment)
    snap = CommuneSnapshot.objects.get(commune=world.c1, as_of=timezone.localdate())
    assert snap.positions == 1
