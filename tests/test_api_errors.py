"""Issue 13, finding 6: the API answers every error as JSON `{"code", "detail"}` — an unknown
path, a wrong method, bad input, a page past its bound, a server error, and a database that
does not answer (an HTML 500 on main)."""

from __future__ import annotations

import json
import socket

import pytest
from django.db import connections
from django.db.utils import load_backend
from django.http import HttpResponse, HttpResponseServerError
from django.test import Client, RequestFactory

from config.api import api
from muster.accounts.actions import api_token_issue
from muster.accounts.models import Role
from muster.accounts.tests.factories import build_world
from muster.core.api_errors import ApiJsonErrorsMiddleware


def _is_json_error(response, status: int, code: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert body["code"] == code
    assert "detail" in body


@pytest.fixture
def token(db) -> str:
    world = build_world()
    return api_token_issue(user=world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0]))


def test_an_unknown_path_is_a_json_404(client: Client):
    _is_json_error(client.get("/api/v1/no-such-thing"), 404, "NOT_FOUND")


def test_a_wrong_method_is_a_json_405_with_allow(client: Client):
    response = client.delete("/api/v1/auth/token")
    _is_json_error(response, 405, "METHOD_NOT_ALLOWED")
    assert "POST" in response["Allow"]


def test_no_token_is_a_json_401(client: Client, db):
    _is_json_error(client.get("/api/v1/persons"), 401, "UNAUTHORIZED")


def test_bad_input_is_a_json_422_keeping_ninja_detail(client: Client, token: str):
    response = client.get("/api/v1/persons?page=0", headers={"Authorization": f"Bearer {token}"})
    _is_json_error(response, 422, "INVALID_INPUT")
    assert response.json()["detail"][0]["loc"] == ["query", "page"]


@pytest.mark.parametrize("path", ["/api/v1/org-units", "/api/v1/admin-units", "/api/v1/persons"])
def test_a_page_past_its_bound_is_a_json_422(client: Client, token: str, path: str):
    response = client.get(
        f"{path}?page=99999999999999999999", headers={"Authorization": f"Bearer {token}"}
    )
    _is_json_error(response, 422, "INVALID_INPUT")
    assert response.json()["detail"][0]["loc"] == ["query", "page"]


def test_a_missing_person_is_a_json_404(client: Client, token: str):
    response = client.get(
        "/api/v1/persons/000000000000", headers={"Authorization": f"Bearer {token}"}
    )
    _is_json_error(response, 404, "NOT_FOUND")


def test_an_unexpected_exception_is_a_json_500():
    request = RequestFactory().get("/api/v1/persons")
    _is_json_error(api.on_exception(request, RuntimeError("boom")), 500, "SERVER_ERROR")


def test_an_html_error_from_outside_the_api_view_becomes_json():
    def html_500(request) -> HttpResponse:
        return HttpResponseServerError("<h1>Server Error (500)</h1>")

    middleware = ApiJsonErrorsMiddleware(html_500)
    _is_json_error(middleware(RequestFactory().get("/api/v1/persons")), 500, "SERVER_ERROR")
    page = middleware(RequestFactory().get("/persons/"))
    assert page["Content-Type"].startswith("text/html")  # pages keep their own error pages


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def unreachable_database(django_db_blocker, tmp_path):
    """The default connection replaced by one to a database that is not there (a closed port
    on PostgreSQL, a folder that does not exist on SQLite); the test database is untouched."""
    original = connections["default"]
    settings_dict = dict(original.settings_dict)
    if original.vendor == "postgresql":
        settings_dict.update(
            HOST="127.0.0.1",
            PORT=str(_closed_port()),
            OPTIONS={**settings_dict.get("OPTIONS", {}), "connect_timeout": 3},
        )
    else:
        settings_dict["NAME"] = str(tmp_path / "absent" / "muster.sqlite3")
    broken = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, "default")
    with django_db_blocker.unblock():
        connections["default"] = broken
        try:
            yield
        finally:
            broken.close()
            connections["default"] = original


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/persons", None),
        ("get", "/api/v1/org-units", None),
        ("post", "/api/v1/auth/token", {"username": "xa", "password": "pw-test-12345"}),
    ],
)
def test_an_unreachable_database_is_a_json_503(unreachable_database, method, path, body):
    client = Client(raise_request_exception=False)
    if method == "post":
        response = client.post(path, body, content_type="application/json")
    else:
        response = client.get(path, headers={"Authorization": "Bearer some-token"})
    _is_json_error(response, 503, "DATABASE_UNAVAILABLE")
    assert int(response["Retry-After"]) > 0
