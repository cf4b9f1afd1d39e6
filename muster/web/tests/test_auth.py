"""Logging in with a second factor, enrolling one, and the production enrolment gate."""

from __future__ import annotations

import time

import pytest
from django.test import Client, override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from muster.accounts.models import Role
from muster.accounts.second_factor import confirmed_device
from muster.accounts.tests.factories import World, build_world
from muster.accounts.tests.second_factor_support import code_for, enrolled
from muster.web.views_auth import PENDING_KEY

pytestmark = pytest.mark.django_db

PASSWORD = "pw-test-12345"
production_rule = override_settings(MUSTER_MFA_REQUIRED=True)


@pytest.fixture
def world() -> World:
    return build_world()


def _password(client: Client, username: str, next_url: str = ""):
    data = {"username": username, "password": PASSWORD}
    url = f"/login/?next={next_url}" if next_url else "/login/"
    return client.post(url, data)


def test_a_user_with_an_authenticator_gives_its_code_after_the_password(client, world):
    user = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    device = enrolled(user)
    step = _password(client, "xa", next_url="/persons/")
    assert step["Location"] == "/login/code/"
    assert client.get("/").status_code == 302  # not signed in between the two steps
    page = client.get("/login/code/").content.decode()
    assert 'autocomplete="one-time-code"' in page
    done = client.post("/login/code/", {"code": code_for(device)})
    assert done["Location"] == "/persons/"
    assert client.get("/").status_code == 200
    assert PENDING_KEY not in client.session


def test_a_wrong_code_keeps_the_user_out_and_counts_as_a_failure(client, world):
    user = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    device = enrolled(user)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    _password(client, "xa")
    answers = [client.post("/login/code/", {"code": wrong}).status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # five failures lock the username
    assert client.post("/login/code/", {"code": code_for(device)}).status_code == 429
    assert client.get("/").status_code == 302


def test_the_code_step_expires(client, world):
    user = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    device = enrolled(user)
    _password(client, "xa")
    session = client.session
    session[PENDING_KEY] = {**session[PENDING_KEY], "at": time.time() - 301}
    session.save()
    response = client.post("/login/code/", {"code": code_for(device)})
    assert response["Location"] == "/login/"
    assert client.get("/").status_code == 302


def test_the_code_step_needs_a_password_first(client, world):
    assert client.get("/login/code/")["Location"] == "/login/"


def test_enrolment_shows_a_qr_code_and_confirms_with_a_code(client, world):
    user = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    client.force_login(user)
    page = client.get("/account/second-factor/").content.decode()
    assert 'id="second-factor-start"' in page
    client.post("/account/second-factor/", {"action": "start"})
    page = client.get("/account/second-factor/")
    assert page["Cache-Control"].startswith("max-age=0")
    text = page.content.decode()
    assert '<div class="qr" id="second-factor-qr"><svg' in text
    assert "<script" not in text.split('id="second-factor-qr"')[1].split("</div>")[0]
    device = TOTPDevice.objects.get(user=user)
    wrong = client.post("/account/second-factor/", {"action": "confirm", "code": "12345x"})
    assert 'id="id_code_error"' in wrong.content.decode()
    done = client.post("/account/second-factor/", {"action": "confirm", "code": code_for(device)})
    assert done.status_code == 302
    assert confirmed_device(user) == device
    # This session was verified by the new device: it stays signed in.
    assert client.get("/").status_code == 200


def test_production_sends_a_province_user_without_a_device_to_enrolment(client, world):
    world.user("tinh", Role.PROVINCE_STAFF, world.provincial)
    with production_rule:
        assert _password(client, "tinh")["Location"] == "/account/second-factor/"
        for path in ("/", "/persons/", "/communes/", "/admin/"):
            assert client.get(path)["Location"] == "/account/second-factor/", path
        page = client.get("/account/second-factor/").content.decode()
        assert 'id="second-factor-required"' in page
        assert 'id="second-factor-remove"' not in page
        client.post("/account/second-factor/", {"action": "start"})
        device = TOTPDevice.objects.get(user__username="tinh")
        client.post("/account/second-factor/", {"action": "confirm", "code": code_for(device)})
        assert client.get("/").status_code == 200


def test_production_lets_commune_staff_in_without_a_device(client, world):
    world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    with production_rule:
        assert _password(client, "xa")["Location"] == "/"
        assert client.get("/").status_code == 200


def test_a_session_from_before_enrolment_elsewhere_must_log_in_again(client, world):
    user = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    _password(client, "xa")
    assert client.get("/").status_code == 200
    enrolled(user)  # on another computer
    response = client.get("/persons/")
    assert response["Location"].startswith("/login/?next=/persons/")
    assert client.get("/").status_code == 302


def test_the_admin_logs_in_through_muster_login(client, world):
    response = client.get("/admin/login/?next=/admin/accounts/user/")
    assert response["Location"] == "/login/?next=/admin/accounts/user/"
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
