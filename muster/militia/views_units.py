"""The militia's structure as pages: a commune command's units (force, echelon, leader, members
serving) on its roster page, a unit set up (DQTV Art. 15 as amended: naval only in coastal and
island communes, standing only in key defence communes), and a unit's leader appointed from the
command's members. Each page
reads through the scoped queries (404 outside the jurisdiction), asks `accounts.permissions` and
writes through `militia.actions`; a refused form comes back on its own page, each error beside
its field."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput
from muster.core.views import guarded
from muster.militia import actions, queries, rules
from muster.militia.actions.common import command_flags
from muster.militia.forms import LeaderForm, UnitForm
from muster.militia.models import ForceKind, MilitiaMembership, MilitiaUnit
from muster.orgs.models import OrgUnit


@dataclass(frozen=True)
class UnitRow:
    unit: MilitiaUnit
    leader: str  # the holder's name on the day, empty when the post is vacant
    members: int


def unit_rows(command: OrgUnit, members: list[MilitiaMembership], day: date) -> list[UnitRow]:
    """The command's units on `day` with their leader and the members serving in each."""
    units = queries.command_units(command, day)
    leaders = queries.unit_leaders(units, day)
    counts = Counter(m.militia_unit_id for m in members if m.militia_unit_id)
    return [UnitRow(u, leaders.get(u.pk, ""), counts[u.pk]) for u in units]


def unit_form(command: OrgUnit, data: Any = None) -> UnitForm:
    """The set-up form, offering only the forces the commune's flags allow (Art. 15)."""
    today = timezone.localdate()
    flags = command_flags(command, today)
    form = UnitForm(data, initial={"valid_from": today}, prefix="unit")
    form.fields["force_kind"].choices = [  # type: ignore[attr-defined]
        (k, label) for k, label in ForceKind.choices if not rules.commune_force_problems(k, flags)
    ]
    return form


def leader_form(
    units: list[MilitiaUnit], members: list[MilitiaMembership], data: Any = None
) -> LeaderForm:
    """The appointment form: the command's units and its members serving today."""
    form = LeaderForm(data, initial={"valid_from": timezone.localdate()}, prefix="leader")
    form.fields["militia_unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]
    form.fields["membership"].choices = [  # type: ignore[attr-defined]
        (m.pk, f"{m.person.full_name} ({m.person.personal_id})") for m in members
    ]
    return form


def units_context(
    user: User, command: OrgUnit, members: list[MilitiaMembership], day: date, is_today: bool
) -> dict[str, Any]:
    """What the roster page shows of the units, and the forms when the user may use them."""
    rows = unit_rows(command, members, day)
    may = is_today and permissions.may(user, "militia.unit.manage", unit=command)
    return {
        "units": rows,
        "may_manage_units": may,
        "unit_form": unit_form(command) if may else None,
        "leader_form": leader_form([r.unit for r in rows], members) if may and rows else None,
    }


def _command(request: HttpRequest, code: str) -> tuple[User, OrgUnit]:
    user = request_user(request)
    command = queries.access_command(user, code)
    permissions.require(user, "militia.unit.manage", unit=command)
    return user, command


def _saved(command: OrgUnit, what: str) -> HttpResponse:
    return redirect(f"{reverse('militia:roster', args=[command.code])}?saved={what}#units")


@guarded(["GET", "POST"])
def unit_create(request: HttpRequest, code: str) -> HttpResponse:
    """Set up a militia unit under the command, with its leader's post."""
    user, command = _command(request, code)
    form = unit_form(command, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.militia_unit_create(
                command=command,
                name=data["name"],
                echelon=data["echelon"],
                force_kind=data["force_kind"],
                specialty=data["specialty"],
                village=data["village"],
                valid_from=data["valid_from"],
                acting_user=user,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return _saved(command, "unit")
    return render(
        request, "militia/unit_form.html", {"command": command, "form": form, "what": "unit"}
    )


@guarded(["GET", "POST"])
def unit_leader(request: HttpRequest, code: str) -> HttpResponse:
    """Appoint (or replace) a unit's leader from the command's serving members."""
    user, command = _command(request, code)
    today = timezone.localdate()
    roster = queries.militia_roster(user, code=command.code, day=today, channel="web")
    units = queries.command_units(command, today)
    form = leader_form(units, roster.members, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = next(u for u in units if u.pk == data["militia_unit"])
        membership = next(m for m in roster.members if m.pk == data["membership"])
        try:
            actions.militia_unit_leader_appoint(
                militia_unit=unit,
                membership=membership,
                valid_from=data["valid_from"],
                acting_user=user,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return _saved(command, "leader")
    return render(
        request, "militia/unit_form.html", {"command": command, "form": form, "what": "leader"}
    )
