"""Template filters of the call-up pages."""

from __future__ import annotations

from django import template

from muster.conscription.views.forms_person import education_choices

register = template.Library()


@register.filter
def education_label(level: str) -> str:
    """ "grade_9" → "Lớp 9/12" in the reader's language; "" → "—"."""
    if not level:
        return "—"
    return str(dict(education_choices()).get(level, level))
