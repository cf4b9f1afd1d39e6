"""The reserve's reads for other apps: a reservist without a unit assignment is not assigned,
even a category-1 reservist (LLDBĐV Art. 17 assigns reservists to units; the militia asks, DQTV
Art. 10); see test_unit_actions for assignments as of a day."""

from __future__ import annotations

from datetime import date

from muster.accounts.tests.factories import build_world
from muster.people.tests.factories import make_person
from muster.reserve.actions import reserve_enter
from muster.reserve.queries import assigned_reserve_unit_on
from muster.reserve.rules import ReserveEntry


def test_a_reservist_without_a_unit_assignment_is_not_assigned(db):
    world = build_world()
    person = make_person(world.communes[0], birth_date=date(1998, 3, 1))
    reserve_enter(
        person=person,
        entry=ReserveEntry(category=1, basis_code="RES_CAT1_A"),
        entered_on=date(2024, 3, 1),
        source="manual",
        acting_user=None,
    )
    assert assigned_reserve_unit_on(person.pk, date(2026, 5, 1)) is None
