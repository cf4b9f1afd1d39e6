"""Plan summary and the split-case review queue (provincial staff and above, scoped)."""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.accounts.views_support import request_user
from muster.core.errors import InvalidInput
from muster.core.views import guarded, page_number
from muster.core.wording import error_text
from muster.restructure import actions, queries
from muster.restructure.compute import PlanSummary, stored_summary
from muster.restructure.labels import GAP_KINDS
from muster.restructure.models import PlanStatus, SplitStatus
from muster.restructure.plans import plan_editable

QUEUE_SIZE = 100
LIST_PAGE = 100  # moves (or gaps of one kind) per page
GAPS_PER_KIND = 20


@guarded(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    plans = queries.plan_list(user) if queries.may_review(user) else []
    return render(
        request,
        "restructure/index.html",
        {"plans": plans, "may_review": queries.may_review(user)},
    )


@guarded(["GET"])
def plan_summary(request: HttpRequest, key: str) -> HttpResponse:
    """The plan's last computed summary: coverage, moves a page at a time, gaps by kind (one
    kind listed whole with `?gaps=KIND`); nothing is computed on a view."""
    user = request_user(request)
    plan = queries.access_plan(user, key)
    reviewer = queries.may_review(user)
    summary = stored_summary(plan) if reviewer else None
    place = queries.plan_place(plan)
    context: dict[str, Any] = {
        "plan": plan,
        "summary": summary,
        "national": scope_for(user).is_national,
        "editable": plan_editable(plan)
        and permissions.may(user, "restructure.plan.edit", unit=place),
        "may_review": reviewer,
        "may_compute": plan.status != PlanStatus.APPLIED
        and permissions.may(user, "restructure.plan.compute", unit=place),
        "split_open": queries.split_open_count(user, plan),
    }
    if summary is not None:
        context.update(_summary_lists(request, user, summary))
    return render(request, "restructure/plan.html", context)


def _summary_lists(request: HttpRequest, user: User, summary: PlanSummary) -> dict[str, Any]:
    """Moves and gaps the user may see (national: all; else those into their communes)."""
    scope = scope_for(user)
    moves, gaps = summary.moves, summary.gaps
    if not scope.is_national:
        moves = [m for m in moves if m.new_commune_id and scope.allows(m.new_commune_id)]
        gaps = [g for g in gaps if g.commune_id and scope.allows(g.commune_id)]
    kinds = Counter(g.kind for g in gaps)
    kind = request.GET.get("gaps", "")
    number = page_number(request)
    start = (number - 1) * LIST_PAGE
    if kind in kinds:
        chosen = [g for g in gaps if g.kind == kind]
        shown_gaps, listed = chosen[start : start + LIST_PAGE], len(chosen)
    else:
        kind, listed = "", len(moves)
        seen: Counter[str] = Counter()
        shown_gaps = []
        for gap in gaps:  # the first few of every kind
            seen[gap.kind] += 1
            if seen[gap.kind] <= GAPS_PER_KIND:
                shown_gaps.append(gap)
    return {
        "moves": [] if kind else moves[start : start + LIST_PAGE],
        "moves_total": len(moves),
        "gaps": shown_gaps,
        "gap_kinds": [(k, GAP_KINDS.get(k, k), n) for k, n in sorted(kinds.items())],
        "gap_kind": kind,
        "gaps_total": len(gaps),
        "page": {
            "number": number,
            "has_previous": number > 1,
            "has_next": start + LIST_PAGE < listed,
        },
        "page_query": urlencode({"gaps": kind} if kind else {}),
    }


@guarded(["POST"])
def plan_compute_now(request: HttpRequest, key: str) -> HttpResponse:
    """Compute the plan again (split cases and the stored summary); reviewers whose
    jurisdiction covers the plan only."""
    user = request_user(request)
    plan = queries.access_plan(user, key)
    try:
        actions.plan_recompute(plan=plan, acting_user=user)
    except InvalidInput:
        messages.error(request, _("An applied plan is not computed again."))
    else:
        messages.success(request, _("Plan computed."))
    return redirect("restructure:plan", key=plan.key)


@guarded(["GET"])
def splits(request: HttpRequest, key: str) -> HttpResponse:
    user = request_user(request)
    plan = queries.access_plan(user, key)
    status = request.GET.get("status") or SplitStatus.OPEN
    if status not in SplitStatus.values:
        status = SplitStatus.OPEN
    cases = queries.split_case_page(user, plan, status=status, limit=QUEUE_SIZE, channel="web")
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
    plan = queries.access_plan(user, key)
    case = queries.access_split_case(user, plan, case_id)
    try:
        commune_id = int(request.POST.get("commune", ""))
    except ValueError:
        commune_id = 0
    try:
        actions.split_case_decide(case=case, commune_id=commune_id, acting_user=user)
    except InvalidInput as exc:
        messages.error(request, error_text(exc))
        return redirect("restructure:splits", key=plan.key)
    messages.success(request, _("Decision recorded."))
    return redirect("restructure:splits", key=plan.key)
