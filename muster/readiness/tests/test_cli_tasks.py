"""`muster readiness refresh` and the coalescing refresh job: stale communes noted by many
changes are refreshed once; the command refreshes a day (every commune, or those named)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from muster.readiness import tasks
from muster.readiness.models import CommuneSnapshot, PendingRefresh, UnitSnapshot
from muster.readiness.tests.factories import TODAY, World, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def test_the_command_refreshes_a_past_day_for_every_commune(world: World) -> None:
    out = StringIO()
    call_command("readiness", "refresh", "--as-of", TODAY.isoformat(), stdout=out)
    assert json.loads(out.getvalue()) == {"as_of": "2026-03-15", "communes": 3, "units": 7}
    assert CommuneSnapshot.objects.filter(as_of=TODAY).count() == 3


def test_the_command_refreshes_the_communes_named(world: World) -> None:
    out = StringIO()
    call_command(
        "readiness", "refresh", "--as-of", "2026-03-15", "--commune", world.c3.code, stdout=out
    )
    assert json.loads(out.getvalue())["communes"] == 1
    assert list(CommuneSnapshot.objects.values_list("commune_id", flat=True)) == [world.c3.pk]
    assert UnitSnapshot.objects.filter(org_unit=world.region, as_of=TODAY).exists()


def test_notes_of_many_changes_cost_one_refresh_each_commune(world: World) -> None:
    # Under the test settings the job runs inline, each time; what it refreshes is what was
    # noted and not yet taken, each commune once.
    PendingRefresh.objects.create(as_of=TODAY, kind=PendingRefresh.COMMUNE, ref_id=world.c1.pk)
    PendingRefresh.objects.create(as_of=TODAY, kind=PendingRefresh.COMMUNE, ref_id=world.c2.pk)
    done = tasks.refresh_pending.call()
    assert done == [{"as_of": "2026-03-15", "communes": 2, "units": 7}]
    assert not PendingRefresh.objects.exists()
    assert tasks.refresh_pending.call() == []
    # A note naming a commune command (an event's target) refreshes its commune.
    tasks.note_stale(TODAY, commune_codes=[], targets=[("orgs.orgunit", str(world.cc3.pk))])
    assert CommuneSnapshot.objects.filter(commune=world.c3, as_of=TODAY).exists()
