"""The militia's forms as pages: a member joins a command's roster, a member's term is
extended, a member leaves with the law's code or moves to another unit, a member's deferral or
exemption from militia duty is recorded, a command's target is set. Each page reads through the scoped queries (404 outside the jurisdiction), asks
`accounts.permissions` (the one 403 page for a role that may not) and writes through
`militia.actions`; a saved change goes back to the roster, a refused one shows the form with
each error beside its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput, NotFound
from muster.core.forms import ActionForm
from muster.core.views import guarded
from muster.militia import actions, queries, rules
from muster.militia.forms import (
    DutyForm,
    ExtendForm,
    JoinForm,
    LeaveForm,
    TargetForm,
    TransferForm,
)
from muster.militia.models import MilitiaMembership, MilitiaUnit
from muster.orgs.models import OrgUnit
from muster.people.queries import access_person


def _decision(data: dict[str, Any]) -> actions.Decision:
    return actions.Decision(data["decision_number"], data["decided_on"], data["decided_by"])


def _saved(command: OrgUnit, what: str) -> HttpResponse:
    return redirect(f"{reverse('militia:roster', args=[command.code])}?saved={what}")


def _unit_choices(units: list[MilitiaUnit]) -> list[tuple[Any, str]]:
    return [("", "—"), *((u.pk, u.name) for u in units)]


def _unit(units: list[MilitiaUnit], pk: int | None) -> MilitiaUnit | None:
    return next((u for u in units if u.pk == pk), None)


def _command(request: HttpRequest, code: str, action: str) -> tuple[User, OrgUnit]:
    user = request_user(request)
    command = queries.access_command(user, code)
    permissions.require(user, action, unit=command)
    return user, command


@guarded(["GET", "POST"])
def join(request: HttpRequest, code: str) -> HttpResponse:
    """Put a person of the commune on the roster, on the chairman's selection decision."""
    user, command = _command(request, code, "militia.join")
    today = timezone.localdate()
    units = queries.command_units(command, today)
    form = JoinForm(request.POST or None, initial={"joined_on": today, "decided_on": today})
    form.fields["militia_unit"].choices = _unit_choices(units)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = access_person(user, data["personal_id"], channel="web")
        except NotFound as exc:
            form.add_error("personal_id", exc.message)
        else:
            try:
                actions.militia_join(
                    person=person,
                    unit=command,
                    joined_on=data["joined_on"],
                    force_kind=data["force_kind"],
                    specialty=data["specialty"],
                    volunteer=data["volunteer"],
                    militia_unit=_unit(units, data["militia_unit"]),
                    decision=_decision(data),
                    acting_user=user,
                )
            except InvalidInput as exc:
                form.add_action_errors(exc.errors)
            else:
                return _saved(command, "join")
    return render(request, "militia/join.html", {"command": command, "form": form})


def member_page(
    request: HttpRequest, user: User, membership: MilitiaMembership, **forms: Any
) -> HttpResponse:
    today = timezone.localdate()
    units = queries.command_units(membership.unit, today)
    transfer = forms.get("transfer") or TransferForm(
        initial={"on": today, "decided_on": today}, prefix="transfer"
    )
    transfer.fields["militia_unit"].choices = _unit_choices(units)  # type: ignore[union-attr]
    unit = membership.unit
    return render(
        request,
        "militia/member.html",
        {
            "m": membership,
            "command": unit,
            "status": queries.member_status(membership, today),
            "leave_form": forms.get("leave")
            or LeaveForm(initial={"left_on": today, "decided_on": today}, prefix="leave"),
            "extend_form": forms.get("extend")
            or ExtendForm(initial={"decided_on": today}, prefix="extend"),
            "transfer_form": transfer,
            "duty_form": forms.get("duty")
            or DutyForm(initial={"kind": rules.DEFERRAL, "decided_on": today}, prefix="duty"),
            "may_leave": permissions.may(user, "militia.leave", unit=unit),
            "may_extend": permissions.may(user, "militia.term.extend", unit=unit),
            "may_transfer": permissions.may(user, "militia.transfer", unit=unit) and bool(units),
            "may_decide": permissions.may(user, "militia.duty.decide", unit=unit),
        },
    )


