"""Positions pages: the commands of a user's jurisdiction with their positions filled and
qualified, and one command's positions with holders, qualification gaps and history, where
a provincial user appoints and dismisses (`cadres.actions` → `orgs.actions`, audited).

Pages extend the web app's base template but import nothing from `muster.web` (it sits above
this app), like the militia's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.views_support import request_user
from muster.cadres import actions, exports, queries
from muster.cadres.forms import AppointForm, DesignationsForm, DismissForm
from muster.cadres.positions import NOT_CADRE, PositionFigures, PositionState, position_figures
from muster.core.errors import InvalidInput, NotFound
from muster.core.exports import export_format, export_response
from muster.core.labels import label
from muster.core.views import guarded, page_number
from muster.core.wording import error_text
from muster.orgs.models import Appointment, OrgKind, OrgUnit, Position
from muster.people.models import Person
from muster.people.queries import access_person

EARLIEST = date(2000, 1, 1)
PAGE_SIZE = 100


def as_of(request: HttpRequest) -> tuple[date, bool]:
    """The day asked about (`as_of`, from 2000 to today) and whether it is today."""
    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return today, True
    day = min(max(day, EARLIEST), today)
    return day, day == today


@dataclass(frozen=True)
class CommandRow:
    unit: OrgUnit
    figures: PositionFigures


@guarded(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The commands of the user's jurisdiction: positions, filled and qualified on the day."""
    day, is_today = as_of(request)
    units = queries.commands_visible(request_user(request), day)
    kind = request.GET.get("kind", "")
    if kind:
        units = [u for u in units if u.kind == kind]
    number = min(page_number(request), max(1, -(-len(units) // PAGE_SIZE)))
    fmt = export_format(request)
    shown = units if fmt is not None else units[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
    figures = position_figures([u.pk for u in shown], day)
    rows = [CommandRow(u, figures[u.pk]) for u in shown]
    if fmt is not None:
        return export_response(exports.commands_table(rows, day=day), fmt)
    query = {k: v for k, v in (("as_of", "" if is_today else day.isoformat()), ("kind", kind)) if v}
    return render(
        request,
        "cadres/index.html",
        {
            "day": day,
            "is_today": is_today,
            "rows": rows,
            "kind": kind,
            "kinds": sorted({u.kind for u in units}),
            "page": {
                "number": number,
                "has_previous": number > 1,
                "has_next": number * PAGE_SIZE < len(units),
            },
            "page_query": urlencode(query),
        },
    )


@dataclass(frozen=True)
class PositionRow:
    state: PositionState
    history: list[Appointment]
    person: Person | None  # the register's record of the holder, when the ID names one


@guarded(["GET"])
def command(request: HttpRequest, code: str) -> HttpResponse:
    """One command's positions on the day: holder, since, qualification gaps, history; the
    appoint and dismiss forms for a user who may."""
    day, is_today = as_of(request)
    user = request_user(request)
    fmt = export_format(request)
    found = queries.command_positions(user, code, day=day, channel=fmt or "web")
    rows = [
        PositionRow(
            s,
            found.history.get(s.position.pk, []),
            found.persons.get(s.appointment.holder_personal_id) if s.appointment else None,
        )
        for s in found.states
    ]
    if fmt is not None:
        return export_response(exports.positions_table(found), fmt)
    designations = queries.command_designations(found.unit, day)
    may_appoint = permissions.may(user, "orgs.appointment.make", unit=found.unit)
    may_designate = found.unit.kind == OrgKind.COMMUNE_COMMAND and permissions.may(
        user, "orgs.designation.set", unit=found.unit
    )
    may_dismiss = permissions.may(user, "orgs.appointment.end", unit=found.unit)
    return render(
        request,
        "cadres/command.html",
        {
            "day": day,
            "is_today": is_today,
            "unit": found.unit,
            "rows": rows,
            "may_appoint": may_appoint and is_today,
            "may_dismiss": may_dismiss and is_today,
            "appoint_form": AppointForm(initial={"valid_from": timezone.localdate()}),
            "dismiss_form": DismissForm(initial={"valid_to": timezone.localdate()}),
            "designations": designations,
            "may_designate": may_designate and is_today,
            "designations_form": DesignationsForm(
                initial={"designations": designations, "valid_from": timezone.localdate()}
            ),
        },
    )


def _back(unit: OrgUnit) -> HttpResponse:
    return redirect(reverse("cadres:command", args=[unit.code]))


def _refused(request: HttpRequest, exc: InvalidInput) -> None:
    for error in exc.errors:
        messages.error(request, error_text(error))


@guarded(["POST"])
def appoint(request: HttpRequest, code: str) -> HttpResponse:
    """Appoint a person (by personal ID) to one of the command's positions; the qualification
    gaps of the new holder come back as a warning naming each rule."""
    user = request_user(request)
    today = timezone.localdate()
    unit = queries.access_command(user, code, today)  # out of scope: 404 before the role check
    permissions.require(user, "orgs.appointment.make", unit=unit)
    form = AppointForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back(unit)
    position = (
        Position.objects.filter(org_unit=unit, pk=form.cleaned_data["position"])
        .exclude(kind__in=NOT_CADRE)
        .first()
    )
    if position is None:
        raise NotFound("POSITION_NOT_FOUND", {})
    try:
        person = access_person(user, form.cleaned_data["personal_id"])
    except NotFound as exc:
        messages.error(request, error_text(exc))
        return _back(unit)
    try:
        appointed = actions.position_appoint(
            position=position,
            person=person,
            valid_from=form.cleaned_data["valid_from"],
            rank=form.cleaned_data["rank"],
            acting_user=user,
        )
    except InvalidInput as exc:
        _refused(request, exc)
        return _back(unit)
    messages.success(
        request,
        _("%(name)s was appointed %(title)s.")
        % {"name": person.full_name, "title": position.title},
    )
    if appointed.gaps:
        messages.warning(
            request,
            _("Qualification gaps: %(gaps)s.")
            % {"gaps": "; ".join(label("cadre_rule", g) for g in appointed.gaps)},
        )
    return _back(unit)


@guarded(["POST"])
def dismiss(request: HttpRequest, code: str) -> HttpResponse:
    """End the current holder's appointment on the day given (their last day)."""
    user = request_user(request)
    today = timezone.localdate()
    unit = queries.access_command(user, code, today)
    permissions.require(user, "orgs.appointment.end", unit=unit)
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the last day as day, month and year."))
        return _back(unit)
    appointment = (
        Appointment.objects.select_related("position__org_unit")
        .filter(position__org_unit=unit, pk=form.cleaned_data["appointment"])
        .first()
    )
    if appointment is None:
        raise NotFound("APPOINTMENT_NOT_FOUND", {})
    try:
        actions.position_dismiss(
            appointment=appointment, valid_to=form.cleaned_data["valid_to"], acting_user=user
        )
    except InvalidInput as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _("%(name)s no longer holds %(title)s.")
            % {"name": appointment.holder_name, "title": appointment.position.title},
        )
    return _back(unit)


@guarded(["POST"])
def designate(request: HttpRequest, code: str) -> HttpResponse:
    """Set a commune command's designations (type-1, border, coastal, island) from a day:
    they decide how many deputy commanders it may have (Decree 72/2020 Art. 4)."""
    user = request_user(request)
    unit = queries.access_command(user, code, timezone.localdate())
    permissions.require(user, "orgs.designation.set", unit=unit)
    form = DesignationsForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the first day as day, month and year."))
        return _back(unit)
    try:
        actions.commune_designations_set(
            org_unit=unit,
            designations=set(form.cleaned_data["designations"]),
            valid_from=form.cleaned_data["valid_from"],
            acting_user=user,
        )
    except InvalidInput as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("The commune's designations were saved."))
    return _back(unit)
