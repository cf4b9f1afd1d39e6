"""Codes as words in templates (`core.labels`): `{% load muster_labels %}` then
`{{ person.source|label:"person_source" }}` (the words, the code on hover) or
`{{ code|label_text:"reason" }}` (the words alone, e.g. inside an <option>)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from muster.core import labels

register = template.Library()


@register.filter
def label(code: Any, kind: str) -> SafeString:
    return labels.label_html(kind, code)


@register.filter
def label_text(code: Any, kind: str) -> str:
    return labels.label(kind, code)
