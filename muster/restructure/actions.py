"""Writes of restructuring staff: saving a plan's successions, deciding a split case."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.core.errors import FieldError, InvalidInput, PermissionDenied
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Level
from muster.orgs.models import OrgUnit, Territory
from muster.restructure import plans, rules
from muster.restructure.compute import PlanSummary, plan_compute
from muster.restructure.models import Plan, PlanStatus, SplitCase, SplitStatus
from muster.restructure.queries import may_review, split_successors


@transaction.atomic
def plan_save(*, key: str, title: str, text: str, acting_user: User | None) -> Plan:
    """Create or replace a plan's successions from succession-CSV text (the page's editor,
    an uploaded file or `muster restructure plan KEY --csv FILE`; `acting_user` None = CLI).

    Every bad row is refused with its line and reason, nothing is saved then. Staff below the
    national level may only name communes of their jurisdiction and the commands over them.
    """
    if acting_user is not None and not may_review(acting_user):
        raise PermissionDenied("PLAN_PREPARE_DENIED")
    if not key or len(key) > 40 or not all(c.isalnum() or c in "-_" for c in key):
        raise InvalidInput.single("key", "PLAN_KEY_FORMAT")
    if acting_user is not None:
        errors = _outside_jurisdiction(acting_user, plans.read_rows(text))
        if errors:
            raise InvalidInput(errors)
    plan = plans.csv_plan_load(key=key, text=text, title=title.strip())
    audit.record(
        "restructure.plan.saved",
        actor=acting_user,
        target=plan,
        data={
            "key": plan.key,
            "effective_on": plan.effective_on.isoformat(),
            "steps": plan.steps.count(),
        },
    )
    return plan


def _outside_jurisdiction(user: User, rows: list[rules.StepRow]) -> list[FieldError]:
    """Rows naming a unit outside the user's communes (old codes the day before, new codes on
    the day). National users pass; unknown codes are left to the CSV checks."""
    errors: list[FieldError] = []
    for row in rows:
        for code, day in (
            (row.old_code, row.effective_on - timedelta(days=1)),
            (row.new_code, row.effective_on),
        ):
            if code and _inside(user, row.unit_type, code, day) is False:
                errors.append(
                    FieldError(f"line {row.line}", "OUTSIDE_JURISDICTION", {"unit": code})
                )
    return errors


def _inside(user: User, unit_type: str, code: str, day: date) -> bool | None:
    """Whether the unit `code` lies in the user's communes on `day`; None when unknown."""
    scope = scope_for(user, day)
    if scope.is_national:
        return True
    if unit_type == "admin":
        unit = AdminUnit.objects.filter(valid_on(day), code=code).first()
        if unit is None:
            return None
        # Districts and provinces span communes of other staff: a national plan's matter.
        return unit.level == Level.COMMUNE and scope.allows(unit.pk)
    org = OrgUnit.objects.filter(valid_on(day), code=code).first()
    if org is None:
        return None
    communes = set(
        Territory.objects.filter(valid_on(day), org_unit=org).values_list(
            "admin_unit_id", flat=True
        )
    )
    return bool(communes) and all(scope.allows(c) for c in communes)


def plan_recompute(*, plan: Plan, acting_user: User) -> PlanSummary:
    """Compute `plan` again on a reviewer's request: its split cases and stored summary
    (`compute.plan_compute`, audited there). Refused for an applied plan."""
    if not may_review(acting_user):
        raise PermissionDenied("PLAN_COMPUTE_DENIED")
    if plan.status == PlanStatus.APPLIED:
        raise InvalidInput.single("plan", "PLAN_APPLIED", {"key": plan.key})
    return plan_compute(plan, acting_user=acting_user)


@transaction.atomic
def split_case_decide(*, case: SplitCase, commune_id: int, acting_user: User) -> SplitCase:
    """Settle which 2025 commune the person moves to: the proposal (accepted) or another
    successor of the legacy ward (changed). Refused once the plan is applied."""
    if not may_review(acting_user):
        raise PermissionDenied("SPLIT_DECIDE_DENIED")
    case = (
        SplitCase.objects.select_for_update()
        .select_related("plan", "proposed_commune")
        .get(pk=case.pk)
    )
    if case.plan.status == PlanStatus.APPLIED:
        raise InvalidInput.single("plan", "PLAN_APPLIED", {"key": case.plan.key})
    choices = {u.pk: u for u in split_successors(case)}
    if commune_id not in choices:
        raise InvalidInput.single("commune", "SPLIT_NOT_A_SUCCESSOR")
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
