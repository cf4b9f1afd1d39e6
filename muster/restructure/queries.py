"""Reads of plans and split cases, always through the caller's jurisdiction.

A plan belongs to a jurisdiction (`Plan.jurisdiction`, None = national): a user sees national
plans and the plans of units whose communes overlap theirs; the rest answers NotFound, as a
missing plan. Who may review, edit, compute or apply one is `accounts.permissions`' to say.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.scope import scope_for, unit_communes
from muster.core.errors import NotFound
from muster.geo.models import AdminUnit, Succession
from muster.people.queries import persons_read
from muster.restructure.models import Plan, SplitCase, SplitStatus

SPLIT_READ = "restructure.split.viewed"


def may_review(user: User) -> bool:
    """Whether `user` sees plans' summaries and split queues (provincial staff and above)."""
    return permissions.may(user, "restructure.plan.review")


def plan_place(plan: Plan) -> permissions.Where:
    """Where a plan acts, for `accounts.permissions`: its jurisdiction, or the whole country."""
    return plan.jurisdiction or permissions.NATIONWIDE


def plan_visible(user: User, plan: Plan) -> bool:
    """National plans, and plans of a unit whose communes overlap the user's jurisdiction."""
    if plan.jurisdiction_id is None:
        return True
    scope = scope_for(user)
    if scope.is_national:
        return True
    theirs = unit_communes(plan.jurisdiction_id, timezone.localdate())
    return bool(theirs & (scope.commune_ids or frozenset()))


def plan_list(user: User) -> list[Plan]:
    """The plans `user` may see, newest date first (plans themselves hold no personal data)."""
    plans = Plan.objects.select_related("jurisdiction").order_by("-effective_on", "key")
    return [plan for plan in plans if plan_visible(user, plan)]


def access_plan(user: User, key: str) -> Plan:
    """The plan `key` if `user` may see it; NotFound for absent and out of scope alike."""
    plan = Plan.objects.select_related("jurisdiction").filter(key=key).first()
    if plan is None or not plan_visible(user, plan):
        raise NotFound("PLAN_NOT_FOUND", {"key": key})
    return plan


def split_case_list(
    user: User, plan: Plan, *, status: str | None = SplitStatus.OPEN
) -> QuerySet[SplitCase]:
    """The plan's split cases whose proposed commune lies in the user's scope; none below the
    province."""
    if not may_review(user):
        return SplitCase.objects.none()
    cases = SplitCase.objects.filter(plan=plan).filter(
        scope_for(user).filter("proposed_commune_id")
    )
    if status is not None:
        cases = cases.filter(status=status)
    return cases.select_related(
        "person", "legacy_ward", "proposed_commune", "decided_commune"
    ).order_by("confidence", "id")


def split_case_page(
    user: User, plan: Plan, *, status: str | None, limit: int, channel: str
) -> list[SplitCase]:
    """The first `limit` cases of `split_case_list`, their persons' read logged."""
    cases = list(split_case_list(user, plan, status=status)[:limit])
    persons_read(user, [case.person_id for case in cases], action=SPLIT_READ, channel=channel)
    return cases


def split_open_count(user: User, plan: Plan) -> int:
    """How many of the plan's split cases the user may review are still open."""
    return split_case_list(user, plan, status=SplitStatus.OPEN).count()


def access_split_case(user: User, plan: Plan, case_id: int) -> SplitCase:
    """The case, or NotFound when absent, outside the scope or the role may not review."""
    case = split_case_list(user, plan, status=None).filter(pk=case_id).first()
    if case is None:
        raise NotFound("SPLIT_CASE_NOT_FOUND", {"id": case_id})
    return case


def split_successors(case: SplitCase) -> list[AdminUnit]:
    """The communes the case's legacy ward went to on the plan's date (default first)."""
    units = [
        s.successor
        for s in Succession.objects.filter(
            predecessor_id=case.legacy_ward_id, effective_on=case.plan.effective_on
        )
        .select_related("successor")
        .order_by("-is_default", "successor__code")
    ]
    if case.proposed_commune not in units:
        units.insert(0, case.proposed_commune)
    return units
