"""Reserve unit pages: the provinces a user reaches, a province's units with their staffing on a
day, one unit's establishment table and who holds its posts (an as-of query); forms to create
units and set establishment rows go through `unit_actions` (provincial staff of the province).
Each list exports as XLSX or CSV (`?export=`).

Pages extend the web app's base template but import nothing from `muster.web`.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from muster.accounts.permissions import may
from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput
from muster.core.exports import export_format, export_response
from muster.core.views import guarded
from muster.core.wording import error_text
from muster.orgs.models import OrgUnit
from muster.reserve import specialties, unit_actions, unit_exports, unit_queries
from muster.reserve.models_units import Force, UnitRole

EARLIEST = date(2000, 1, 1)
AHEAD = timedelta(days=2 * 366)  # a proposal may take effect up to two years ahead


def day_asked(request: HttpRequest, *, future: bool = False) -> tuple[date, bool]:
    """The day asked about (`as_of`), from 2000 to today (or two years ahead with `future`),
    and whether it is today."""
    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("as_of", "") or request.POST.get("as_of", ""))
    except ValueError:
        return today, True
    day = min(max(day, EARLIEST), today + AHEAD if future else today)
    return day, day == today


def refused(request: HttpRequest, exc: InvalidInput) -> None:
    """The action's reasons, one message each (nothing was written)."""
    for error in exc.errors:
        messages.error(request, error_text(error))


@guarded(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The provinces the user's jurisdiction reaches, with their reserve units' staffing."""
    user = request_user(request)
    day, is_today = day_asked(request)
    rows = []
    for province in unit_queries.provinces_covered(user, day=day):
        units = unit_queries.reserve_units(user, province=province, day=day)
        rows.append(
            (province, len(units), sum(u.seats for u in units), sum(u.assigned for u in units))
        )
    if (fmt := export_format(request)) is not None:
        return export_response(unit_exports.provinces_table(rows, day=day), fmt)
    return render(
        request, "reserve/units/index.html", {"rows": rows, "day": day, "is_today": is_today}
    )


def _unit_form_context(province: unit_queries.Province, day: date) -> dict[str, object]:
    return {
        "forces": Force.choices,
        "roles": UnitRole.choices,
        "areas": unit_queries.area_commands(province.command, day),
    }


@guarded(["GET"])
def province(request: HttpRequest, code: str) -> HttpResponse:
    """A province's reserve units on the day: force, role, seats, filled and staffing."""
    user = request_user(request)
    day, is_today = day_asked(request)
    found = unit_queries.access_province(user, code, day=day)
    rows = unit_queries.reserve_units(user, province=found, day=day)
    if (fmt := export_format(request)) is not None:
        return export_response(unit_exports.units_table(found, rows, day=day), fmt)
    context: dict[str, object] = {
        "province": found,
        "rows": rows,
        "day": day,
        "is_today": is_today,
        "seats": sum(r.seats for r in rows),
        "assigned": sum(r.assigned for r in rows),
        "may_edit": may(user, "reserve.unit.edit", unit=found.command, day=day),
        **_unit_form_context(found, day),
    }
    return render(request, "reserve/units/province.html", context)


def _int(value: str, default: int = 0) -> int:
    try:
        return int(value)
    except ValueError:
        return default


@guarded(["POST"])
def unit_create(request: HttpRequest, code: str) -> HttpResponse:
    """Create (or change) a reserve unit of the province."""
    user = request_user(request)
    today = timezone.localdate()
    found = unit_queries.access_province(user, code, day=today)
    area_code = request.POST.get("area", "")
    area = next(
        (a for a in unit_queries.area_commands(found.command, today) if a.code == area_code), None
    )
    try:
        unit = unit_actions.reserve_unit_save(
            command=found.command,
            code=request.POST.get("code", "").strip(),
            name=request.POST.get("name", "").strip(),
            force=request.POST.get("force", ""),
            role=request.POST.get("role", ""),
            spare_percent=_int(request.POST.get("spare_percent", "")),
            area=area if isinstance(area, OrgUnit) else None,
            valid_from=today,
            acting_user=user,
        )
    except InvalidInput as exc:
        refused(request, exc)
        return redirect("reserve_units:province", code)
    messages.success(request, _("The reserve unit was saved."))
    return redirect("reserve_units:unit", unit.code)


@guarded(["GET"])
def unit(request: HttpRequest, code: str) -> HttpResponse:
    """One unit: its establishment table with seats filled, and who holds its posts on the day
    among the persons of the user's jurisdiction (their read logged)."""
    user = request_user(request)
    day, is_today = day_asked(request)
    found = unit_queries.access_unit(user, code, day=day)
    fmt = export_format(request)
    holders = unit_queries.unit_assignments(user, unit=found, day=day, channel=fmt or "web")
    posts = unit_queries.unit_posts(found)
    if fmt is not None:
        return export_response(unit_exports.holders_table(found, holders, day=day), fmt)
    filled = unit_queries.filled_by_post(found, day)
    seats = sum(p.count for p in posts)
    context = {
        "unit": found,
        "day": day,
        "is_today": is_today,
        "posts": [(p, filled.get(p.pk, 0)) for p in posts],
        "seats": seats,
        "filled": sum(filled.values()),
        "holders": holders,
        "may_edit": may(user, "reserve.unit.edit", unit=found.command, day=day),
        "specialties": [
            (s.code, s.name(request.LANGUAGE_CODE)) for s in specialties.SPECIALTIES.values()
        ],
        "ranks": [
            (r.code, r.name(request.LANGUAGE_CODE))
            for r in specialties.RANKS.values()
            if r.ladder != "officer"
        ],
    }
    return render(request, "reserve/units/unit.html", context)


@guarded(["POST"])
def post_save(request: HttpRequest, code: str) -> HttpResponse:
    """Set one row of the unit's establishment table."""
    user = request_user(request)
    found = unit_queries.access_unit(user, code, day=timezone.localdate())
    try:
        unit_actions.reserve_post_save(
            unit=found,
            position=request.POST.get("position", ""),
            specialty=request.POST.get("specialty", ""),
            min_rank=request.POST.get("min_rank", ""),
            count=_int(request.POST.get("count", "")),
            acting_user=user,
        )
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The establishment row was saved."))
    return redirect("reserve_units:unit", found.code)
