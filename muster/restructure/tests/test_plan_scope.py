"""Plans belong to a jurisdiction (issue 13, finding 4): a provincial user posting
`/restructure/new/` or `/restructure/<key>/edit/` with another's key replaced that plan.

Now a plan belongs to the org unit of whoever made it (national for national users and the
CLI); only users whose jurisdiction covers it see, edit, compute, apply or revert it, and the
new-plan page refuses a key in use instead of replacing that plan."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import include, path

from config.urls import urlpatterns as _root
from muster.accounts import permissions
from muster.accounts.models import Role, User
from muster.audit.models import AuditEvent
from muster.core.errors import PermissionDenied
from muster.orgs.models import OrgUnit
from muster.restructure.actions import (
    plan_apply_checked,
    plan_recompute,
    plan_revert_checked,
    plan_save,
)
from muster.restructure.models import Plan, PlanStatus
from muster.restructure.plans import builtin_plan_build, plan_csv_text
from muster.restructure.queries import plan_list
from muster.restructure.tests.support import build_small

pytestmark = pytest.mark.django_db

urlpatterns = [path("restructure/", include("muster.restructure.urls")), *_root]
HEADER = "effective_on,unit_type,kind,old_code,new_code,is_default\n"
OURS = HEADER + "2026-01-01,org,rename,BCHQS-X-91001,BCHQS-X-91001,1\n"
THEIRS = HEADER + "2026-01-01,org,rename,BCHQS-X-91002,BCHQS-X-91002,1\n"


@pytest.fixture
def staff(settings):
    """Provincial staff over a command (by code), signed in; `staff("BCHQS-X-91001")`."""
    settings.ROOT_URLCONF = __name__
    build_small()

    def make(code: str | None, role: Role = Role.PROVINCE_STAFF) -> tuple[User, Client]:
        unit = OrgUnit.objects.get(code=code) if code else None
        user = User.objects.create_user(
            username=f"u-{code or 'national'}-{role}",
            password="pw-test-12345",
            role=role,
            jurisdiction=unit,
        )
        user.is_superuser = role == Role.ADMINISTRATOR
        user.save()
        client = Client()
        client.force_login(user)
        return user, client

    return make


def _saves() -> int:
    return AuditEvent.objects.filter(action="restructure.plan.saved").count()


def test_another_commands_plan_is_never_overwritten(staff):
    ours, our_client = staff("BCHQS-X-91001")
    _theirs, their_client = staff("BCHQS-X-91002")
    made = our_client.post("/restructure/new/", {"key": "ours", "title": "Đổi tên", "text": OURS})
    assert made.status_code == 302
    plan = Plan.objects.get(key="ours")
    assert plan.jurisdiction == ours.jurisdiction
    saves = _saves()
    # The new-plan page with the same key: refused on the key, the plan as it was.
    answer = their_client.post("/restructure/new/", {"key": "ours", "title": "x", "text": THEIRS})
    assert answer.status_code == 400
    assert "ours" in answer.content.decode()
    # The plan's own pages do not exist for the other command's staff.
    assert their_client.get("/restructure/ours/").status_code == 404
    assert their_client.get("/restructure/ours/edit/").status_code == 404
    edit = their_client.post("/restructure/ours/edit/", {"title": "x", "text": THEIRS})
    assert edit.status_code == 404
    assert their_client.post("/restructure/ours/compute/").status_code == 404
    plan.refresh_from_db()
    assert plan_csv_text(plan) == OURS
    assert plan.title == "Đổi tên"
    assert _saves() == saves
    assert [p.key for p in plan_list(_theirs)] == []


def test_the_actions_refuse_another_jurisdictions_plan(staff):
    ours, _ = staff("BCHQS-X-91001")
    theirs, _ = staff("BCHQS-X-91002")
    plan = plan_save(key="ours", title="", text=OURS, acting_user=ours)
    with pytest.raises(PermissionDenied) as refused:
        plan_save(key="ours", title="", text=THEIRS, acting_user=theirs)
    assert refused.value.params["permission"] == "restructure.plan.edit"
    assert refused.value.code == permissions.JURISDICTION
    with pytest.raises(PermissionDenied):
        plan_recompute(plan=plan, acting_user=theirs)
    with pytest.raises(PermissionDenied):
        plan_apply_checked(plan=plan, acting_user=theirs, accept_proposals=True)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PLANNED
    assert plan_csv_text(plan) == OURS


def test_a_command_above_covers_the_plans_below_it(staff):
    ours, _ = staff("BCHQS-X-91001")
    plan_save(key="ours", title="", text=OURS, acting_user=ours)
    province, client = staff("BCHQS-91")
    assert [p.key for p in plan_list(province)] == ["ours"]
    saved = client.post("/restructure/ours/edit/", {"title": "Tỉnh sửa", "text": OURS})
    assert saved.status_code == 302
    # Editing keeps the plan where it belongs.
    assert Plan.objects.get(key="ours").jurisdiction == ours.jurisdiction


def test_national_plans_are_changed_nationally_only(staff):
    builtin_plan_build()
    plan_save(key="cli", title="", text=OURS, acting_user=None)
    assert Plan.objects.get(key="cli").jurisdiction is None
    _provincial, client = staff("BCHQS-91")
    # Seen (its split cases in their communes are theirs to decide), not changed.
    assert client.get("/restructure/cli/").status_code == 200
    assert client.get("/restructure/cli/edit/").status_code == 403
    assert client.post("/restructure/cli/edit/", {"text": THEIRS}).status_code == 403
    assert client.post("/restructure/vn-2025/compute/").status_code == 403
    _admin, national = staff(None, Role.ADMINISTRATOR)
    assert national.post("/restructure/vn-2025/compute/").status_code == 302
    made = national.post("/restructure/new/", {"key": "nat", "text": OURS})
    assert made.status_code == 302
    assert Plan.objects.get(key="nat").jurisdiction is None


def test_apply_and_revert_within_the_jurisdiction(staff):
    ours, _ = staff("BCHQS-X-91001")
    plan = plan_save(key="ours", title="", text=OURS, acting_user=ours)
    result = plan_apply_checked(plan=plan, acting_user=ours, accept_proposals=True)
    assert not result.already_applied
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPLIED
    theirs, _ = staff("BCHQS-X-91002")
    with pytest.raises(PermissionDenied):
        plan_revert_checked(plan=plan, acting_user=theirs)
    plan_revert_checked(plan=plan, acting_user=ours)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVERTED


def test_plans_saved_before_keep_their_makers_jurisdiction(staff):
    ours, _ = staff("BCHQS-X-91001")
    plan = plan_save(key="ours", title="", text=OURS, acting_user=ours)
    cli = plan_save(key="cli", title="", text=OURS, acting_user=None)
    Plan.objects.filter(pk=plan.pk).update(jurisdiction=None)
    migration = importlib.import_module("muster.restructure.migrations.0005_plan_jurisdiction")
    migration.jurisdiction_from_first_save(apps, None)
    plan.refresh_from_db()
    cli.refresh_from_db()
    assert plan.jurisdiction == ours.jurisdiction
    assert cli.jurisdiction is None
