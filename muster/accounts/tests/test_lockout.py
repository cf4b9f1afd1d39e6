"""Issue 13, finding 1: 30 wrong passwords in 14 s, then the right one worked. Now failures
lock the username and the address (django-axes), on the token endpoint and on /login/."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import build_world
from muster.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "pw-test-12345"
TOKEN_URL = "/api/v1/auth/token"


@pytest.fixture
def world():
    world = build_world()
    world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    return world


def _token(client: Client, username: str, password: str, address: str = "10.0.0.1") -> Any:
    return client.post(
        TOKEN_URL,
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=address,
    )


def test_the_token_endpoint_locks_a_username_after_five_failures(client, world):
    for _ in range(4):
        assert _token(client, "xa", "wrong").status_code == 401
    locked = _token(client, "xa", "wrong")
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert locked.json()["code"] == "AUTH_LOCKED"
    assert 800 < int(locked["Retry-After"]) <= 900
    # The right password, even from another address, is refused while the lock lasts.
    right = _token(client, "xa", PASSWORD, address="10.0.0.2")
    assert right.status_code == 429
    assert right.json()["code"] == "AUTH_LOCKED"
    assert AuditEvent.objects.filter(action="accounts.login.locked").count() == 1


def test_thirty_tries_in_a_row_never_get_in(client, world):
    answers = [_token(client, "xa", "wrong").status_code for _ in range(29)]
    answers.append(_token(client, "xa", PASSWORD).status_code)
    assert answers[:4] == [401] * 4
    assert set(answers[4:]) == {429}


def test_an_address_is_locked_across_usernames(client, world):
    world.user("xa2", Role.COMMUNE_STAFF, world.commune_commands[1])
    for i in range(20):
        _token(client, f"guess{i}", "wrong")
    assert _token(client, "xa2", PASSWORD).status_code == 429
    assert _token(client, "xa2", PASSWORD, address="10.0.0.9").status_code == 200


def test_the_lock_ends_after_the_cool_off(client, world):
    for _ in range(5):
        _token(client, "xa", "wrong")
    assert _token(client, "xa", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _token(client, "xa", PASSWORD).status_code == 200


def test_retry_after_counts_down(client, world):
    for _ in range(5):
        _token(client, "xa", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=10))
    seconds = int(_token(client, "xa", PASSWORD)["Retry-After"])
    assert 290 <= seconds <= 300


def test_the_login_page_locks_too(client, world):
    for _ in range(4):
        page = client.post("/login/", {"username": "xa", "password": "wrong"})
        assert page.status_code == 200  # the form again
    locked = client.post("/login/", {"username": "xa", "password": "wrong"})
    assert locked.status_code == 429
    assert "Retry-After" in locked
    assert 'id="locked-message"' in locked.content.decode()
    refused = client.post("/login/", {"username": "xa", "password": PASSWORD})
    assert refused.status_code == 429
    assert client.get("/").status_code == 302  # not signed in


def test_failures_on_the_page_and_the_api_add_up(client, world):
    for _ in range(3):
        client.post("/login/", {"username": "xa", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    for _ in range(2):
        _token(client, "xa", "wrong")
    assert _token(client, "xa", PASSWORD).status_code == 429


def test_attempts_keep_no_password(client, world):
    client.post("/login/", {"username": "xa", "password": "secret-guess-1"})
    attempt = AccessAttempt.objects.get()
    assert "secret-guess-1" not in attempt.post_data
