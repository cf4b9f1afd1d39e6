"""The org structure a readiness page stands on, read once and cached until the structure
changes."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from muster.orgs.actions import org_unit_rename
from muster.orgs.models import OrgUnit
from muster.readiness import places
from muster.readiness.tests.factories import TODAY, World, build_world

pytestmark = pytest.mark.django_db

OnCommit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture
def world() -> World:
    return build_world()


def test_a_unit_with_the_one_above_and_the_units_below_by_name(world: World) -> None:
    found = places.place(world.provincial.code, TODAY)
    assert found is not None
    assert found.unit == world.provincial
    assert found.parent == world.region
    assert found.above == (world.region,)
    assert [u.code for u in found.below] == [world.area1.code, world.area2.code]
    assert found.communes == ()


def test_a_commune_command_with_its_communes(world: World) -> None:
    found = places.place(world.cc1.code, TODAY)
    assert found is not None
    assert found.above == (world.area1, world.provincial, world.region)
    assert found.below == ()
    assert found.around(world.provincial.pk) == world.provincial
    assert found.around(world.cc1.pk) == world.cc1
    assert found.around(world.area2.pk) is None
    assert found.around(None) is None
    assert found.communes == (places.Commune(world.c1.pk, world.c1.code, world.c1.name),)


def test_the_top_unit_has_none_above(world: World) -> None:
    found = places.place(world.region.code, TODAY)
    assert found is not None
    assert found.parent is None
    assert [u.code for u in found.below] == [world.provincial.code]


@pytest.mark.parametrize(
    ("code", "day"),
    [
        ("NO-SUCH-UNIT", TODAY),
        ("PTKV-91-2", date(2024, 1, 1)),  # before it was founded (valid_from below)
        ("a code with spaces / and ü", TODAY),
    ],
)
def test_no_place_for_a_code_no_unit_has_on_the_day(world: World, code: str, day: date) -> None:
    OrgUnit.objects.filter(pk=world.area2.pk).update(valid_from=date(2025, 7, 1))
    assert places.place(code, day) is None


def test_a_unit_below_that_ended_is_not_listed_after_its_end(world: World) -> None:
    OrgUnit.objects.filter(pk=world.area2.pk).update(valid_to=date(2026, 1, 31))
    before = places.place(world.provincial.code, date(2026, 1, 31))
    after = places.place(world.provincial.code, date(2026, 2, 1))
    assert before is not None
    assert after is not None
    assert [u.code for u in before.below] == [world.area1.code, world.area2.code]
    assert [u.code for u in after.below] == [world.area1.code]


def test_read_once_then_from_the_cache(world: World) -> None:
    places.place(world.provincial.code, TODAY)
    with CaptureQueriesContext(connection) as captured:
        again = places.place(world.provincial.code, TODAY)
    assert again is not None
    assert again.unit == world.provincial
    assert captured.captured_queries == []


def test_a_rename_is_seen_at_once(
    world: World, django_capture_on_commit_callbacks: OnCommit
) -> None:
    places.place(world.area1.code, TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        org_unit_rename(org_unit=world.area1, name="Ban Chỉ huy PTKV Mới", acting_user=None)
    found = places.place(world.area1.code, TODAY)
    assert found is not None
    assert found.unit.name == "Ban Chỉ huy PTKV Mới"
