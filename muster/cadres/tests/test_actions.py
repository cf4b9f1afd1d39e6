"""Appointing and dismissing through cadres.actions: permission, the orgs audit row, gaps."""

from __future__ import annotations

from datetime import date

import pytest

from muster.accounts.models import Role
from muster.audit.models import AuditEvent
from muster.cadres import actions
from muster.cadres.tests.factories import certificate, positions_of
from muster.core.errors import PermissionDenied
from muster.orgs.models import Appointment
from muster.people.tests.factories import make_person


def test_appoint_warns_with_the_rules_and_dismiss_ends_it(world):
    user = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    commander = positions_of(world.commune_commands[0])[1]
    person = make_person(world.communes[0], "Phạm Văn Huy", personal_id="099200000010")
    certificate(person, "gm_college", date(2022, 6, 1))
    appointed = actions.position_appoint(
        position=commander, person=person, valid_from=date(2026, 2, 1), acting_user=user
    )
    assert appointed.gaps == ("CADRE_POLITICAL_THEORY", "CADRE_RESERVE_OFFICER")
    assert appointed.appointment.holder_personal_id == "099200000010"
    [made] = AuditEvent.objects.filter(action="orgs.appointment.made")
    assert made.actor_id == user.pk
    assert made.data["holder_name"] == "Phạm Văn Huy"

    actions.position_dismiss(
        appointment=appointed.appointment, valid_to=date(2026, 5, 31), acting_user=user
    )
    assert Appointment.objects.get().valid_to == date(2026, 5, 31)
    assert AuditEvent.objects.filter(action="orgs.appointment.ended").count() == 1


@pytest.mark.parametrize(
    ("role", "where", "code"),
    [
        (Role.COMMUNE_STAFF, "commune", "PERMISSION_ROLE"),  # the commune does not appoint its own
        (Role.AREA_STAFF, "area", "PERMISSION_ROLE"),
        (Role.AUDITOR, "province", "PERMISSION_READ_ONLY"),
        (Role.PROVINCE_STAFF, "other", "PERMISSION_JURISDICTION"),
    ],
)
def test_appoint_is_refused(world, role, where, code):
    jurisdiction = {
        "commune": world.commune_commands[0],
        "area": world.areas[0],
        "other": world.areas[1],
        "province": world.provincial,
    }[where]
    user = world.user("u", role, jurisdiction)
    commander = positions_of(world.commune_commands[0])[1]
    person = make_person(world.communes[0], "Phạm Văn Huy")
    with pytest.raises(PermissionDenied) as caught:
        actions.position_appoint(
            position=commander, person=person, valid_from=date(2026, 2, 1), acting_user=user
        )
    assert caught.value.code == code
    assert not Appointment.objects.exists()
