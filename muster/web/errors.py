"""The reader's wording for the actions' field errors.

people.rules and people.actions word their errors in English for logs and the API ("must have
exactly 12 digits, got 11"). A page shows them in the reader's language: each known message
shape maps to a translatable sentence here; an unknown one is shown as it is, so a new rule is
never hidden. `muster/web/tests/test_forms.py` runs the rules and checks every message they
produce has a wording here.
"""

from __future__ import annotations

import re

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from muster.core.errors import FieldError
from muster.core.wording import Wordings, reword

_MESSAGES: Wordings = [
    (
        re.compile(r"must have exactly 12 digits, got (?P<count>\d+)"),
        _("Must have exactly 12 digits; %(count)s were entered."),
    ),
    (
        re.compile(r"must be exactly 12 digits \(0-9\), got .*", re.DOTALL),
        _("Must be exactly 12 digits (0–9), without spaces or letters."),
    ),
    (re.compile(r"is already registered"), _("A person with this number is already registered.")),
    (
        re.compile(r"is the person's key and cannot be changed"),
        _("The personal ID number cannot be changed."),
    ),
    (re.compile(r"cannot be changed here"), _("This field cannot be changed here.")),
    (re.compile(r"must not be empty"), _("This field is required.")),
    (re.compile(r"is required"), _("This field is required.")),
    (
        re.compile(r"is longer than (?P<limit>\d+) characters"),
        _("Must be at most %(limit)s characters long."),
    ),
    (
        re.compile(r"must be 1–(?P<limit>\d+) characters"),
        _("Enter between 1 and %(limit)s characters."),
    ),
    (re.compile(r"must be M or F, got .*", re.DOTALL), _("Choose male or female.")),
    (re.compile(r"must be alive or dead, got .*", re.DOTALL), _("Choose a life status.")),
    (re.compile(r"must be one of .*", re.DOTALL), _("Choose one of the listed options.")),
    (re.compile(r"must be a date"), _("Enter the date as day, month and year.")),
    (re.compile(r"\S+ is in the future"), _("The date must not be in the future.")),
    (re.compile(r"\S+ is before 1900"), _("The date must not be before 1900.")),
    (
        re.compile(r"must be empty while the person is alive"),
        _("Leave the date of death empty unless the life status is “Dead”."),
    ),
    (
        re.compile(r"is required when the person is dead"),
        _("Enter the date of death when the life status is “Dead”."),
    ),
    (
        re.compile(r"is before the birth date"),
        _("The date of death must not be before the date of birth."),
    ),
    (
        re.compile(r".* is not a 2025 commune-level unit", re.DOTALL),
        _("Choose a commune from the list."),
    ),
    (
        re.compile(r"contains an? .+ \(U\+(?P<code>[0-9A-F]{4,6})\) at position (?P<position>\d+)"),
        _(
            "Contains an invisible or control character (U+%(code)s) at character "
            "%(position)s: type the text again instead of pasting it."
        ),
    ),
]


def known_message(message: str) -> bool:
    """True if `message` has a wording of its own here (not shown as it is)."""
    return any(pattern.fullmatch(message) for pattern, _wording in _MESSAGES)


# Errors that carry a code are worded by their code (the way every error should go).
CODE_WORDINGS: dict[str, Promise] = {
    "SECOND_FACTOR_NOT_STARTED": _("No enrolment is in progress: start again."),
    "SECOND_FACTOR_CODE_WRONG": _("This is not the current code of your authenticator app."),
}


def field_message(error: FieldError) -> str:
    """The action's message about one field, in the active language."""
    if error.code in CODE_WORDINGS:
        return str(CODE_WORDINGS[error.code])
    return reword(error.message, _MESSAGES)
