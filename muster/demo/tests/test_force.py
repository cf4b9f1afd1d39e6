"""The demo's force stage on a small world: a standing squad in the key defence commune that
had none, two enterprises' self-defence (DQTV Art. 17 met) with members and one below its
target, a year's training with attendance, the worklists opened — and a second run that
changes nothing."""

from __future__ import annotations

import random
from datetime import date

import pytest
from django.utils import timezone

from muster.accounts.tests.factories import World, build_world
from muster.demo.force import STANDING_SQUAD, force_stage
from muster.militia.actions import defence_commune_set
from muster.militia.models import MilitiaMembership, SelfDefenceCommand
from muster.militia.rules import CommuneFlags
from muster.people.tests.factories import make_person
from muster.training.models import Attendance, TrainingSession
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world() -> World:
    world = build_world()
    rng = random.Random(7)
    for commune in world.communes:
        for n in range(60):
            make_person(
                commune,
                f"Lò Văn {commune.code}{n}",
                sex="M" if n % 3 else "F",
                birth_date=date(TODAY.year - rng.randint(19, 44), rng.randint(1, 12), 15),
            )
    defence_commune_set(
        commune=world.communes[1],
        flags=CommuneFlags(border=True, key_defence=True),
        valid_from=date(2025, 7, 1),
        acting_user=None,
    )
    return world


def test_standing_self_defence_training_and_worklists(world):
    result = force_stage(province=world.province, today=TODAY, seed=1)
    standing = MilitiaMembership.objects.filter(force_kind="standing", valid_to__isnull=True)
    assert standing.count() == STANDING_SQUAD == result.standing_added
    assert {m.unit_id for m in standing} == {world.commune_commands[1].pk}
    assert SelfDefenceCommand.objects.count() == result.enterprises == 2
    assert (
        result.self_defence_members
        == MilitiaMembership.objects.filter(unit__kind="self_defence_command").count()
        > 0
    )
    assert WorkItem.objects.filter(kind=Kind.MILITIA_BELOW_TARGET, resolved_at=None).exists()
    assert WorkItem.objects.filter(kind=Kind.STANDING_DEFERRAL_PROPOSED).count() > 0
    if date(TODAY.year, 3, 21) <= TODAY:  # the year's main session is held by then
        assert result.sessions >= 2
        assert Attendance.objects.count() == result.attendances > 0
    # A second run changes nothing.
    again = force_stage(province=world.province, today=TODAY, seed=1)
    assert (again.standing_added, again.enterprises, again.sessions) == (0, 0, 0)
    assert TrainingSession.objects.count() == result.sessions
