"""Issue 13, finding 1: the password validators on every path that sets a password."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from muster.accounts.actions import user_create, user_set_password
from muster.accounts.models import Role, User
from muster.accounts.tests.factories import build_world
from muster.core.errors import InvalidInput

pytestmark = pytest.mark.django_db

STRONG = "Quân-sự-2025-an-toàn"


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("1", "PASSWORD_TOO_SHORT"),
        ("short-pw", "PASSWORD_TOO_SHORT"),
        ("password1234", "PASSWORD_TOO_COMMON"),
        ("839201748362", "PASSWORD_ENTIRELY_NUMERIC"),
        ("nguyenvanquan", "PASSWORD_TOO_SIMILAR"),
    ],
)
def test_user_create_refuses_a_weak_password_naming_the_field(password, code):
    with pytest.raises(InvalidInput) as caught:
        user_create(
            username="nguyenvanquan",
            password=password,
            role=Role.ADMINISTRATOR,
            jurisdiction=None,
            acting_user=None,
        )
    assert {(e.field, e.code) for e in caught.value.errors} >= {("password", code)}
    assert not User.objects.filter(username="nguyenvanquan").exists()


def test_the_one_from_the_probe_is_refused():
    """user_create(password="1", role=administrator) succeeded on main."""
    with pytest.raises(InvalidInput, match="password: PASSWORD_TOO_SHORT"):
        user_create(
            username="root2",
            password="1",
            role=Role.ADMINISTRATOR,
            jurisdiction=None,
            acting_user=None,
        )


def test_user_set_password_validates_too():
    world = build_world()
    user = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    with pytest.raises(InvalidInput) as caught:
        user_set_password(user=user, password="123", acting_user=None)
    assert caught.value.errors[0].field == "password"
    user.refresh_from_db()
    assert user.check_password("pw-test-12345")
    user_set_password(user=user, password=STRONG, acting_user=None)
    user.refresh_from_db()
    assert user.check_password(STRONG)


def test_createsuperuser_refuses_a_weak_password_and_makes_an_administrator(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("createsuperuser", "--noinput", "--username", "boss", "--email", "")
    assert not User.objects.filter(username="boss").exists()
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG)
    call_command("createsuperuser", "--noinput", "--username", "boss", "--email", "")
    boss = User.objects.get(username="boss")
    assert boss.is_superuser
    assert boss.role == Role.ADMINISTRATOR


def test_the_user_manager_validates(db):
    with pytest.raises(Exception, match="too short"):
        User.objects.create_user(username="someone", password="abc")


def test_the_admin_refuses_a_weak_password():
    admin = User.objects.create_superuser(username="boss", password=STRONG)
    world = build_world()
    user = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    client = Client()
    client.force_login(admin)
    response = client.post(
        f"/admin/accounts/user/{user.pk}/password/",
        {"password1": "12345678", "password2": "12345678", "set_usable_password": "true"},
    )
    assert response.status_code == 200  # the form again, with the validator's errors
    codes = {e.code for e in response.context["form"].errors.as_data()["password2"]}
    assert codes == {"password_too_short", "password_too_common", "password_entirely_numeric"}
    user.refresh_from_db()
    assert user.check_password("pw-test-12345")
    added = client.post(
        "/admin/accounts/user/add/",
        {"username": "newbie", "password1": "abc", "password2": "abc", "usable_password": "true"},
    )
    assert added.status_code == 200
    assert "password_too_short" in {
        e.code for e in added.context["adminform"].form.errors.as_data()["password2"]
    }
    assert not User.objects.filter(username="newbie").exists()
