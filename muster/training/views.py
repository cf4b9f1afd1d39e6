"""Training pages (DQTV Art. 28): a year's sessions of the user's commands with a form to plan
one, a session's attendance with a form to record it, and the members short of the year's
training days. Each list also as XLSX or CSV (`?export=`, `training.exports`).

Pages extend the web app's base template but import nothing from `muster.web` (it sits above
this app); permissions come from `accounts.permissions`, jurisdiction from the queries.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.views_support import request_user
from muster.core.errors import FieldError
from muster.core.exports import export_format, export_response
from muster.core.forms import posted_day, posted_int, posted_write
from muster.core.views import guarded
from muster.militia.models import ForceKind
from muster.training import actions, exports, queries

EARLIEST_YEAR = 2000


def _year(request: HttpRequest) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return today.year
    return min(max(year, EARLIEST_YEAR), today.year + 1)


def _unit_code(request: HttpRequest, user: User) -> tuple[str, list[tuple[str, str]]]:
    units = [(u.code, u.name) for u in queries.training_units(user)]
    code = request.GET.get("unit", "")
    return (code if code in dict(units) else ""), units


def _int(value: str, field: str, errors: list[FieldError]) -> int:
    return posted_int(value, errors, FieldError(field, "TRAINING_NOT_A_NUMBER"))


@guarded(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The year's sessions of the commands the user covers; a form to plan one."""
    user = request_user(request)
    year = _year(request)
    unit, units = _unit_code(request, user)
    sessions = queries.session_list(user, year=year, unit_code=unit or None)
    if (fmt := export_format(request)) is not None:
        return export_response(exports.sessions_table(sessions, year=year), fmt)
    return render(
        request,
        "training/index.html",
        {
            "year": year,
            "unit": unit,
            "units": units,
            "sessions": sessions,
            "forces": ForceKind.choices,
            "can_manage": permissions.may(user, "training.session.manage"),
        },
    )


@guarded(["POST"])
def session_new(request: HttpRequest) -> HttpResponse:
    """Plan a session of a command in the user's jurisdiction (404 outside it)."""
    user = request_user(request)
    unit = queries.access_unit(user, request.POST.get("unit", ""))
    errors: list[FieldError] = []
    starts_on = posted_day(request.POST.get("starts_on", ""), "starts_on", errors)
    ends_on = posted_day(request.POST.get("ends_on", ""), "ends_on", errors)
    days = _int(request.POST.get("days", ""), "days", errors)
    session = posted_write(
        request,
        errors,
        lambda: actions.training_session_create(
            unit=unit,
            title=request.POST.get("title", ""),
            starts_on=starts_on,
            ends_on=ends_on,
            days=days,
            force_kind=request.POST.get("force_kind", ""),
            place=request.POST.get("place", ""),
            acting_user=user,
        ),
        lambda _result: _("The training session was saved."),
    )
    if session is None:
        return redirect(f"{reverse('training:index')}?unit={unit.code}")
    return redirect("training:session", session_id=session.pk)


def _attendance_context(request: HttpRequest, user: User, session_id: int) -> dict[str, Any]:
    session = queries.access_session(user, session_id)
    return {
        "session": session,
        "rows": queries.session_attendance(user, session),
        "can_record": permissions.may(user, "training.attendance.record", unit=session.unit),
    }


@guarded(["GET"])
def session(request: HttpRequest, session_id: int) -> HttpResponse:
    """A session and its members' attendance (404 outside the jurisdiction)."""
    user = request_user(request)
    if (fmt := export_format(request)) is not None:
        found = queries.access_session(user, session_id)
        rows = queries.session_attendance(user, found, channel=fmt)
        return export_response(exports.attendance_table(found, rows), fmt)
    return render(request, "training/session.html", _attendance_context(request, user, session_id))


@guarded(["POST"])
def attendance(request: HttpRequest, session_id: int) -> HttpResponse:
    """Record the days each listed member attended (`days-<personal ID>`, and
    `reason-<personal ID>` for an absence); blank rows are left as they are."""
    user = request_user(request)
    found = queries.access_session(user, session_id)
    errors: list[FieldError] = []
    entries: list[actions.AttendanceInput] = []
    # Only the session's members can be recorded: the form names them by personal ID.
    members = {
        m.person.personal_id: m.person
        for m in queries.session_members(found).select_related("person")
    }
    for name in request.POST:
        value = request.POST.get(name, "")
        if not name.startswith("days-") or not value.strip():
            continue
        personal_id = name.removeprefix("days-")
        person = members.get(personal_id)
        if person is None:
            errors.append(FieldError(name, "TRAINING_NOT_ON_ROSTER"))
            continue
        entries.append(
            actions.AttendanceInput(
                person=person,
                days=_int(value.strip(), f"days-{personal_id}", errors),
                absence_reason=request.POST.get(f"reason-{personal_id}", ""),
            )
        )

    def record() -> None:
        if entries:
            actions.training_attendance_record(session=found, entries=entries, acting_user=user)

    posted_write(request, errors, record, lambda _result: _("The attendance was recorded."))
    return redirect("training:session", session_id=found.pk)


@guarded(["GET"])
def shortfalls(request: HttpRequest) -> HttpResponse:
    """Members short of the year's training days, counting the sessions still planned."""
    user = request_user(request)
    year = _year(request)
    unit, units = _unit_code(request, user)
    fmt = export_format(request)
    rows = queries.shortfalls(user, year=year, unit_code=unit or None, channel=fmt or "web")
    if fmt is not None:
        return export_response(exports.shortfalls_table(rows, year=year), fmt)
    return render(
        request,
        "training/shortfalls.html",
        {"year": year, "unit": unit, "units": units, "rows": rows},
    )
