"""Writes of the review queue: deciding a split case."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.accounts.models import User
from muster.core.errors import InvalidInput, PermissionDenied
from muster.restructure.models import PlanStatus, SplitCase, SplitStatus
from muster.restructure.queries import may_review, split_successors


@transaction.atomic
def split_case_decide(*, case: SplitCase, commune_id: int, acting_user: User) -> SplitCase:
    """Settle which 2025 commune the person moves to: the proposal (accepted) or another
    successor of the legacy ward (changed). Refused once the plan is applied."""
    if not may_review(acting_user):
        raise PermissionDenied("only provincial staff and above decide split cases")
    case = (
        SplitCase.objects.select_for_update()
        .select_related("plan", "proposed_commune")
        .get(pk=case.pk)
    )
    if case.plan.status == PlanStatus.APPLIED:
        raise InvalidInput.single("plan", f"{case.plan.key} is already applied")
    choices = {u.pk: u for u in split_successors(case)}
    if commune_id not in choices:
        raise InvalidInput.single("commune", "is not a successor of the person's legacy ward")
    before = case.decided_commune_id
    case.decided_commune = choices[commune_id]
    case.status = (
        SplitStatus.ACCEPTED if commune_id == case.proposed_commune_id else SplitStatus.CHANGED
    )
    case.decided_by = acting_user
    case.decided_at = timezone.now()
    case.save(update_fields=["decided_commune", "status", "decided_by", "decided_at"])
    audit.record(
        "restructure.split.decided",
        actor=acting_user,
        target=case,
        data={
            "plan": case.plan.key,
            "person": case.person_id,
            "before": before,
            "commune": choices[commune_id].code,
            "status": case.status,
        },
        commune_code=choices[commune_id].code,
    )
    return case
