"""Militia pages: the commune commands a user covers with their counts against target, and a
command's roster, on today or on an earlier day (`?as_of=YYYY-MM-DD`); each as XLSX or CSV,
the roster also as the PDF form (`?export=`, `militia.exports`).

Pages extend the web app's base template but import nothing from `muster.web` (it sits above
this app), like the worklists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from muster.accounts import permissions
from muster.accounts.views_support import request_user
from muster.core.exports import export_format, export_response
from muster.core.views import guarded, page_number
from muster.militia import exports, queries, rules
from muster.militia.models import ForceKind, MilitiaMembership
from muster.militia.views_units import units_context

EARLIEST = date(2000, 1, 1)
PAGE_SIZE = 100


def _as_of(request: HttpRequest) -> tuple[date, bool]:
    """The day asked about (`as_of`, from 2000 to today) and whether it is today."""
    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return today, True
    day = min(max(day, EARLIEST), today)
    return day, day == today


@dataclass(frozen=True)
class Member:
    membership: MilitiaMembership
    age: int
    transferred: bool  # kept here since a restructuring handed the roster over


def _kinds(by_kind: dict[str, int]) -> list[tuple[str, int]]:
    return [(str(label), by_kind[kind]) for kind, label in ForceKind.choices if by_kind.get(kind)]


@guarded(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """Commune commands of the user's jurisdiction: members by force against the target."""
    day, is_today = _as_of(request)
    rows = queries.militia_commands(request_user(request), day=day)
    show_all = request.GET.get("all") == "1"
    # A national user covers thousands of commands: by default only those keeping a roster or
    # set a target, a page at a time, so the page stays light on slow links.
    shown = rows if show_all else [row for row in rows if row.members or row.target]
    if (fmt := export_format(request)) is not None:
        return export_response(exports.commands_table(shown, day=day), fmt)
    number = min(page_number(request), max(1, -(-len(shown) // PAGE_SIZE)))  # last page at most
    start = (number - 1) * PAGE_SIZE
    query = {
        k: v
        for k, v in (
            ("as_of", "" if is_today else day.isoformat()),
            ("all", "1" if show_all else ""),
        )
        if v
    }
    return render(
        request,
        "militia/index.html",
        {
            "day": day,
            "is_today": is_today,
            "rows": [(row, _kinds(row.by_kind)) for row in shown[start : start + PAGE_SIZE]],
            "members": sum(row.members for row in rows),
            "below": sum(1 for row in rows if row.shortfall),
            "commands": len(rows),
            "hidden": len(rows) - len(shown),
            "show_all": show_all,
            "page": {
                "number": number,
                "has_previous": number > 1,
                "has_next": start + PAGE_SIZE < len(shown),
            },
            "page_query": urlencode(query),
            "all_query": urlencode({**query, "all": "1"}),
        },
    )


@guarded(["GET"])
def roster(request: HttpRequest, code: str) -> HttpResponse:
    """One commune command's roster on the day asked about (404 outside the jurisdiction)."""
    day, is_today = _as_of(request)
    user = request_user(request)
    fmt = export_format(request, ("xlsx", "csv", "pdf"))
    found = queries.militia_roster(user, code=code, day=day, channel=fmt or "web")
    members = [
        Member(m, rules.age_on(m.person.birth_date, day), m.valid_from != m.joined_on)
        for m in found.members
    ]
    if fmt is not None:
        table = exports.roster_table(
            found, members, issuer=user.jurisdiction, today=timezone.localdate()
        )
        return export_response(table, fmt)
    return render(
        request,
        "militia/roster.html",
        {
            "day": day,
            "is_today": is_today,
            "roster": found,
            "kinds": _kinds(found.count.by_kind),
            "members": members,
            "saved": request.GET.get("saved", "")[:10],
            "may_join": is_today and permissions.may(user, "militia.join", unit=found.command),
            "may_target": permissions.may(user, "militia.target.set", unit=found.command),
            **units_context(user, found.command, found.members, day, is_today),
        },
    )
