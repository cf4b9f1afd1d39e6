"""Appointing and dismissing through cadres.actions: permission, the orgs audit row, gaps."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from muster.accounts.models import Role
from muster.audit.models import AuditEvent
from muster.cadres import actions
from muster.cadres.tests.factories import certificate, positions_of
from muster.core.errors import PermissionDenied
from muster.orgs.models import Appointment
from muster.people.tests.factories import make_person
from muster.worklists.bulk import work_items_sync
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind


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


def test_vacancies_are_worklist_items_closed_on_appointment(world):
    unit = world.commune_commands[0]
    positions = positions_of(unit)
    work_items_sync(unit_ids=[unit.pk])
    items = WorkItem.objects.filter(kind=Kind.POSITION_VACANT, org_unit=unit)
    # Seven positions, one deputy commander not established in an ordinary commune.
    assert items.filter(resolved_at__isnull=True).count() == 6
    first = f"position-{positions[1].pk}@2025-07-01"  # vacant since the command began
    assert items.get(key=first).commune == world.communes[0]
    user = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    today = timezone.localdate()
    appointed = actions.position_appoint(
        position=positions[1],
        person=make_person(world.communes[0], "Phạm Văn Huy"),
        valid_from=today - timedelta(days=30),
        acting_user=user,
    )
    assert items.get(key=first).resolved_at is not None
    actions.position_dismiss(
        appointment=appointed.appointment, valid_to=today - timedelta(days=1), acting_user=user
    )
    # Vacant again: a new occasion, from the day after the holder's last.
    again = items.get(key=f"position-{positions[1].pk}@{today.isoformat()}")
    assert again.resolved_at is None
    assert again.detail["vacant_since"] == today.isoformat()
    assert items.get(key=first).resolved_at is not None
