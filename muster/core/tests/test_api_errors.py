"""Coded errors as API answers in the API's one shape `{"code", "detail"}`: InvalidInput a 422
whose items keep ninja's shape and add code, field, params and message; NotFound 404 and
PermissionDenied 403 with their own code and params."""

from __future__ import annotations

from datetime import date

from django.utils import translation
from ninja import NinjaAPI
from ninja.testing import TestClient

from muster.core.api_errors import install_error_handlers
from muster.core.errors import FieldError, InvalidInput, NotFound, PermissionDenied

api = NinjaAPI(urls_namespace="test-api-errors")
install_error_handlers(api)


@api.get("/invalid")
def invalid(request: object) -> None:
    raise InvalidInput(
        [
            FieldError("recorded_on", "DATE_IN_FUTURE", {"day": date(2030, 1, 2)}),
            FieldError("note", "TOO_LONG", {"limit": 200}),
        ]
    )


@api.get("/absent")
def absent(request: object) -> None:
    raise NotFound("COMMUNE_NOT_FOUND", {"code": "99999"})


@api.get("/refused")
def refused(request: object) -> None:
    raise PermissionDenied("OUTSIDE_JURISDICTION", {"unit": "99999"})


client = TestClient(api)


def test_invalid_input_is_a_422_naming_each_field_with_its_code():
    with translation.override("en"):
        response = client.get("/invalid")
    assert response.status_code == 422
    assert response.json() == {
        "code": "INVALID_INPUT",
        "detail": [
            {
                "type": "value_error",
                "loc": ["body", "recorded_on"],
                "msg": "The date must not be in the future.",
                "code": "DATE_IN_FUTURE",
                "field": "recorded_on",
                "params": {"day": "2030-01-02"},  # ISO in the API
                "message": "The date must not be in the future.",
            },
            {
                "type": "value_error",
                "loc": ["body", "note"],
                "msg": "Must be at most 200 characters long.",
                "code": "TOO_LONG",
                "field": "note",
                "params": {"limit": 200},
                "message": "Must be at most 200 characters long.",
            },
        ],
    }


def test_not_found_and_permission_denied_carry_their_code():
    with translation.override("vi"):
        absent = client.get("/absent")
        refused = client.get("/refused")
    assert absent.status_code == 404
    assert absent.json()["code"] == "COMMUNE_NOT_FOUND"
    assert absent.json()["params"] == {"code": "99999"}
    assert "99999" in absent.json()["detail"]
    assert refused.status_code == 403
    assert refused.json()["code"] == "OUTSIDE_JURISDICTION"
    assert "phạm vi quản lý" in refused.json()["detail"]
