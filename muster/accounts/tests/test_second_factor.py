"""Issue 13, finding 1: a TOTP second factor, required of administrators and provincial and
region staff under the production settings, optional otherwise; the API's `otp`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from muster.accounts.actions import (
    second_factor_confirm,
    second_factor_enrolment_start,
    second_factor_remove,
)
from muster.accounts.models import Role
from muster.accounts.second_factor import (
    LoginStep,
    confirmed_device,
    login_step,
    second_factor_required,
)
from muster.accounts.tests.factories import build_world
from muster.accounts.tests.second_factor_support import code_for, enrolled
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput, PermissionDenied

pytestmark = pytest.mark.django_db

PASSWORD = "pw-test-12345"
production_rule = override_settings(MUSTER_MFA_REQUIRED=True)


@pytest.fixture
def world():
    return build_world()


def _token(client: Client, username: str, otp: str | None = None) -> Any:
    payload = {"username": username, "password": PASSWORD}
    if otp is not None:
        payload["otp"] = otp
    return client.post("/api/v1/auth/token", payload, content_type="application/json")


@pytest.mark.parametrize(
    ("role", "required"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.REGION_STAFF, True),
        (Role.PROVINCE_STAFF, True),
        (Role.AREA_STAFF, False),
        (Role.COMMUNE_STAFF, False),
        (Role.AUDITOR, False),
    ],
)
def test_who_must_have_a_second_factor(world, role, required):
    user = world.user("u", role, None if role == Role.ADMINISTRATOR else world.provincial)
    assert second_factor_required(user) is False  # default settings: optional for everyone
    with production_rule:
        assert second_factor_required(user) is required


def test_a_user_with_a_device_needs_its_code_for_a_token(client, world):
    user = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    device = enrolled(user)
    missing = _token(client, "xa")
    assert (missing.status_code, missing.json()["code"]) == (401, "OTP_REQUIRED")
    wrong = _token(client, "xa", "000000" if code_for(device) != "000000" else "111111")
    assert (wrong.status_code, wrong.json()["code"]) == (401, "OTP_INVALID")
    # django-otp makes the device wait 1 s after a failure (doubling with each): let it pass.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=2)
    )
    code = code_for(device)
    assert _token(client, "xa", code).status_code == 200
    replayed = _token(client, "xa", code)
    assert (replayed.status_code, replayed.json()["code"]) == (401, "OTP_INVALID")


def test_wrong_codes_count_towards_the_lockout(client, world):
    user = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    device = enrolled(user)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    statuses = [_token(client, "xa", wrong).status_code for _ in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    assert _token(client, "xa", code_for(device)).status_code == 429


def test_production_requires_enrolment_of_the_roles_that_need_it(client, world):
    world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    with production_rule:
        refused = _token(client, "tinh")
        assert refused.status_code == 403
        assert refused.json()["code"] == "MFA_ENROLMENT_REQUIRED"
        assert _token(client, "xa").status_code == 200  # optional for commune staff


def test_default_settings_give_demo_accounts_tokens_with_the_password_alone(client, world):
    world.user("admin", Role.ADMINISTRATOR, None)
    assert _token(client, "admin").status_code == 200


def test_an_enrolled_administrator_gets_a_token_in_production(client, world):
    admin = world.user("admin", Role.ADMINISTRATOR, None)
    device = enrolled(admin)
    with production_rule:
        assert _token(client, "admin", code_for(device)).status_code == 200


def test_enrolment_is_confirmed_with_a_code_and_audited(world):
    user = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    device = second_factor_enrolment_start(user=user)
    assert confirmed_device(user) is None
    with pytest.raises(InvalidInput) as caught:
        second_factor_confirm(user=user, code="12")
    assert caught.value.errors[0].code == "SECOND_FACTOR_CODE_WRONG"
    second_factor_confirm(user=user, code=code_for(device))
    assert confirmed_device(user) == device
    assert login_step(user) == LoginStep.CODE
    actions = list(
        AuditEvent.objects.filter(target_id=str(user.pk)).values_list("action", flat=True)
    )
    assert "accounts.second_factor.enrolment_started" in actions
    assert "accounts.second_factor.enrolled" in actions
    # The secret never reaches the audit trail.
    assert all(
        device.key not in str(data) for data in AuditEvent.objects.values_list("data", flat=True)
    )


def test_replacing_a_device_keeps_the_old_one_until_the_new_is_confirmed(world):
    user = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    old = enrolled(user)
    new = second_factor_enrolment_start(user=user)
    assert confirmed_device(user) == old
    second_factor_confirm(user=user, code=code_for(new))
    assert confirmed_device(user) == new


def test_who_may_remove_a_device(world):
    commune = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    province = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    admin = world.user("admin", Role.ADMINISTRATOR, None)
    enrolled(commune)
    enrolled(province)
    with pytest.raises(PermissionDenied):
        second_factor_remove(user=province, acting_user=commune)
    with production_rule, pytest.raises(PermissionDenied):
        second_factor_remove(user=province, acting_user=province)
    assert second_factor_remove(user=commune, acting_user=commune) == 1
    assert second_factor_remove(user=province, acting_user=admin) == 1  # a lost phone
    assert confirmed_device(province) is None
    assert AuditEvent.objects.filter(action="accounts.second_factor.removed").count() == 2


def test_the_shell_removes_a_lost_authenticator(world):
    from io import StringIO

    from django.core.management import call_command

    admin = world.user("admin", Role.ADMINISTRATOR, None)
    enrolled(admin)
    out = StringIO()
    call_command("accounts", "remove-second-factor", "admin", stdout=out)
    assert "removed the authenticator of admin" in out.getvalue()
    assert confirmed_device(admin) is None
    event = AuditEvent.objects.get(action="accounts.second_factor.removed")
    assert event.actor is None
