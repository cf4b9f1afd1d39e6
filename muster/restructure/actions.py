"""Writes of restructuring staff: saving a plan's successions, computing it, deciding a split
case, applying and reverting it — each within the jurisdiction the plan belongs to
(`accounts.permissions`; `acting_user` None is the operator at the CLI)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.core.errors import FieldError, InvalidInput
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Level
from muster.orgs.models import OrgUnit, Territory
from muster.restructure import apply, plans, rules
from muster.restructure.compute import PlanSummary, plan_compute
from muster.restructure.models import Plan, PlanStatus, SplitCase, SplitStatus
from muster.restructure.queries import plan_place, split_successors


@transaction.atomic
def plan_save(
    *, key: str, title: str, text: str, acting_user: User | None, new: bool = False
) -> Plan:
    """Create or replace a plan's successions from succession-CSV text (the page's editor,
    an uploaded file or `muster restructure plan KEY --csv FILE`; `acting_user` None = CLI).

    A new plan belongs to the acting user's jurisdiction (national for national users and
    the CLI); an existing one is replaced only by a user whose jurisdiction covers it, and
    never through `new` (the "new plan" page: an existing key is refused, not overwritten).
    Every bad row is refused with its line and reason, nothing is saved then. Staff below the
    national level may only name communes of their jurisdiction and the commands over them.
    """
    permissions.require(acting_user, "restructure.plan.edit")
    if not key or len(key) > 40 or not all(c.isalnum() or c in "-_" for c in key):
        raise InvalidInput.single("key", "PLAN_KEY_FORMAT")
    existing = Plan.objects.select_for_update().filter(key=key).first()
    if existing is not None and new:
        raise InvalidInput.single("key", "PLAN_KEY_TAKEN", {"key": key})
    if existing is not None:
        permissions.require(acting_user, "restructure.plan.edit", unit=plan_place(existing))
    if acting_user is not None:
        errors = _outside_jurisdiction(acting_user, plans.read_rows(text))
        if errors:
            raise InvalidInput(errors)
    plan = plans.csv_plan_load(
        key=key, text=text, title=title.strip(), jurisdiction=_owner(acting_user), new=new
    )
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


def _owner(user: User | None) -> OrgUnit | None:
    """Whom a new plan belongs to: the user's org unit; None (national) for the CLI and
    national users."""
    if user is None or permissions.covers(user, unit=permissions.NATIONWIDE):
        return None
    return user.jurisdiction


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
    (`compute.plan_compute`, audited there). Only for a user whose jurisdiction covers the
    plan (a national plan: national users); refused for an applied plan."""
    permissions.require(acting_user, "restructure.plan.compute", unit=plan_place(plan))
    if plan.status == PlanStatus.APPLIED:
        raise InvalidInput.single("plan", "PLAN_APPLIED", {"key": plan.key})
    return plan_compute(plan, acting_user=acting_user)


@transaction.atomic
def split_case_decide(*, case: SplitCase, commune_id: int, acting_user: User) -> SplitCase:
    """Settle which 2025 commune the person moves to: the proposal (accepted) or another
    successor of the legacy ward (changed), both in the user's jurisdiction (a national
    plan's cases are decided by the staff of the communes concerned). Refused once the plan
    is applied."""
    permissions.require(acting_user, "restructure.split.decide")
    case = (
        SplitCase.objects.select_for_update()
        .select_related("plan", "proposed_commune")
        .get(pk=case.pk)
    )
    if case.plan.status == PlanStatus.APPLIED:
        raise InvalidInput.single("plan", "PLAN_APPLIED", {"key": case.plan.key})
    permissions.require(
        acting_user, "restructure.split.decide", commune_id=case.proposed_commune_id
    )
    choices = {u.pk: u for u in split_successors(case)}
    if commune_id not in choices:
        raise InvalidInput.single("commune", "SPLIT_NOT_A_SUCCESSOR")
    permissions.require(acting_user, "restructure.split.decide", commune_id=commune_id)
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


def plan_apply_checked(
    *,
    plan: Plan,
    acting_user: User | None,
    accept_proposals: bool = False,
    batch_size: int = 50_000,
    rewrite: bool | None = None,
) -> apply.ApplyResult:
    """`apply.plan_apply` for a user whose jurisdiction covers the plan (`restructure.plan.
    apply`; a national plan: national users, the CLI)."""
    permissions.require(acting_user, "restructure.plan.apply", unit=plan_place(plan))
    return apply.plan_apply(
        plan,
        accept_proposals=accept_proposals,
        batch_size=batch_size,
        acting_user=acting_user,
        rewrite=rewrite,
    )


def plan_revert_checked(*, plan: Plan, acting_user: User | None) -> dict[str, int]:
    """`apply.plan_revert` for a user whose jurisdiction covers the plan (as applying)."""
    permissions.require(acting_user, "restructure.plan.apply", unit=plan_place(plan))
    return apply.plan_revert(plan, acting_user=acting_user)
