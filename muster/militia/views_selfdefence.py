"""Self-defence pages (DQTV Art. 2, 15, 17): the agencies' and enterprises' military commands
of the user's jurisdiction with their rosters against target, and a form to found one (checked
against Art. 17 by `militia.actions.self_defence_found`). Each command's roster is the militia
roster page (`/militia/<code>/`); the list exports as XLSX or CSV.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.views_support import request_user
from muster.core.errors import FieldError, InvalidInput, NotFound
from muster.core.exports import Column, Table, export_format, export_response
from muster.core.views import guarded
from muster.core.wording import error_text
from muster.militia import actions, queries
from muster.militia.models import OrganisationKind
from muster.worklists.queries import worklist_communes


@guarded(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    """The self-defence commands the user covers, with members against target."""
    user = request_user(request)
    rows = queries.self_defence_commands(user)
    if (fmt := export_format(request)) is not None:
        return export_response(_table(rows), fmt)
    return render(
        request,
        "militia/selfdefence.html",
        {
            "rows": [(r, getattr(r.command, "self_defence", None)) for r in rows],
            "communes": worklist_communes(user),
            "kinds": OrganisationKind.choices,
            "can_found": permissions.may(user, "militia.selfdefence.found"),
        },
    )


def _table(rows: list[queries.CommandCount]) -> Table:
    def fact(row: queries.CommandCount, name: str) -> object:
        record = getattr(row.command, "self_defence", None)
        return getattr(record, name) if record is not None else None

    return Table(
        title=_("Self-defence"),
        columns=[
            Column(_("Command")),
            Column(_("Code")),
            Column(_("Organisation")),
            Column(_("Operating since"), "date"),
            Column(_("Eligible workers"), "int"),
            Column(_("Founded on"), "date"),
            Column(_("Members"), "int"),
            Column(_("Target"), "int"),
        ],
        rows=[
            (
                r.command.name,
                r.command.code,
                fact(r, "organisation_name"),
                fact(r, "operating_since"),
                fact(r, "eligible_workers"),
                fact(r, "founded_on"),
                r.members,
                r.target,
            )
            for r in rows
        ],
        filename=f"self-defence-{timezone.localdate().isoformat()}",
    )


def _day(value: str, field: str, errors: list[FieldError]) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(FieldError(field, "NOT_A_DATE"))
        return timezone.localdate()


@guarded(["POST"])
def found(request: HttpRequest) -> HttpResponse:
    """Found an agency's or enterprise's command in one of the user's communes (404 outside)."""
    user = request_user(request)
    communes = {c.code: c for c in worklist_communes(user)}
    commune = communes.get(request.POST.get("commune", ""))
    if commune is None:
        raise NotFound("COMMUNE_NOT_FOUND", {"code": request.POST.get("commune", "")})
    errors: list[FieldError] = []
    operating_since = _day(request.POST.get("operating_since", ""), "operating_since", errors)
    founded_on = _day(request.POST.get("founded_on", ""), "founded_on", errors)
    workers_text = request.POST.get("eligible_workers", "").strip()
    if not workers_text.isdigit():
        errors.append(FieldError("eligible_workers", "MIN_VALUE", {"min": 1}))
    parents = queries.self_defence_parents(commune, timezone.localdate())
    parent = parents.get(request.POST.get("under", "province")) or parents.get("commune")
    back = reverse("militia:self_defence")
    try:
        if errors:
            raise InvalidInput(errors)
        if parent is None:
            raise InvalidInput.single("under", "SELF_DEFENCE_PARENT", {"code": commune.code})
        record = actions.self_defence_found(
            code=queries.self_defence_next_code(commune),
            organisation_name=request.POST.get("organisation_name", ""),
            organisation_kind=request.POST.get("organisation_kind", ""),
            parent=parent,
            commune=commune,
            operating_since=operating_since,
            eligible_workers=int(workers_text),
            founded_on=founded_on,
            has_vessels=request.POST.get("has_vessels") == "yes",
            acting_user=user,
        )
    except InvalidInput as exc:
        messages.error(request, error_text(exc))
        return redirect(back)
    messages.success(request, _("The military command was founded."))
    return redirect("militia:roster", code=record.unit.code)
