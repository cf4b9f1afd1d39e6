"""The what-if page of a province's assignment (LLDBĐV Art. 16-17): per unit the staffing rate,
the exact-match rate and the category-1 share, and who moves, of the saved proposal; staff
compute a proposal ("Compute proposal": solved and saved as a draft), pin a
person on a post or keep one out, release a pin, and another person approves — the two-person
rule of call-up order batches — which commits the draft as assignments from its day.
Exported as XLSX or CSV (`?export=`: the per-unit figures).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from muster.accounts.permissions import may
from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput, NotFound
from muster.core.exports import export_format, export_response
from muster.core.formats import number_text
from muster.core.views import guarded
from muster.reserve import unit_actions, unit_exports, unit_queries, whatif
from muster.reserve.models_units import AssignmentProposal
from muster.reserve.views_units import day_asked, refused


@guarded(["GET"])
def page(request: HttpRequest, code: str) -> HttpResponse:
    """The saved proposal (the draft); with none, the form that computes one. A visit never
    solves: solving a whole province is heavy, so only the POST of `propose` runs it."""
    user = request_user(request)
    day, _is_today = day_asked(request, future=True)
    province = unit_queries.access_province(user, code, day=timezone.localdate())
    fmt = export_format(request)
    found = whatif.what_if(user, province, day, channel=fmt or "web")
    if fmt is not None:
        return export_response(unit_exports.whatif_table(found), fmt)
    draft = found.draft
    context = {
        "w": found,
        "may_propose": may(user, "reserve.assignment.propose", unit=province.command),
        "may_approve": (
            draft is not None
            and may(user, "reserve.assignment.approve", unit=province.command)
            and draft.created_by_id != user.pk
        ),
        "own_draft": draft is not None and draft.created_by_id == user.pk,
    }
    return render(request, "reserve/units/whatif.html", context)


def _back(code: str) -> HttpResponse:
    return redirect("reserve_units:whatif", code)


def _draft(province: unit_queries.Province) -> AssignmentProposal:
    draft = unit_queries.draft_of(province)
    if draft is None:
        raise NotFound("RESERVE_NO_DRAFT", {"code": province.area.code})
    return draft


@guarded(["POST"])
def propose(request: HttpRequest, code: str) -> HttpResponse:
    """Store the solver's proposal on the day as the province's draft."""
    user = request_user(request)
    day, _is_today = day_asked(request, future=True)
    province = unit_queries.access_province(user, code, day=timezone.localdate())
    try:
        unit_actions.proposal_draft(province=province, day=day, acting_user=user)
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The proposal was saved; another person must approve it."))
    return _back(code)


@guarded(["POST"])
def pin(request: HttpRequest, code: str) -> HttpResponse:
    """Pin a person on a post of the draft, or (no post) keep the person out of it."""
    user = request_user(request)
    province = unit_queries.access_province(user, code, day=timezone.localdate())
    draft = _draft(province)
    person = unit_queries.access_reservist(user, request.POST.get("personal_id", ""), day=draft.day)
    post = unit_queries.access_post(province, request.POST.get("post", ""))
    try:
        unit_actions.proposal_pin(
            province=province, proposal=draft, person=person, post=post, acting_user=user
        )
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The proposal was computed again around the pin."))
    return _back(code)


@guarded(["POST"])
def release(request: HttpRequest, code: str) -> HttpResponse:
    """Take back a pin or an exclusion."""
    user = request_user(request)
    province = unit_queries.access_province(user, code, day=timezone.localdate())
    draft = _draft(province)
    person = unit_queries.access_reservist(user, request.POST.get("personal_id", ""), day=draft.day)
    try:
        unit_actions.proposal_release(
            province=province, proposal=draft, person=person, acting_user=user
        )
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The pin was released."))
    return _back(code)


@guarded(["POST"])
def approve(request: HttpRequest, code: str) -> HttpResponse:
    """Approve the draft: its assignments take effect from its day."""
    user = request_user(request)
    province = unit_queries.access_province(user, code, day=timezone.localdate())
    draft = _draft(province)
    try:
        counts = unit_actions.proposal_approve(province=province, proposal=draft, acting_user=user)
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(
            request,
            _("The assignment took effect: %(opened)s assigned or moved, %(closed)s ended.")
            % {"opened": number_text(counts["opened"]), "closed": number_text(counts["closed"])},
        )
    return _back(code)


@guarded(["POST"])
def discard(request: HttpRequest, code: str) -> HttpResponse:
    """Drop the draft."""
    user = request_user(request)
    province = unit_queries.access_province(user, code, day=timezone.localdate())
    draft = _draft(province)
    try:
        unit_actions.proposal_discard(province=province, proposal=draft, acting_user=user)
    except InvalidInput as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The proposal was discarded."))
    return _back(code)
