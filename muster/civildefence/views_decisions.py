"""Level decisions and the commune civil-defence command as pages: the lists (scoped, also as
XLSX or CSV with `?export=`), a decision recorded, corrected or lifted (CD Law Art. 7, 20 as
amended in 2025; Decision 18/2021/QĐ-TTg), a commune's civil-defence command set up,
corrected or dissolved (Decree 200/2025 Art. 8: the commune chairman as head, the commune
military commander among the deputies). Reads through `civildefence.queries_register` (404
outside the jurisdiction), permissions from `accounts.permissions`, writes through
`civildefence.actions`; a refused form comes back with each error beside its field.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.views_support import request_user
from muster.civildefence import actions, exports
from muster.civildefence import queries_register as q
from muster.civildefence.forms import (
    CommandEditForm,
    CommandForm,
    DecisionForm,
    LiftForm,
    RetireForm,
)
from muster.civildefence.models import CivilDefenceCommand, LevelDecision
from muster.core.errors import InvalidInput
from muster.core.exports import export_format, export_response
from muster.core.views import guarded
from muster.orgs.models import OrgKind

RECORD = "civildefence.level.record"
EDIT = "civildefence.register.edit"


# --- level decisions -----------------------------------------------------------------------


@guarded(["GET"])
def decisions(request: HttpRequest) -> HttpResponse:
    """Level decisions over the jurisdiction's communes and the areas above them."""
    user = request_user(request)
    day = timezone.localdate()
    found = list(q.decisions_visible(user, day)[:2000])
    if (fmt := export_format(request)) is not None:
        return export_response(exports.decisions_table(found), fmt)
    return render(
        request,
        "civildefence/decisions.html",
        {"decisions": found, "today": day, "can_record": permissions.may(user, RECORD)},
    )


def _decision_form(user: User, day: date, data: Any, initial: dict[str, Any]) -> DecisionForm:
    form = DecisionForm(data, initial=initial)
    form.fields["area"].choices = [  # type: ignore[attr-defined]
        (a.code, a.name) for a in q.decision_areas(user, day)
    ]
    return form


def _decision_given(
    user: User, day: date, form: DecisionForm, decision: LevelDecision | None
) -> actions.DecisionInput:
    data = form.cleaned_data
    area = next(a for a in q.decision_areas(user, day) if a.code == data["area"])
    return actions.DecisionInput(
        kind=data["kind"],
        level=data["level"],
        area=area,
        issuer=data["issuer"],
        legal_basis=data["legal_basis"],
        starts_on=data["starts_on"],
        ends_on=data["ends_on"],
        number=data["number"],
        hazard_kind=data["hazard_kind"],
        hazard=decision.hazard if decision else None,
    )


def _decision_page(
    request: HttpRequest, form: DecisionForm, decision: LevelDecision | None, lift: Any = None
) -> HttpResponse:
    return render(
        request,
        "civildefence/decision_form.html",
        {"form": form, "decision": decision, "lift_form": lift},
    )


@guarded(["GET", "POST"])
def decision_new(request: HttpRequest) -> HttpResponse:
    """Record a civil-defence level declared or a disaster risk level issued."""
    user = request_user(request)
    permissions.require(user, RECORD)
    day = timezone.localdate()
    form = _decision_form(user, day, request.POST or None, {"starts_on": day})
    if request.method == "POST" and form.is_valid():
        try:
            actions.level_decide(given=_decision_given(user, day, form, None), acting_user=user)
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("civildefence:decisions")
    return _decision_page(request, form, None)


def _decision_initial(d: LevelDecision) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "level": d.level,
        "hazard_kind": d.hazard_kind,
        "area": d.area.code,
        "issuer": d.issuer,
        "number": d.number,
        "legal_basis": d.legal_basis,
        "starts_on": d.starts_on,
        "ends_on": d.ends_on,
    }


