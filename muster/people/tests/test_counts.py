"""People per commune on a day: the living, households, and the vulnerable groups the registry
knows (Civil Defence Law 2023 Art. 2(4): under 16, 60 and over, needing help to move)."""

from __future__ import annotations

from datetime import date

import pytest

from muster.people import counts, rules
from muster.people.models import PersonFact
from muster.people.tests.factories import World, make_person

DAY = date(2026, 9, 7)


@pytest.mark.parametrize(
    ("day", "bounds"),
    [
        # (the day, (children born after, older born on or before)) — Art. 2(4) by age
        (date(2026, 9, 7), (date(2010, 9, 7), date(1966, 9, 7))),
        (date(2028, 2, 29), (date(2012, 2, 29), date(1968, 2, 29))),  # leap years both
        (date(2027, 2, 28), (date(2011, 2, 28), date(1967, 2, 28))),
        (date(2024, 2, 29), (date(2008, 2, 29), date(1964, 2, 29))),
        (date(2025, 2, 28), (date(2009, 2, 28), date(1965, 2, 28))),
    ],
)
def test_vulnerable_birth_bounds(day: date, bounds: tuple[date, date]) -> None:
    assert rules.vulnerable_birth_bounds(day) == bounds


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [(date(2028, 2, 29), 1, date(2027, 2, 28)), (date(2026, 9, 7), 16, date(2010, 9, 7))],
)
def test_years_before(day: date, years: int, expected: date) -> None:
    assert rules.years_before(day, years) == expected


def test_by_commune_counts_the_living_their_households_and_the_vulnerable(world: World) -> None:
    one, two, three = world.communes
    for n, born in enumerate([date(1990, 1, 1), date(1990, 1, 1), date(2015, 1, 1)]):
        person = make_person(one, birth_date=born)
        person.household_id = "H1" if n < 2 else ""
        person.save()
    flagged = make_person(two, birth_date=date(1985, 1, 1))
    PersonFact.objects.create(
        person=flagged, kind="mobility_need", value="yes", recorded_on=DAY, source="test"
    )
    dead = make_person(two, birth_date=date(1950, 1, 1))
    dead.life_status, dead.died_on = "dead", DAY
    dead.save()
    found = counts.by_commune([one.pk, two.pk, three.pk], DAY)
    assert found == {
        one.pk: counts.CommuneCounts(people=3, households=2, vulnerable=1),
        two.pk: counts.CommuneCounts(people=1, households=1, vulnerable=1),
        three.pk: counts.CommuneCounts(people=0, households=0, vulnerable=0),
    }
    assert counts.by_commune([], DAY) == {}
    # The day before: the flag is not recorded yet, the person who died on the day was alive.
    assert counts.by_commune([two.pk], date(2026, 9, 6)) == {
        two.pk: counts.CommuneCounts(people=2, households=2, vulnerable=1)
    }
