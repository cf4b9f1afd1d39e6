"""Every error page is styled like the rest and speaks both languages; /api/ answers JSON."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from muster.accounts.models import Role
from muster.accounts.tests.factories import build_world
from muster.web import views_errors

STYLESHEET = "/static/web/css/muster.css"


def _assert_styled(body: str) -> None:
    assert STYLESHEET in body
    assert 'class="error-page"' in body
    assert "<script>" not in body  # no inline script (CSP script-src 'self')


@pytest.mark.django_db
def test_404_in_vietnamese_with_the_english_words_too(client: Client) -> None:
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    _assert_styled(body)
    assert "Không tìm thấy trang" in body
    assert '<p class="help other-language" lang="en" id="error-other-language">Page not found' in (
        body
    )
    assert "Content-Security-Policy" in response.headers


@pytest.mark.django_db
def test_404_in_english_for_a_signed_in_user_keeps_the_navigation(client: Client) -> None:
    world = build_world()
    client.force_login(world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0]))
    client.cookies["django_language"] = "en"
    response = client.get("/persons/099999999999/")  # absent or out of scope: 404
    assert response.status_code == 404
    body = response.content.decode()
    _assert_styled(body)
    assert '<h1 id="error-heading">Page not found</h1>' in body
    assert 'lang="vi" id="error-other-language">Không tìm thấy trang' in body
    assert 'href="/worklists/"' in body  # the site navigation


@pytest.mark.django_db
def test_400_for_a_bad_host_is_styled(client: Client) -> None:
    response = client.get("/", HTTP_HOST="bad host")
    assert response.status_code == 400
    body = response.content.decode()
    _assert_styled(body)
    assert "Yêu cầu không hợp lệ" in body
    assert "Bad request" in body


@pytest.mark.django_db
def test_403_handler_is_styled_and_bilingual() -> None:
    request = RequestFactory().get("/somewhere/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override("vi"):
        response = views_errors.permission_denied(request, None)
    body = response.content.decode()
    assert response.status_code == 403
    _assert_styled(body)
    assert "Không được phép" in body
    assert "Not allowed" in body


def test_500_renders_without_the_database_or_the_request_context() -> None:
    request = RequestFactory().get("/broken/")
    with translation.override("vi"):
        response = views_errors.server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    _assert_styled(body)
    assert "Đã xảy ra lỗi" in body
    assert "Something went wrong" in body


@pytest.mark.django_db
def test_the_api_keeps_its_json_errors(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not Found"
    assert "code" in response.json()
