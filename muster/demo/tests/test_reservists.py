"""The demo's reserve stage: bases, ranks and specialties consistent with each person's
history, through the reserve's actions; idempotent."""

from __future__ import annotations

import random
from datetime import date

import pytest

from muster.accounts.actions import user_create
from muster.accounts.models import Role
from muster.accounts.tests.factories import build_world
from muster.conscription.actions.service import service_discharge, service_enlist
from muster.demo.reservists import reservists_stage
from muster.people.tests.factories import make_person
from muster.reserve import rules
from muster.reserve.models import ReserveMembership
from muster.worklists.models import WorkItem

TODAY = date(2026, 12, 1)
SHARES = {"never_served_share": 0.5, "women_share": 0.5}


@pytest.mark.django_db
def test_reservists_follow_their_history():
    world = build_world()
    user_create(username="admin", password="pw-admin-12345", role=Role.ADMINISTRATOR,
                jurisdiction=None, acting_user=None)  # fmt: skip
    rng = random.Random(1)
    soldier = make_person(world.communes[0], birth_date=date(2004, 3, 1))
    record = service_enlist(person=soldier, enlisted_on=date(2024, 2, 26), unit_name="Lữ đoàn 543",
                            acting_user=None)  # fmt: skip
    service_discharge(record=record, discharged_on=date(2026, 2, 26), acting_user=None)
    for n in range(300):
        make_person(world.communes[n % 3], sex="M" if n % 2 else "F",
                    birth_date=date(1976 + rng.randint(0, 24), rng.randint(1, 12), 1))  # fmt: skip
    result = reservists_stage(province=world.province, seed=7, today=TODAY, **SHARES)
    discharged = ReserveMembership.objects.get(person=soldier)
    assert (discharged.basis_code, discharged.rank) == ("RES_CAT1_A", "HA_SI")
    assert discharged.specialty
    assert result.discharged == 1
    assert result.past_callup_age >= 10
    assert result.women >= 5
    for m in ReserveMembership.objects.exclude(person=soldier).select_related("person"):
        assert m.valid_from is not None
        age = rules.age_on(m.person.birth_date, m.valid_from)
        if m.basis_code == "RES_CAT2_D":
            assert m.person.sex == "M"
            assert age > 25
        else:
            assert (m.basis_code, m.person.sex) == ("RES_CAT2_DD", "F")
        assert m.specialty
    aged = [
        m for m in ReserveMembership.objects.select_related("person")
        if rules.status_on(m.facts(), TODAY) == rules.AGED_OUT
    ]  # fmt: skip
    assert (
        WorkItem.objects.filter(kind="reserve_removal").count()
        == len(aged)
        == result.removals_proposed
    )
    before = ReserveMembership.objects.count()
    reservists_stage(province=world.province, seed=7, today=TODAY, **SHARES)
    assert ReserveMembership.objects.count() == before
