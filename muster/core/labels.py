"""Codes shown as words: the registry of every app's label tables, and the one way to show one.

Statuses, reasons, sources, kinds and audit actions are stored as codes (`IN_RESERVE`,
`HEALTH_PENDING`, `popreg`); people read words. Each app keeps its tables in
`muster/<app>/labels.py` as `LABELS: dict[str, Mapping[str, Label]]` — kind → code → label, a
label being a translatable string or, for tables written in both languages already (the call-up
reasons), a function of the language code. The registry gathers them on first use and refuses a
kind claimed twice.

Pages use the template filters of `core/templatetags/muster_labels.py`: `{{ code|label:"kind" }}`
renders `<abbr class="code" title="CODE">words</abbr>` (the code on hover), `label_text` the
words alone (inside `<option>` or an attribute). Exports keep the code in its own column and may
add the words beside it (`label`). An unknown code is shown as it is, never hidden.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

Label = Promise | str | Callable[[str], str]
Table = Mapping[str, Label]

# Core stores no codes people read; its own table (by the convention above) is empty.
LABELS: dict[str, Table] = {}

_registry: dict[str, Table] | None = None


def registry() -> dict[str, Table]:
    """Every kind of every app → its table (gathered once; a kind claimed twice is refused)."""
    global _registry
    if _registry is None:
        gathered: dict[str, Table] = {}
        owner: dict[str, str] = {}
        for config in apps.get_app_configs():
            if not config.name.startswith("muster."):
                continue
            name = f"{config.name}.labels"
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            for kind, table in module.LABELS.items():
                if kind in owner:
                    raise ImproperlyConfigured(f"label kind {kind} is in {owner[kind]} and {name}")
                owner[kind] = name
                gathered[kind] = table
        _registry = gathered
    return _registry


def _words(value: Label) -> str:
    if callable(value) and not isinstance(value, Promise):
        return value(get_language() or "vi")
    return str(value)


def label(kind: str, code: Any) -> str:
    """The words for `code` of `kind` in the active language; the code itself when unknown."""
    text = "" if code is None else str(code)
    value = registry().get(kind, {}).get(text)
    return text if value is None else _words(value)


def label_html(kind: str, code: Any) -> SafeString:
    """`<abbr class="code" title="CODE">words</abbr>`: the words, the code on hover."""
    text = "" if code is None else str(code)
    if not text:
        return format_html("{}", "—")
    return format_html('<abbr class="code" title="{}">{}</abbr>', text, label(kind, text))


def codes(kind: str) -> list[str]:
    """The codes of `kind` that have words."""
    return list(registry().get(kind, {}))


def known_codes() -> set[str]:
    """Every code of every table (the route test looks for them shown bare)."""
    return {code for table in registry().values() for code in table}
