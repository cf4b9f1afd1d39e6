"""`core.forms`' helpers for pages that read `request.POST` by hand: a date or a whole number
that does not parse is collected as its field's error and stands in as today or 0; the write
runs only without errors, and the page's message says what happened in the reader's words."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import RequestFactory
from django.utils import timezone, translation

from muster.core.errors import FieldError, InvalidInput
from muster.core.forms import posted_day, posted_int, posted_write


@pytest.mark.parametrize(
    ("value", "expected", "errors"),
    [
        ("2026-09-08", date(2026, 9, 8), []),
        ("08/09/2026", None, [FieldError("day", "NOT_A_DATE")]),
        ("", None, [FieldError("day", "NOT_A_DATE")]),
        ("2026-02-30", None, [FieldError("day", "NOT_A_DATE")]),
    ],
)
def test_posted_day(value: str, expected: date | None, errors: list[FieldError]) -> None:
    found: list[FieldError] = []
    assert posted_day(value, "day", found) == (expected or timezone.localdate())
    assert found == errors


@pytest.mark.parametrize(
    ("value", "expected", "refused"),
    [("12", 12, False), ("-3", -3, False), ("", 0, True), ("1,5", 0, True), ("ba", 0, True)],
)
def test_posted_int(value: str, expected: int, refused: bool) -> None:
    found: list[FieldError] = []
    invalid = FieldError("days", "NOT_ONE_OF", {"choices": "1, 2"})
    assert posted_int(value, found, invalid) == expected
    assert found == ([invalid] if refused else [])


def _request() -> HttpRequest:
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    return request


def _said(request: HttpRequest) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in messages.get_messages(request)]


def test_posted_write_runs_the_write_and_says_it_is_done() -> None:
    request = _request()
    assert posted_write(request, [], lambda: 7, lambda n: f"done {n}") == 7
    assert _said(request) == [("success", "done 7")]


def test_posted_write_refuses_the_parsing_errors_without_writing() -> None:
    request = _request()
    written: list[int] = []
    with translation.override("en"):
        result = posted_write(
            request,
            [FieldError("day", "NOT_A_DATE")],
            lambda: written.append(1),
            lambda _result: "done",
        )
    assert result is None
    assert written == []
    assert _said(request) == [("error", "Enter the date as day, month and year.")]


def test_posted_write_words_the_actions_refusal() -> None:
    def refuse() -> None:
        raise InvalidInput([FieldError("days", "REQUIRED")])

    request = _request()
    with translation.override("en"):
        assert posted_write(request, [], refuse, lambda _result: "done") is None
    [(level, text)] = _said(request)
    assert level == "error"
    assert "This field is required." in text
