"""Active military service as the militia sees it (through `militia.hooks`): a soldier is not
selected for the militia while serving (DQTV Art. 10), and may be once discharged."""

from __future__ import annotations

from datetime import date

import pytest

from muster.accounts.tests.factories import build_world
from muster.conscription.militia_hooks import serving
from muster.conscription.models import ServiceRecord
from muster.core.errors import InvalidInput
from muster.militia import actions
from muster.people.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_a_serving_soldier_is_refused_until_the_day_after_discharge():
    world = build_world()
    soldier = make_person(world.communes[0], birth_date=date(2004, 3, 1))
    ServiceRecord.objects.create(
        person=soldier,
        unit_name="Sư đoàn 316",
        enlisted_on=date(2024, 2, 20),
        discharged_on=date(2026, 2, 20),
    )
    assert set(serving(day=date(2026, 2, 20)).values_list("person_id", flat=True)) == {soldier.pk}
    assert not serving(day=date(2026, 2, 21)).exists()
    assert not serving(day=date(2024, 2, 19)).exists()
    with pytest.raises(InvalidInput) as exc:
        actions.militia_join(
            person=soldier,
            unit=world.commune_commands[0],
            joined_on=date(2026, 2, 20),
            force_kind="mobile",
            acting_user=None,
        )
    assert {e.code for e in exc.value.errors} == {"MILITIA_IN_ACTIVE_SERVICE"}
    joined = actions.militia_join(
        person=soldier,
        unit=world.commune_commands[0],
        joined_on=date(2026, 2, 21),
        force_kind="mobile",
        acting_user=None,
    )
    assert joined.valid_from == date(2026, 2, 21)