@guarded(["GET"])
def member(request: HttpRequest, code: str, membership_id: int) -> HttpResponse:
    """One member of the roster, with the forms that change the membership."""
    user = request_user(request)
    return member_page(request, user, queries.access_membership(user, code, membership_id))


def _member_change(
    request: HttpRequest,
    user: User,
    membership: MilitiaMembership,
    form: ActionForm,
    change: Callable[[dict[str, Any]], object],
) -> HttpResponse:
    """A member form posted: its change made through the action, then back to the roster; else
    the member page again with the form and its errors (the form's prefix names it)."""
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return _saved(membership.unit, form.prefix or "")
    return member_page(request, user, membership, **{form.prefix or "": form})


@guarded(["POST"])
def member_leave(request: HttpRequest, code: str, membership_id: int) -> HttpResponse:
    user = request_user(request)
    membership = queries.access_membership(user, code, membership_id)
    return _member_change(
        request,
        user,
        membership,
        LeaveForm(request.POST, prefix="leave"),
        lambda data: actions.militia_leave(
            membership=membership,
            left_on=data["left_on"],
            reason=data["reason"],
            ground_code=data["ground_code"],
            note=data["note"],
            decision=_decision(data),
            acting_user=user,
        ),
    )


@guarded(["POST"])
def member_extend(request: HttpRequest, code: str, membership_id: int) -> HttpResponse:
    user = request_user(request)
    membership = queries.access_membership(user, code, membership_id)
    return _member_change(
        request,
        user,
        membership,
        ExtendForm(request.POST, prefix="extend"),
        lambda data: actions.militia_term_extend(
            membership=membership,
            until=data["until"],
            decision=_decision(data),
            acting_user=user,
        ),
    )


@guarded(["POST"])
def member_transfer(request: HttpRequest, code: str, membership_id: int) -> HttpResponse:
    user = request_user(request)
    membership = queries.access_membership(user, code, membership_id)
    units = queries.command_units(membership.unit, timezone.localdate())
    form = TransferForm(request.POST, prefix="transfer")
    form.fields["militia_unit"].choices = _unit_choices(units)  # type: ignore[attr-defined]
    return _member_change(
        request,
        user,
        membership,
        form,
        lambda data: actions.militia_transfer(
            membership=membership,
            on=data["on"],
            militia_unit=_unit(units, data["militia_unit"]),
            decision=_decision(data),
            acting_user=user,
        ),
    )


@guarded(["POST"])
def member_duty(request: HttpRequest, code: str, membership_id: int) -> HttpResponse:
    """Record the chairman's deferral or exemption of a member from militia duty (§0.9 codes);
    the member leaves the roster on the decision day with the ground (DQTV Art. 11(4))."""
    user = request_user(request)
    membership = queries.access_membership(user, code, membership_id)
    return _member_change(
        request,
        user,
        membership,
        DutyForm(request.POST, prefix="duty"),
        lambda data: actions.militia_duty_decide(
            person=membership.person,
            command=membership.unit,
            kind=data["kind"],
            ground_code=data["ground_code"],
            valid_until=data["valid_until"],
            decision=_decision(data),
            acting_user=user,
        ),
    )


@guarded(["GET", "POST"])
def target(request: HttpRequest, code: str) -> HttpResponse:
    """The size the command's militia should have from a day."""
    user, command = _command(request, code, "militia.target.set")
    form = TargetForm(request.POST or None, initial={"valid_from": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.militia_target_set(
                unit=command,
                size=data["size"],
                valid_from=data["valid_from"],
                basis=data["basis"],
                acting_user=user,
            )
        except InvalidInput as exc:
            form.add_action_errors(exc.errors)
        else:
            return _saved(command, "target")
    return render(request, "militia/target.html", {"command": command, "form": form})
