"""Plan summary and the split-case review queue (provincial staff and above, scoped)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from muster.accounts.scope import scope_for
from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput, PermissionDenied
from muster.core.views import guarded
from muster.restructure import actions, queries
from muster.restructure.compute import plan_compute
from muster.restructure.models import SplitStatus
from muster.restructure.plans import plan_editable

QUEUE_SIZE = 100


@guarded(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    plans = list(queries.plan_list()) if queries.may_review(user) else []
    return render(
        request,
        "restructure/index.html",
        {"plans": plans, "may_review": queries.may_review(user)},
    )


@guarded(["GET"])
def plan_summary(request: HttpRequest, key: str) -> HttpResponse:
    user = request_user(request)
    plan = queries.access_plan(key)
    summary = None
    moves: list[Any] = []
    gaps: list[Any] = []
    if queries.may_review(user):
        summary = plan_compute(plan, record_cases=False)
        scope = scope_for(user)
        if scope.is_national:
            moves, gaps = summary.moves, summary.gaps
        else:
            moves = [
                m for m in summary.moves if m.new_commune_id and scope.allows(m.new_commune_id)
            ]
            gaps = [g for g in summary.gaps if g.commune_id and scope.allows(g.commune_id)]
    return render(
        request,
        "restructure/plan.html",
        {
            "plan": plan,
            "summary": summary,
            "moves": moves,
            "gaps": gaps,
            "national": scope_for(user).is_national,
            "editable": plan_editable(plan),
            "may_review": queries.may_review(user),
        },
    )


@guarded(["GET"])
def splits(request: HttpRequest, key: str) -> HttpResponse:
    user = request_user(request)
    plan = queries.access_plan(key)
    status = request.GET.get("status") or SplitStatus.OPEN
    if status not in SplitStatus.values:
        status = SplitStatus.OPEN
    cases = list(queries.split_case_list(user, plan, status=status)[:QUEUE_SIZE])
    rows = [(case, queries.split_successors(case)) for case in cases]
    return render(
        request,
        "restructure/splits.html",
        {
            "plan": plan,
            "rows": rows,
            "status": status,
            "statuses": SplitStatus.choices,
            "may_review": queries.may_review(user),
        },
    )


@guarded(["POST"])
def split_decide(request: HttpRequest, key: str, case_id: int) -> HttpResponse:
    user = request_user(request)
    plan = queries.access_plan(key)
    case = queries.access_split_case(user, plan, case_id)
    try:
        commune_id = int(request.POST.get("commune", ""))
    except ValueError:
        commune_id = 0
    try:
        actions.split_case_decide(case=case, commune_id=commune_id, acting_user=user)
    except PermissionDenied:
        return render(
            request,
            "web/forbidden.html",
            {"message": _("Your role does not allow this action.")},
            status=403,
        )
    except InvalidInput as exc:
        messages.error(request, "; ".join(e.message for e in exc.errors))
        return redirect("restructure:splits", key=plan.key)
    messages.success(request, _("Decision recorded."))
    return redirect("restructure:splits", key=plan.key)
