"""The one renderer of coded errors: the reader's language, dates dd/mm/yyyy, the code first in
rejects reports, and an unknown code shown as it is rather than hidden."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import translation

from muster.core.errors import FieldError, InvalidInput, NotFound
from muster.core.wording import error_message, error_text, json_params, reject_text, shown


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (date(2026, 3, 5), "05/03/2026"),
        (["an", "bình"], "an, bình"),
        (("x",), "x"),
        (42, "42"),
        ("Đức", "Đức"),
    ],
)
def test_parameters_are_shown_for_people(value, text):
    assert shown(value) == text


def test_errors_are_worded_in_the_active_language():
    error = FieldError("note", "TOO_LONG", {"limit": 200})
    with translation.override("en"):
        assert error.message == "Must be at most 200 characters long."
        assert reject_text(error) == "TOO_LONG: Must be at most 200 characters long."
    with translation.override("vi"):
        assert error.message == "Không được dài quá 200 ký tự."


def test_str_of_an_error_puts_field_and_code_first():
    exc = InvalidInput.single("note", "TOO_LONG", {"limit": 200})
    with translation.override("en"):
        assert str(exc) == "note: TOO_LONG: Must be at most 200 characters long."
        assert error_text(exc) == "Must be at most 200 characters long."
        refusal = NotFound("COMMUNE_NOT_FOUND", {"code": "99999"})
        assert str(refusal) == "COMMUNE_NOT_FOUND: There is no commune 99999 in your jurisdiction."


def test_an_unknown_code_or_a_missing_parameter_is_shown_not_hidden():
    assert error_message("NO_SUCH_CODE", {"x": 1}) == "NO_SUCH_CODE x=1"
    with translation.override("en"):
        text = error_message("TOO_LONG", {})
    assert "TOO_LONG" in text


def test_json_parameters_keep_machine_forms():
    assert json_params({"day": date(2026, 3, 5), "names": ("a", "b"), "n": 3}) == {
        "day": "2026-03-05",
        "names": ["a", "b"],
        "n": 3,
    }
