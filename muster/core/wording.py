"""Error codes in words: the registry of every app's wording table, and the one renderer.

Each app that raises coded errors (`core.errors`) keeps one table, `muster/<app>/wording.py`
with `WORDINGS: dict[str, Promise]` — code → translatable sentence whose `%(name)s`
placeholders are the error's parameters. The registry gathers the tables of the installed apps
on first use and refuses a code claimed twice. `error_message` renders any error in the active
language: pages show it, the CLI prints it (English unless MUSTER_CLI_LANGUAGE says `vi`),
rejects reports put the code first (`reject_text`) and the API adds code, field and parameters
to its 422 items (`core.api_errors`). `tests/test_wordings.py` fails when a raised code has no
wording in both languages, or a wording is never raised.

This module is core's own wording table too: the codes every app shares (required, too long,
a date in the future …).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from muster.core import formats
from muster.core.errors import CodedError, FieldError, InvalidInput, Params

Wordings = Mapping[str, Promise]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")

WORDINGS: dict[str, Promise] = {
    "REQUIRED": _("This field is required."),
    "TOO_LONG": _("Must be at most %(limit)s characters long."),
    "LENGTH_RANGE": _("Enter between 1 and %(limit)s characters."),
    "NOT_ONE_OF": _("Choose one of: %(choices)s."),
    "NOT_A_DATE": _("Enter the date as day, month and year."),
    "NOT_A_DATE_VALUE": _("“%(value)s” is not a date (YYYY-MM-DD)."),
    "DATE_IN_FUTURE": _("The date must not be in the future."),
    "DATE_BEFORE_1900": _("The date must not be before 1900."),
    "DATE_BEFORE_BIRTH": _("The date must not be before the date of birth."),
    "MIN_VALUE": _("Must be at least %(min)s."),
    "BETWEEN": _("Must be between %(low)s and %(high)s."),
    "RANGE_REVERSED": _("Must not be before %(start)s."),
    "OUTSIDE_JURISDICTION": _("%(unit)s lies outside your jurisdiction."),
    "FILE_TOO_LARGE": _("The file must be at most %(mb)s MB."),
    "FILE_EMPTY": _("The file is empty."),
    "FILE_NOT_UTF8": _("The file is not UTF-8 text (byte %(byte)s)."),
    "FILE_UNREADABLE": _("The file cannot be read: %(reason)s."),
    "MISSING_COLUMNS": _("Missing column(s): %(columns)s."),
    "ROW_WIDTH": _("The row has %(fields)s fields; the header has %(width)s."),
    "MORE_ROWS": _("… and %(count)s more rows with this problem."),
    "COMMUNE_NOT_FOUND": _("There is no commune %(code)s in your jurisdiction."),
    "NUL_CHARACTER": _("Contains a NUL character (byte 0) at character %(position)s: remove it."),
}

_registry: dict[str, Promise] | None = None


def _app_tables() -> list[tuple[str, Wordings]]:
    """(module, WORDINGS) of every installed Muster app with a wording module."""
    tables: list[tuple[str, Wordings]] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("muster."):
            continue
        name = f"{config.name}.wording"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        tables.append((name, module.WORDINGS))
    return tables


def registry() -> dict[str, Promise]:
    """Every code of every app → its wording (gathered once; a code claimed twice is refused)."""
    global _registry
    if _registry is None:
        gathered: dict[str, Promise] = {}
        owner: dict[str, str] = {}
        for module, table in _app_tables():
            for code, wording in table.items():
                if code in owner:
                    raise ImproperlyConfigured(f"{code} is worded in {owner[code]} and {module}")
                owner[code] = module
                gathered[code] = wording
        _registry = gathered
    return _registry


def shown(value: Any) -> str:
    """A parameter as a person reads it: dates dd/mm/yyyy and moments dd/mm/yyyy HH:MM in the
    site's time zone (`core.formats`, the one style), lists joined with commas."""
    if isinstance(value, datetime):
        return formats.datetime_text(value)
    if isinstance(value, date):
        return formats.date_text(value)
    if isinstance(value, list | tuple):
        return ", ".join(shown(v) for v in value)
    return str(value)


def error_message(code: str, params: Params) -> str:
    """The error `code` with `params` in the active language.

    An unknown code or a parameter the wording lacks shows the code and its parameters as
    they are, so an error is never hidden (the wordings test keeps this from happening)."""
    wording = registry().get(code) if apps.ready else None
    if wording is None:
        return " ".join([code, *(f"{k}={shown(v)}" for k, v in params.items())])
    text = str(wording)
    try:
        return text % {k: shown(v) for k, v in params.items()} if "%(" in text else text
    except (KeyError, ValueError, TypeError):
        return f"{text} ({code} {params})"


def error_text(error: FieldError | InvalidInput | CodedError) -> str:
    """Any error in the reader's language: one field's, every field's (joined), or a refusal."""
    if isinstance(error, InvalidInput):
        return " ".join(e.message for e in error.errors)
    return error.message


def reject_text(error: FieldError) -> str:
    """A rejects report's reason: the code first, then its wording (`MILITIA_AGE: …`)."""
    return f"{error.code}: {error.message}"


def json_params(params: Params) -> dict[str, Any]:
    """Parameters for JSON: dates ISO, tuples as lists, the rest as they are."""

    def plain(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, list | tuple):
            return [plain(v) for v in value]
        if isinstance(value, Promise):
            return str(value)
        return value

    return {key: plain(value) for key, value in params.items()}
