"""Reads of plans and split cases, always through the caller's jurisdiction."""

from __future__ import annotations

from django.db.models import QuerySet

from muster.accounts.models import Role, User
from muster.accounts.scope import scope_for
from muster.core.errors import NotFound
from muster.geo.models import AdminUnit, Succession
from muster.restructure.models import Plan, SplitCase, SplitStatus

# Restructuring is decided at the province and above (domain-rules §4).
REVIEWER_ROLES = frozenset({Role.PROVINCE_STAFF, Role.REGION_STAFF, Role.ADMINISTRATOR})


def may_review(user: User) -> bool:
    """Provincial staff and above (and superusers) see and decide restructuring plans."""
    return user.is_superuser or user.role in REVIEWER_ROLES


def plan_list() -> QuerySet[Plan]:
    """Every plan, newest date first (plans themselves hold no personal data)."""
    return Plan.objects.order_by("-effective_on", "key")


def access_plan(key: str) -> Plan:
    plan = Plan.objects.filter(key=key).first()
    if plan is None:
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
