"""Edits made in the Django admin are audited like actions, before and after included
(`audit.admin_audit.AuditedAdmin`, exercised on the organisation admin by an administrator, so
the test sits in accounts, above both)."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from muster.accounts.models import Role
from muster.accounts.tests.factories import build_world
from muster.audit.models import AuditEvent
from muster.orgs.models import OrgUnit

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_request():
    world = build_world()
    request = RequestFactory().post("/admin/")
    request.user = world.user("root", Role.ADMINISTRATOR, None)
    return world, request


def test_admin_change_records_before_and_after(admin_request):
    world, request = admin_request
    model_admin = admin.site._registry[OrgUnit]
    unit = OrgUnit.objects.get(pk=world.areas[0].pk)
    unit.name = "PTKV 1 – Bảo Thắng"
    model_admin.save_model(request, unit, form=None, change=True)
    event = AuditEvent.objects.get(action="admin.object.changed")
    assert event.actor == request.user
    assert event.target_id == str(unit.pk)
    assert event.data["before"] == {"name": "PTKV-99-1"}
    assert event.data["after"] == {"name": "PTKV 1 – Bảo Thắng"}


def test_admin_delete_is_recorded_in_the_same_transaction(admin_request):
    world, request = admin_request
    model_admin = admin.site._registry[OrgUnit]
    leaf = world.commune_commands[2]
    leaf.territories.all().delete()
    model_admin.delete_model(request, leaf)
    event = AuditEvent.objects.get(action="admin.object.deleted")
    assert event.data["before"]["code"] == "BCHQS-X-99003"
    assert not OrgUnit.objects.filter(pk=leaf.pk).exists()
