"""A commune command's reported absences and the disbanding of its units, as pages.

Absences (DQTV Art. 9(2)(b)): a member away from the commune for 3 months or more — for work,
study, treatment — reports it to the commune military command; the list shows them per
militia unit (`?unit=`, `?all=1` with those back and those who left the roster since;
`?export=xlsx|csv`), with a form recording one (`actions_duty.militia_absence_report`) and
each absence's page recording the return (`militia_absence_return`).

A militia unit is disbanded from its own page (`actions.militia_unit_close`): the members still
serving in it are listed with a link to their page, where they are moved to another unit or
taken off the roster, and the action refuses while any remain (MILITIA_UNIT_HAS_MEMBERS).

Each page reads through the scoped queries (404 outside the jurisdiction), asks
`accounts.permissions` and writes through the actions; a refused form comes back with each
error beside its field.
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
from muster.core.errors import InvalidInput, NotFound
from muster.core.exports import Column, Table, export_format, export_response
from muster.core.views import guarded
from muster.militia import actions, actions_duty, queries, queries_duty
from muster.militia.forms import AbsenceForm, DisbandForm, ReturnForm
from muster.militia.models import MilitiaAbsence, MilitiaMembership, MilitiaUnit
from muster.orgs.models import OrgUnit

BASIS = "Luật Dân quân tự vệ 2019, Điều 9 khoản 2 điểm b"


def _unit_asked(request: HttpRequest, units: list[MilitiaUnit]) -> MilitiaUnit | None:
    wanted = request.GET.get("unit", "")
    return next((u for u in units if str(u.pk) == wanted), None)


def absence_form(members: list[MilitiaMembership], data: Any = None) -> AbsenceForm:
    """The form recording an absence, offering the command's members serving today."""
    today = timezone.localdate()
    form = AbsenceForm(data, initial={"reported_on": today}, prefix="absence")
    form.fields["membership"].choices = [  # type: ignore[attr-defined]
        (m.pk, f"{m.person.full_name} ({m.person.personal_id})") for m in members
    ]
    return form


def _absences_table(command: OrgUnit, rows: list[MilitiaAbsence]) -> Table:
    return Table(
        title=f"{_('Reported absences')} — {command.name}",
        columns=[
            Column(_("Full name")),
            Column(_("Personal ID number")),
            Column(_("Militia unit")),
            Column(_("Reported on"), "date"),
            Column(_("Absent from"), "date"),
            Column(_("Expected back on"), "date"),
            Column(_("Back on"), "date"),
            Column(_("Reason")),
            Column(_("Legal basis")),
        ],
        rows=[
            (
                a.membership.person.full_name,
                a.membership.person.personal_id,
                a.membership.militia_unit.name if a.membership.militia_unit else "",
                a.reported_on,
                a.absent_from,
                a.absent_until,
                a.returned_on,
                a.reason,
                BASIS,
            )
            for a in rows
        ],
        filename=f"militia-absences-{command.code}",
    )


@guarded(["GET"])
def absences(request: HttpRequest, code: str) -> HttpResponse:
    """The command's reported absences, per militia unit (404 outside the jurisdiction)."""
    user = request_user(request)
    command = queries.access_command(user, code)
    today = timezone.localdate()
    units = queries.command_units(command, today)
    unit = _unit_asked(request, units)
    show_all = request.GET.get("all") == "1"
    fmt = export_format(request)
    rows = queries_duty.command_absences(
        user,
        command=command,
        unit_id=unit.pk if unit else None,
        current_only=not show_all,
        channel=fmt or "web",
    )
    if fmt is not None:
        return export_response(_absences_table(command, rows), fmt)
    may_record = permissions.may(user, "militia.leave", unit=command)
    members = (
        queries.militia_roster(user, code=command.code, day=today).members if may_record else []
    )
    return render(
        request,
        "militia/absences.html",
        {
            "command": command,
            "rows": rows,
            "units": units,
            "unit": unit,
            "show_all": show_all,
            "today": today,
            "may_record": may_record,
            "form": absence_form(members) if may_record else None,
            "saved": request.GET.get("saved", "")[:10],
        },
    )


def _command(request: HttpRequest, code: str, action: str) -> tuple[User, OrgUnit]:
    user = request_user(request)
    command = queries.access_command(user, code)
    permissions.require(user, action, unit=command)
    return user, command


def _back(command: OrgUnit, saved: str) -> HttpResponse:
    return redirect(f"{reverse('militia:absences', args=[command.code])}?saved={saved}")


@guarded(["GET", "POST"])
def absence_new(request: HttpRequest, code: str) -> HttpResponse:
    """Record a member's reported absence of 3 months or more."""
    user, command = _command(request, code, "militia.leave")
    members = queries.militia_roster(user, code=command.code).members
    form = absence_form(members, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = next(m for m in members if m.pk == data["membership"])
        try:
            actions_duty.militia_absence_report(
                membership=membership,
                reported_on=data["reported_on"],
                absent_from=data["absent_from"],
                absent_until=data["absent_until"],
                reason=data["reason"],
                acting_user=user,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return _back(command, "absence")
    return render(
        request, "militia/absence_form.html", {"command": command, "form": form, "absence": None}
    )


@guarded(["GET", "POST"])
def absence_return(request: HttpRequest, code: str, absence_id: int) -> HttpResponse:
    """One reported absence, and the member's return recorded."""
    user, command = _command(request, code, "militia.leave")
    absence = queries_duty.access_absence(user, command, absence_id)
    if absence.returned_on is not None:
        raise NotFound("MILITIA_ABSENCE_NOT_FOUND", {"id": absence_id})
    form = ReturnForm(
        request.POST or None, initial={"returned_on": timezone.localdate()}, prefix="return"
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions_duty.militia_absence_return(
                absence=absence, returned_on=form.cleaned_data["returned_on"], acting_user=user
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return _back(command, "return")
    return render(
        request,
        "militia/absence_form.html",
        {"command": command, "form": form, "absence": absence},
    )


@guarded(["GET", "POST"])
def unit_disband(request: HttpRequest, code: str, unit_id: int) -> HttpResponse:
    """Disband one of the command's units: its members serving today listed (each to be moved
    or taken off the roster first), then its last day."""
    user, command = _command(request, code, "militia.unit.manage")
    today = timezone.localdate()
    unit = next((u for u in queries.command_units(command, today) if u.pk == unit_id), None)
    if unit is None:
        raise NotFound("MILITIA_UNIT_NOT_FOUND", {"id": unit_id})
    form = DisbandForm(request.POST or None, initial={"valid_to": today}, prefix="disband")
    if request.method == "POST" and form.is_valid():
        try:
            actions.militia_unit_close(
                militia_unit=unit, valid_to=form.cleaned_data["valid_to"], acting_user=user
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return redirect(f"{reverse('militia:roster', args=[command.code])}?saved=disband#units")
    members = [
        m
        for m in queries.militia_roster(user, code=command.code, day=today).members
        if m.militia_unit_id == unit.pk
    ]
    return render(
        request,
        "militia/unit_disband.html",
        {"command": command, "unit": unit, "members": members, "form": form},
    )
