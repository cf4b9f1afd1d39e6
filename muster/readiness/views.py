"""Readiness dashboards, one page per org unit (commune command → area defence command →
province → military region): the unit's figures from the summary tables with the moment they
were computed, the units below it, and a choropleth of its communes for any indicator with
drill-down; the same as of any day (`?as_of=`). Reports as XLSX, PDF or CSV (`?export=`).

Nothing here computes a figure: every number is read from the snapshots `readiness.bulk`
wrote. The pages stay light for slow links: one table, a short list of figures, and the map
loads its GeoJSON after the page.
"""

from __future__ import annotations

import functools
from datetime import date

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from muster.accounts.models import User
from muster.accounts.scope import scope_for, unit_communes
from muster.accounts.views_support import request_user
from muster.core.collation import vi
from muster.core.exports import export_format, export_response
from muster.core.formats import datetime_text, number_text
from muster.core.validity import valid_on
from muster.core.views import guarded
from muster.geo import queries as geo_queries
from muster.orgs.models import OrgUnit
from muster.readiness import exports, summary
from muster.readiness.dashboard import access_place, access_unit
from muster.readiness.indicators import BY_NAME, INDICATORS, TABLE
from muster.readiness.models import UnitSnapshot
from muster.readiness.summary import Row

EARLIEST = date(2000, 1, 1)
EXPORTS = ("xlsx", "pdf", "csv")


def as_of(request: HttpRequest) -> tuple[date, bool]:
    """The day asked about (`as_of`, from 2000 to today) and whether it is today."""
    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return today, True
    day = min(max(day, EARLIEST), today)
    return day, day == today


def _may_see_country(user: User, day: date) -> bool:
    return scope_for(user, day).is_national


@guarded(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The user's own jurisdiction's page; for a national user, the top units."""
    user = request_user(request)
    day, is_today = as_of(request)
    if not _may_see_country(user, day) and user.jurisdiction is not None:
        target = reverse("readiness:unit", args=[user.jurisdiction.code])
        return redirect(target if is_today else f"{target}?as_of={day.isoformat()}")
    if not _may_see_country(user, day):
        return render(request, "readiness/unit.html", _context(None, None, [], day, is_today))
    roots = list(
        OrgUnit.objects.filter(valid_on(day), parent__isnull=True).order_by(vi("name"), "code")
    )
    snaps = summary.unit_snapshots([u.pk for u in roots], day)
    rows = [Row(u.code, u.name, snaps.get(u.pk), u) for u in roots]
    if (fmt := export_format(request, EXPORTS)) is not None:
        today = timezone.localdate()
        return export_response(exports.report_table(None, None, rows, day=day, today=today), fmt)
    return render(request, "readiness/unit.html", _context(None, None, rows, day, is_today))


@guarded(["GET"])
def unit(request: HttpRequest, code: str) -> HttpResponse:
    """One unit's readiness figures as of the day, with the units below it or its communes."""
    user = request_user(request)
    day, is_today = as_of(request)
    place = access_place(user, code, day)
    found = place.unit
    snapshot, rows = summary.page(place, day)
    if (fmt := export_format(request, EXPORTS)) is not None:
        table = exports.report_table(found, snapshot, rows, day=day, today=timezone.localdate())
        return export_response(table, fmt)
    context = _context(found, snapshot, rows, day, is_today)
    # The unit above is in the jurisdiction unless this unit is the jurisdiction itself.
    national = _may_see_country(user, day)
    context["parent"] = (
        place.parent if found.parent_id and (national or found.pk != user.jurisdiction_id) else None
    )
    if (jurisdiction := place.around(user.jurisdiction_id)) is not None:
        # The user box names the jurisdiction: this unit or one above it, already read.
        user.jurisdiction = jurisdiction
    return render(request, "readiness/unit.html", context)


def _context(
    found: OrgUnit | None,
    snapshot: UnitSnapshot | None,
    rows: list[Row],
    day: date,
    is_today: bool,
) -> dict[str, object]:
    """What the page shows, every figure already written out (`core.formats`), so the
    template only places text: the page is read on every visit, the figures change nightly."""
    query = "" if is_today else f"?as_of={day.isoformat()}"
    labels = _labels(get_language())
    row_links = bool(rows) and rows[0].unit is not None
    return {
        "unit": found,
        "snapshot": snapshot,
        "figures": [
            (name, label, _figure_text(summary.indicator(snapshot, name), BY_NAME[name].share))
            for name, label in labels
        ]
        if snapshot is not None
        else [],
        "stale": snapshot is not None and snapshot.as_of != day,
        "partial": snapshot is not None
        and snapshot.inputs_from is not None
        and snapshot.inputs_from < snapshot.as_of,
        "rows": [_row(row, query, links=row_links) for row in rows],
        "row_links": row_links,
        "columns": [str(BY_NAME[n].label) for n in TABLE],
        "map_options": _map_options(get_language()),
        "map_labels": _map_labels(get_language()),
        "day": day,
        "is_today": is_today,
        "query": query,
        "map_url": (
            reverse("readiness:unit_map", args=[found.code]) + query if found is not None else ""
        ),
    }


@functools.cache
def _labels(language: str) -> tuple[tuple[str, str], ...]:
    """Every indicator's name and words in `language` (the words are fixed per release)."""
    with translation.override(language):
        return tuple((i.name, str(i.label)) for i in INDICATORS)


@functools.cache
def _map_options(language: str) -> SafeString:
    """The map's choice of indicator, the same on every page in a language."""
    return format_html_join("", '<option value="{}">{}</option>', _labels(language))


@functools.cache
def _map_labels(language: str) -> SafeString:
    """The legend's words of each indicator (the map's `data-label-*` attributes)."""
    return format_html_join("", 'data-label-{}="{}" ', _labels(language))


def _figure_text(value: float | int | None, share: bool) -> str:
    if value is None:
        return "—"
    return f"{number_text(value, 1)} %" if share else number_text(value)


def _row(row: Row, query: str, *, links: bool) -> tuple[str, str, str, list[str]]:
    """A row of the table: its link (or ""), name, when its figures were computed, and the
    figures of `TABLE` (— where none)."""
    snap = row.snapshot
    link = reverse("readiness:unit", args=[row.code]) + query if links else ""
    if snap is None:
        return link, row.name, "—", ["—"] * len(TABLE)
    values = [summary.indicator(snap, n) for n in TABLE]
    texts = ["—" if v is None else number_text(v) for v in values]
    return link, row.name, datetime_text(snap.computed_at), texts


@guarded(["GET"])
def unit_map(request: HttpRequest, code: str) -> JsonResponse:
    """GeoJSON of the unit's communes with every indicator of their latest snapshots on the
    day, each linking to its commune command's page (drill-down)."""
    user = request_user(request)
    day, is_today = as_of(request)
    found = access_unit(user, code, day)
    snaps = summary.commune_snapshots(unit_communes(found.pk, day), day)
    codes = dict(
        OrgUnit.objects.filter(
            pk__in=sorted({s.command_id for s in snaps.values() if s.command_id})
        ).values_list("pk", "code")
    )
    suffix = "" if is_today else f"?as_of={day.isoformat()}"
    properties: dict[int, dict[str, object]] = {}
    for commune_id, snap in snaps.items():
        values: dict[str, object] = {i.name: summary.indicator(snap, i.name) for i in INDICATORS}
        command = codes.get(snap.command_id or 0)
        values["url"] = reverse("readiness:unit", args=[command]) + suffix if command else ""
        properties[commune_id] = values
    return JsonResponse(geo_queries.shapes_geojson(sorted(properties), properties))
