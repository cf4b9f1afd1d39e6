"""The JSON API answers every error as JSON: `{"code": "...", "detail": ...}`.

`detail` is what django-ninja always put there (a sentence, or the list of field errors of a
422), so clients that read it keep working; `code` is stable and meant for programs
(`NOT_FOUND`, `INVALID_INPUT`, `AUTH_LOCKED`, `MFA_ENROLMENT_REQUIRED` …).

The actions' coded errors (core.errors) answer the same way: `InvalidInput` is a 422 whose
`detail` items keep ninja's `type`, `loc` and `msg` and add `code`, `field`, `params` (dates
ISO) and `message` (the wording in the request's language, `msg` the same); `NotFound` and
`PermissionDenied` are a 404 and a 403 whose `code` is the error's own, with its `params`.

Two layers: the ninja exception handlers (`install_error_handlers`, called in config/api.py)
answer what an endpoint raises, the database being unreachable included; the middleware rewrites
whatever else answers an /api/ path with an error that is not JSON (a 404 for an unknown path,
ninja's 405, a 500 raised outside the endpoint).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

from django.db.utils import InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from ninja import Field, NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError

from muster.core.errors import CodedError, FieldError, InvalidInput, NotFound, PermissionDenied
from muster.core.wording import json_params

log = logging.getLogger(__name__)

API_PATH_PREFIX = "/api/"

# The code of an error that carries none of its own, by HTTP status.
STATUS_CODES: dict[int, str] = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "TOO_LARGE",
    422: "INVALID_INPUT",
    429: "TOO_MANY_REQUESTS",
    500: "SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
}
DATABASE_UNAVAILABLE = "DATABASE_UNAVAILABLE"
# How long a client should wait before retrying when the database does not answer.
DATABASE_RETRY_SECONDS = 30
# Headers of a replaced answer that still mean something in the JSON one.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate")


class ErrorOut(Schema):
    """The one shape of every API error (`json_error`), as the OpenAPI schema documents it."""

    code: str = Field(
        description="stable, for programs: UNAUTHORIZED, NOT_FOUND, INVALID_INPUT, AUTH_LOCKED, "
        "DATABASE_UNAVAILABLE …"
    )
    detail: str | list[dict[str, Any]] = Field(
        description="a sentence; for a 422 the list of field errors (loc, msg, code, params)"
    )


def error_responses(*statuses: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation really gives, for its `response=`: the schema documents
    each, and the API fuzz test (tests/test_api_fuzz.py) fails on any status left out."""
    return dict.fromkeys(statuses, ErrorOut)


# Every operation behind the Bearer token: no or a dead token (401), input that breaks its
# schema (422), a database that does not answer (503).
TOKEN_READ_ERRORS = (401, 422, 503)
# A write behind the token: also a body that is not JSON (400), a refusal (403: role, grant,
# jurisdiction), a thing named that is not there or not yours (404).
TOKEN_WRITE_ERRORS = (*TOKEN_READ_ERRORS, 400, 403, 404)


class ApiError(HttpError):
    """An API refusal with its code: `raise ApiError(403, "MFA_ENROLMENT_REQUIRED", "…")`."""

    def __init__(
        self,
        status_code: int,
        code: str,
        detail: str,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(status_code, detail)
        self.code = code
        self.headers = dict(headers or {})


def code_for_status(status: int) -> str:
    return STATUS_CODES.get(status, "CLIENT_ERROR" if status < 500 else "SERVER_ERROR")


def json_error(
    status: int,
    detail: Any,
    *,
    code: str | None = None,
    headers: Mapping[str, str] | None = None,
    extra: Mapping[str, Any] | None = None,
) -> JsonResponse:
    """The one shape of every API error (`extra`: more keys, e.g. a coded error's params)."""
    response = JsonResponse(
        {"code": code or code_for_status(status), "detail": detail, **(extra or {})},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error_item(error: FieldError, location: str = "body") -> dict[str, Any]:
    """One 422 item for `error`; `location` is ninja's first `loc` part (query, path, body)."""
    message = error.message
    return {
        "type": "value_error",
        "loc": [location, error.field],
        "msg": message,
        "code": error.code,
        "field": error.field,
        "params": json_params(error.params),
        "message": message,
    }


def validation_error(errors: list[FieldError], location: str = "query") -> ValidationError:
    """A 422 naming each field, in ninja's shape with the codes added."""
    return ValidationError([error_item(e, location) for e in errors])


def install_error_handlers(api: NinjaAPI) -> None:
    """Replace ninja's default handlers (which let anything unexpected become an HTML 500)."""

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, ApiError):
            return json_error(exc.status_code, exc.message, code=exc.code, headers=exc.headers)
        headers = {"Retry-After": str(wait)} if (wait := getattr(exc, "wait", None)) else {}
        return json_error(exc.status_code, exc.message, headers=headers)

    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return json_error(422, exc.errors)

    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return json_error(404, "Not Found")

    def database_unavailable(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.error("API %s %s: database unavailable: %s", request.method, request.path, exc)
        return json_error(
            503,
            "The database is not answering; try again shortly.",
            code=DATABASE_UNAVAILABLE,
            headers={"Retry-After": str(DATABASE_RETRY_SECONDS)},
        )

    def invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
        return json_error(422, [error_item(e) for e in exc.errors])

    def coded(status: int) -> Callable[[HttpRequest, CodedError], HttpResponse]:
        def answer(request: HttpRequest, exc: CodedError) -> HttpResponse:
            extra = {"params": json_params(exc.params)}
            return json_error(status, exc.message, code=exc.code, extra=extra)

        return answer

    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        log.exception("API %s %s failed", request.method, request.path, exc_info=exc)
        return json_error(500, "Server error")

    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (HttpError, http_error),
        (ValidationError, validation_error),
        (Http404, not_found),
        (InvalidInput, invalid_input),
        (NotFound, coded(404)),
        (PermissionDenied, coded(403)),
        (OperationalError, database_unavailable),
        (InterfaceError, database_unavailable),
        (Exception, server_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)


def _is_json(response: HttpResponseBase) -> bool:
    return str(response.get("Content-Type", "")).startswith("application/json")


class ApiJsonErrorsMiddleware:
    """Under /api/, an error answer that is not JSON becomes one (same status, same code table).

    Outermost but for the security middleware, so it also sees the 500 Django makes of an
    exception raised in another middleware, and the 404 of a path no route matches.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not request.path.startswith(API_PATH_PREFIX)
            or _is_json(response)
        ):
            return response
        status = response.status_code
        try:
            detail = HTTPStatus(status).phrase
        except ValueError:
            detail = "Error"
        kept = {name: str(response[name]) for name in KEPT_HEADERS if response.has_header(name)}
        return json_error(status, detail, headers=kept)
