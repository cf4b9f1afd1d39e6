"""Active military service as the militia sees it (through `reserve.hooks`, which conscription
answers): a soldier is not selected for the militia while serving (DQTV Art. 10), and may be
from his discharge day, his first day in the reserve (MSL Art. 22, 24)."""

from __future__ import annotations

from datetime import date

import pytest

from muster.accounts.tests.factories import build_world
from muster.conscription.models import ServiceRecord
from muster.core.errors import InvalidInput
from muster.militia import actions
from muster.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_a_serving_soldier_is_refused_until_his_discharge_day():
    world = build_world()
    soldier = make_person(world.communes[0], birth_date=date(2004, 3, 1))
    ServiceRecord.objects.create(
        person=soldier,
        unit_name="Sư đoàn 316",
        enlisted_on=date(2024, 2, 20),
        discharged_on=date(2026, 2, 20),
    )
    with pytest.raises(InvalidInput) as exc:
        actions.militia_join(
            person=soldier,
            unit=world.commune_commands[0],
            joined_on=date(2026, 2, 19),
            force_kind="mobile",
            acting_user=None,
        )
    assert {e.code for e in exc.value.errors} == {"MILITIA_IN_ACTIVE_SERVICE"}
    joined = actions.militia_join(
        person=soldier,
        unit=world.commune_commands[0],
        joined_on=date(2026, 2, 20),
        force_kind="mobile",
        acting_user=None,
    )
    assert joined.valid_from == date(2026, 2, 20)
