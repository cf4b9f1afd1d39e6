"""The demo's militia stage on a small world: rosters through the actions, targets, a standing
squad taking in the men deferred for it, and a second run that changes nothing."""

from __future__ import annotations

import random
from datetime import date

import pytest

from muster.accounts.tests.factories import build_world
from muster.audit.models import AuditEvent
from muster.demo.militia import MilitiaResult, RosterSpec, militia_stage
from muster.militia.models import MilitiaMembership, MilitiaTarget
from muster.militia.rules import age_on
from muster.people.tests.factories import make_person

AS_OF = date(2026, 11, 30)
INTAKES = [date(2025, 8, 15), date(2026, 5, 10)]

pytestmark = pytest.mark.django_db


@pytest.fixture
def specs() -> list[RosterSpec]:
    world = build_world()
    rng = random.Random(3)
    standing_man = None
    for commune in world.communes:
        for n in range(150):
            sex = "M" if n % 2 else "F"
            person = make_person(
                commune,
                f"Lò Văn {commune.code}{n}",
                sex=sex,
                birth_date=date(rng.randint(1970, 2010), rng.randint(1, 12), rng.randint(1, 28)),
            )
            if standing_man is None and sex == "M" and person.birth_date.year == 2003:
                standing_man = person
    assert standing_man is not None
    return [
        RosterSpec(world.commune_commands[0], world.communes[0].pk, True, (standing_man.pk,)),
        RosterSpec(world.commune_commands[1], world.communes[1].pk, False),
        RosterSpec(world.commune_commands[2], world.communes[2].pk, False),
    ]


def run(specs: list[RosterSpec]) -> MilitiaResult:
    return militia_stage(
        specs=specs, intakes=INTAKES, as_of=AS_OF, target_from=date(2025, 7, 1), seed=5
    )


def test_rosters_targets_and_a_standing_squad(specs):
    result = run(specs)
    rows = MilitiaMembership.objects.select_related("person", "unit")
    assert result.members == rows.filter(valid_to__isnull=True).count() > 10
    assert result.commands == 3
    assert MilitiaTarget.objects.count() == 3
    assert result.target == sum(MilitiaTarget.objects.values_list("size", flat=True))
    # Every join and leave went through the actions (audited).
    assert AuditEvent.objects.filter(action="militia.member.joined").count() == rows.count()
    assert (
        AuditEvent.objects.filter(action="militia.member.left").count()
        == rows.filter(valid_to__isnull=False).count()
    )
    for row in rows:
        assert row.person.residence_commune_id == row.unit.territories.get().admin_unit_id
        assert 18 <= age_on(row.person.birth_date, row.joined_on) <= (50 if row.volunteer else 45)
    standing = rows.filter(force_kind="standing")
    assert set(standing.values_list("unit__code", flat=True)) == {"BCHQS-X-99001"}
    assert specs[0].standing_men[0] in set(standing.values_list("person_id", flat=True))
    assert {"in_place", "mobile"} <= set(result.by_kind)
    young = rows.filter(person__birth_date__gt=date(1995, 12, 31), person__sex="M").count()
    assert young > rows.filter(person__sex="M").count() / 2


def test_a_second_run_changes_nothing(specs):
    first = run(specs)
    events = AuditEvent.objects.count()
    assert run(specs).members == first.members
    assert AuditEvent.objects.count() == events