@guarded(["GET", "POST"])
def decision_edit(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Correct a recorded decision; the page also lifts it."""
    user = request_user(request)
    day = timezone.localdate()
    decision = q.access_decision(user, decision_id, day)
    permissions.require(user, RECORD, area=decision.area)
    form = _decision_form(user, day, request.POST or None, _decision_initial(decision))
    if request.method == "POST" and form.is_valid():
        try:
            actions.level_decision_update(
                decision=decision,
                given=_decision_given(user, day, form, decision),
                acting_user=user,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            messages.success(request, _("The decision was corrected."))
            return redirect("civildefence:decisions")
    lift = LiftForm(initial={"ends_on": decision.ends_on or day}, prefix="lift")
    return _decision_page(request, form, decision, lift)


@guarded(["POST"])
def decision_lift(request: HttpRequest, decision_id: int) -> HttpResponse:
    """Lift a decision: its last day in force."""
    user = request_user(request)
    day = timezone.localdate()
    decision = q.access_decision(user, decision_id, day)
    permissions.require(user, RECORD, area=decision.area)
    lift = LiftForm(request.POST, prefix="lift")
    if lift.is_valid():
        try:
            actions.level_decision_end(
                decision=decision, ends_on=lift.cleaned_data["ends_on"], acting_user=user
            )
        except InvalidInput as exc:
            lift.add_action_errors(exc.errors)
        else:
            messages.success(request, _("The decision was lifted."))
            return redirect("civildefence:decisions")
    form = _decision_form(user, day, None, _decision_initial(decision))
    return _decision_page(request, form, decision, lift)


# --- the commune civil-defence command -------------------------------------------------------


@guarded(["GET"])
def commands(request: HttpRequest) -> HttpResponse:
    """The commune civil-defence commands in office (`?all=1`: every one on record)."""
    user = request_user(request)
    day = timezone.localdate()
    every = request.GET.get("all") == "1"
    found = q.commands_visible(user, day, current=not every)
    if (fmt := export_format(request)) is not None:
        return export_response(exports.commands_table(found), fmt)
    return render(
        request,
        "civildefence/commands.html",
        {"commands": found, "every": every, "today": day, "can_edit": permissions.may(user, EDIT)},
    )


def _command_units(user: User, day: date) -> list[Any]:
    return q.register_units(user, day, kinds=(OrgKind.COMMUNE_COMMAND,))


def _command_given(form: CommandForm, unit: Any, valid_from: date | None) -> actions.CommandInput:
    data = form.cleaned_data
    return actions.CommandInput(
        unit=unit,
        name=data["name"],
        head_name=data["head_name"],
        head_title=data["head_title"],
        valid_from=valid_from or data["valid_from"],
        deputy_name=data["deputy_name"],
        deputy_title=data["deputy_title"],
        decision=data["decision"],
    )


def _command_page(
    request: HttpRequest,
    form: CommandForm,
    command: CivilDefenceCommand | None,
    end: RetireForm | None = None,
) -> HttpResponse:
    return render(
        request,
        "civildefence/command_form.html",
        {"form": form, "command": command, "end_form": end},
    )


@guarded(["GET", "POST"])
def command_new(request: HttpRequest) -> HttpResponse:
    """Set up a commune's civil-defence command from a day (the one before it ends the day
    before)."""
    user = request_user(request)
    permissions.require(user, EDIT)
    day = timezone.localdate()
    units = _command_units(user, day)
    initial = {
        "valid_from": day,
        "head_title": _("Chairman of the commune People's Committee"),
        "deputy_title": _("Commander of the commune military command"),
    }
    form = CommandForm(request.POST or None, initial=initial)
    form.fields["unit"].choices = [(u.code, u.name) for u in units]  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.code == form.cleaned_data["unit"])
        try:
            actions.cd_command_set(given=_command_given(form, unit, None), acting_user=user)
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            messages.success(request, _("The civil-defence command was set up."))
            return redirect("civildefence:commands")
    return _command_page(request, form, None)


def _command_initial(c: CivilDefenceCommand) -> dict[str, Any]:
    return {
        "name": c.name,
        "head_name": c.head_name,
        "head_title": c.head_title,
        "deputy_name": c.deputy_name,
        "deputy_title": c.deputy_title,
        "decision": c.decision,
    }


def _end_form(data: Any, command: CivilDefenceCommand, day: date) -> RetireForm:
    form = RetireForm(data, initial={"last_day": command.valid_to or day}, prefix="end")
    form.fields["last_day"].label = _("Last day in office")
    return form


@guarded(["GET", "POST"])
def command_edit(request: HttpRequest, command_id: int) -> HttpResponse:
    """Correct a command's record; the page also dissolves it."""
    user = request_user(request)
    day = timezone.localdate()
    command = q.access_command(user, command_id, day)
    permissions.require(user, EDIT, unit=command.unit)
    form = CommandEditForm(request.POST or None, initial=_command_initial(command))
    if request.method == "POST" and form.is_valid():
        try:
            actions.cd_command_update(
                command=command,
                given=_command_given(form, command.unit, command.valid_from or day),
                acting_user=user,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            messages.success(request, _("The civil-defence command was corrected."))
            return redirect("civildefence:commands")
    return _command_page(request, form, command, _end_form(None, command, day))


@guarded(["POST"])
def command_end(request: HttpRequest, command_id: int) -> HttpResponse:
    """Dissolve a command after its last day in office (kept on record)."""
    user = request_user(request)
    day = timezone.localdate()
    command = q.access_command(user, command_id, day)
    permissions.require(user, EDIT, unit=command.unit)
    end = _end_form(request.POST, command, day)
    if end.is_valid():
        try:
            actions.cd_command_end(
                command=command, last_day=end.cleaned_data["last_day"], acting_user=user
            )
        except InvalidInput as exc:
            end.add_action_errors(exc.errors)
        else:
            messages.success(request, _("The civil-defence command was dissolved."))
            return redirect("civildefence:commands")
    form = CommandEditForm(None, initial=_command_initial(command))
    return _command_page(request, form, command, end)
