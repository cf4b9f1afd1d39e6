"""The one set of template filters for dates and numbers (`core.formats`), and the export
links of a table page (`core.exports`). Every template loads these; none formats by hand.

    {{ person.birth_date|date_text }}      05/03/2026
    {{ event.at|datetime_text }}           05/03/2026 14:07
    {{ batch.report_time|time_text }}      07:30
    {{ figures.people|number_text }}       1.234.567
    {{ unit.area_km2|number_text:1 }}      1.234,5
    {{ ratio|percent_text }}               12,5%
    {{ day|iso_date }}                     2026-03-05, for attributes and links only
    {% export_links "xlsx" "csv" %}        download links for this page with its filters
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django import template
from django.http import HttpRequest

from muster.core import formats
from muster.core.exports import EXPORT_PARAMETER

register = template.Library()

_LABELS = {"xlsx": "Excel (XLSX)", "csv": "CSV", "pdf": "PDF"}


@register.filter
def date_text(value: date | None) -> str:
    return formats.date_text(value) if isinstance(value, date) else ""


@register.filter
def datetime_text(value: datetime | None) -> str:
    return formats.datetime_text(value) if isinstance(value, datetime) else ""


@register.filter
def time_text(value: time | datetime | None) -> str:
    return formats.time_text(value) if isinstance(value, time | datetime) else ""


@register.filter
def number_text(value: int | float | Decimal | None, places: int = 0) -> str:
    if not isinstance(value, int | float | Decimal):
        return ""
    return formats.number_text(value, int(places))


@register.filter
def percent_text(value: float | Decimal | None, places: int = 1) -> str:
    if not isinstance(value, int | float | Decimal):
        return ""
    return formats.percent_text(value, int(places))


@register.filter
def iso_date(value: date | None) -> str:
    """A date for a machine: an <input type=date> value or a query string."""
    return value.isoformat() if isinstance(value, date) else ""


@register.inclusion_tag("core/export_links.html", takes_context=True)
def export_links(context: template.Context, *formats_offered: str) -> dict[str, Any]:
    """Links that download the page's table, with the page's filters and without its page
    number (an export holds every row the filters select)."""
    request: HttpRequest | None = context.get("request")
    links: list[tuple[str, str, str]] = []
    if request is not None:
        for fmt in formats_offered or ("xlsx", "csv"):
            params = request.GET.copy()
            params.pop("page", None)
            params[EXPORT_PARAMETER] = fmt
            links.append((fmt, _LABELS.get(fmt, fmt), f"{request.path}?{params.urlencode()}"))
    return {"links": links}


@register.filter
def dates_in_text(value: object) -> str:
    """Free text written elsewhere (a computed gap, a record's details) with its ISO dates
    shown dd/mm/yyyy."""
    return formats.iso_dates_as_text(str(value)) if value is not None else ""
