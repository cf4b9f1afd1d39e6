"""The API refuses a NUL character anywhere in its input, before any endpoint sees it.

PostgreSQL cannot hold a NUL in text: a NUL in a query value, a path segment or a JSON string
reached the database as a parameter and raised ValueError there — a 500 on every endpoint that
looked something up (found by fuzzing the API, tests/test_api_fuzz.py). No Muster value may
hold one (people.rules refuses control characters in names on every write path), so one check
at the door answers 422 `INVALID_INPUT` whose item names the place and the code
`NUL_CHARACTER`, on both databases alike.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase

from muster.core.api_errors import API_PATH_PREFIX, error_item, json_error
from muster.core.errors import FieldError

NUL = "\x00"


def _strings(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(dotted place, text) of every string in a decoded JSON value, keys included."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key, path)
            yield from _strings(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, f"{path}.{index}" if path else str(index))


def _body_strings(request: HttpRequest) -> Iterator[tuple[str, str]]:
    body = request.body
    # A NUL reaches a JSON string only as the escape \u0000 (a raw one is not JSON at all,
    # which ninja answers 400); look closer only then.
    if b"\\u0000" not in body:
        return
    try:
        decoded = json.loads(body)
    except ValueError:
        return  # not JSON: ninja's own 400
    yield from _strings(decoded, "")


def nul_errors(request: HttpRequest) -> list[tuple[str, FieldError]]:
    """(location, error) for each place of the request holding a NUL: path, query, body."""
    found: list[tuple[str, FieldError]] = []
    if NUL in request.path:
        found.append(
            ("path", FieldError("path", "NUL_CHARACTER", {"position": request.path.index(NUL) + 1}))
        )
    for name, values in request.GET.lists():
        for value in [name, *values]:
            if NUL in value:
                found.append(
                    ("query", FieldError(name, "NUL_CHARACTER", {"position": value.index(NUL) + 1}))
                )
                break
    if request.method in {"POST", "PUT", "PATCH"}:
        for place, text in _body_strings(request):
            if NUL in text:
                found.append(
                    ("body", FieldError(place, "NUL_CHARACTER", {"position": text.index(NUL) + 1}))
                )
    return found


class ApiNulRefusalMiddleware:
    """Under /api/, a request holding a NUL anywhere is answered 422 before routing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path.startswith(API_PATH_PREFIX):
            errors = nul_errors(request)
            if errors:
                return json_error(422, [error_item(error, place) for place, error in errors])
        return self.get_response(request)
