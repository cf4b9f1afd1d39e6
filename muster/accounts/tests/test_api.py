"""API tokens: issued for a valid login, required by every endpoint, expiring."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from muster.accounts.models import ApiToken, Role
from muster.accounts.tests.factories import build_world
from muster.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def commune_user():
    world = build_world()
    return world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])


def test_token_is_issued_for_a_valid_login_and_audited(client, commune_user):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "xa", "password": "pw-test-12345"},
        content_type="application/json",
    )
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) > 30
    assert not ApiToken.objects.filter(digest=token).exists()  # only the digest is stored
    assert AuditEvent.objects.filter(action="accounts.token.issued", actor=commune_user).exists()


def test_wrong_password_gets_401(client, commune_user):
    response = client.post(
        "/api/v1/auth/token",
        {"username": "xa", "password": "nope"},
        content_type="application/json",
    )
    assert response.status_code == 401


def test_missing_fields_get_422_naming_the_field(client):
    response = client.post(
        "/api/v1/auth/token", {"username": "xa"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "password" in str(response.json())


def _token(client) -> str:
    response = client.post(
        "/api/v1/auth/token",
        {"username": "xa", "password": "pw-test-12345"},
        content_type="application/json",
    )
    return str(response.json()["token"])


def test_endpoints_need_a_token(client, commune_user):
    assert client.get("/api/v1/persons").status_code == 401
    token = _token(client)
    ok = client.get("/api/v1/persons", headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200


def test_expired_or_deactivated_tokens_are_refused(client, commune_user):
    token = _token(client)
    headers = {"Authorization": f"Bearer {token}"}
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/api/v1/persons", headers=headers).status_code == 401
    ApiToken.objects.update(expires_at=timezone.now() + timedelta(hours=1))
    commune_user.is_active = False
    commune_user.save()
    assert client.get("/api/v1/persons", headers=headers).status_code == 401
