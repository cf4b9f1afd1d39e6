"""The OpenAPI schema documents every answer the API gives (issue 13, "Fuzzing in CI").

The fuzz test (test_api_fuzz.py) finds what the schema leaves out; each defect it found is
pinned here, and the structural test keeps every operation documenting the errors every
Bearer-token operation can give.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from config.api import api
from muster.accounts.actions import api_token_issue
from muster.people.tests.factories import make_world

pytestmark = pytest.mark.django_db

ERROR_REF = "#/components/schemas/ErrorOut"


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def _documented(operation: dict[str, Any]) -> set[int]:
    return {int(status) for status in operation["responses"]}


def _error_schema(operation: dict[str, Any], status: int) -> str:
    responses = {int(code): answer for code, answer in operation["responses"].items()}
    content = responses[status]["content"]["application/json"]
    return str(content["schema"]["$ref"])


def test_every_operation_documents_its_errors_in_the_shared_shape():
    for method, path, operation in _operations():
        documented = _documented(operation)
        assert 503 in documented, (method, path)  # the database may not answer
        if operation.get("parameters") or operation.get("requestBody"):
            assert 422 in documented, (method, path)
        if operation.get("security", api.get_openapi_schema().get("security")):
            assert 401 in documented, (method, path)
        if "{" in path:  # a path naming a thing can name one that is not there (or not yours)
            assert 404 in documented or path.endswith("/{kind}"), (method, path)
        for status in {s for s in documented if s >= 400}:
            assert _error_schema(operation, status) == ERROR_REF, (method, path, status)


def test_the_error_shape_is_code_and_detail():
    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert set(schemas["ErrorOut"]["required"]) == {"code", "detail"}


# ── defects the fuzzing found ────────────────────────────────────────────────────────────


def test_a_token_request_whose_body_is_not_json_is_a_documented_400(client: Client):
    # Found by the fuzzer: a body of one NUL byte answered 400, which the schema did not list.
    response = client.post("/api/v1/auth/token", data=b"\x00", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "BAD_REQUEST"
    token = next(op for m, p, op in _operations() if p == "/api/v1/auth/token" and m == "POST")
    assert 400 in _documented(token)


def test_a_revoked_token_is_a_documented_401(client: Client):
    world = make_world()
    token = api_token_issue(user=world.staff[0])
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/v1/auth/revoke", headers=headers).status_code == 204
    again = client.post("/api/v1/auth/revoke", headers=headers)
    assert again.status_code == 401
    assert again.json()["code"] == "UNAUTHORIZED"


def _nul_requests() -> list[tuple[str, str, str]]:
    """(operation, place, URL) with a NUL in each path and query parameter of the schema."""
    requests = []
    for method, path, operation in _operations():
        if method != "GET":
            continue
        fill = {p["name"]: "x" for p in operation.get("parameters", []) if p["in"] == "path"}
        fill.update(kind="deceased", edition="2025")
        for parameter in operation.get("parameters", []):
            name = parameter["name"]
            if parameter["in"] == "path":
                url = path.format(**{**fill, name: "%00"})
            else:
                url = f"{path.format(**fill)}?{name}=a%00b"
            requests.append((f"{method} {path}", f"{parameter['in']} {name}", url))
    return requests


def test_a_nul_in_any_parameter_is_a_documented_422(client: Client):
    # Found by fuzzing on PostgreSQL: a NUL in a query value or a path segment reached the
    # database and raised there (500 on every endpoint that looked something up).
    token = api_token_issue(user=make_world().staff[0])
    headers = {"Authorization": f"Bearer {token}"}
    requests = _nul_requests()
    assert len(requests) >= 20  # every parameter of every read
    for operation, place, url in requests:
        response = client.get(url, headers=headers)
        assert response.status_code == 422, (operation, place, response.content)
        body = response.json()
        assert body["code"] == "INVALID_INPUT"
        assert body["detail"][0]["code"] == "NUL_CHARACTER", (operation, place)


def test_a_nul_in_a_json_body_is_a_422(client: Client):
    make_world()
    response = client.post(
        "/api/v1/auth/token",
        data={"username": "staff0\x00", "password": "pw-staff-123"},
        content_type="application/json",
    )
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert (item["loc"], item["code"], item["params"]) == (
        ["body", "username"],
        "NUL_CHARACTER",
        {"position": 7},
    )


def test_no_two_api_schemas_share_a_name():
    # Found by the fuzzer: the reserve's `UnitOut` took the OpenAPI component name of the
    # admin units' `UnitOut`, so /admin-units was documented with the reserve units' shape.
    import importlib
    import inspect
    from collections import Counter
    from pathlib import Path

    from ninja import Schema

    import muster

    root = Path(muster.__file__).parent
    names: Counter[str] = Counter()
    for path in sorted(root.glob("*/api*.py")):
        module = importlib.import_module(f"muster.{path.parent.name}.{path.stem}")
        names.update(
            name
            for name, value in vars(module).items()
            if inspect.isclass(value)
            and issubclass(value, Schema)
            and value.__module__ == module.__name__
        )
    assert [name for name, count in names.items() if count > 1] == []
