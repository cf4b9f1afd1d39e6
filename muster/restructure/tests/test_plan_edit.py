"""The plan editor page and `actions.plan_save`: a future change typed, pasted or uploaded,
checked line by line (nothing saved on an error), audited, within the editor's jurisdiction."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import include, path

from config.urls import urlpatterns as _root
from muster.accounts.models import Role, User
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput
from muster.core.wording import registry
from muster.orgs.models import OrgUnit
from muster.restructure.actions import plan_save
from muster.restructure.models import Plan, PlanStatus
from muster.restructure.plans import builtin_plan_build, plan_csv_text
from muster.restructure.tests.support import build_small

pytestmark = pytest.mark.django_db

urlpatterns = [path("restructure/", include("muster.restructure.urls")), *_root]
HEADER = "effective_on,unit_type,kind,old_code,new_code,is_default\n"
MERGE = HEADER + "2026-01-01,admin,merge,91003,91002,1\n"


@pytest.fixture
def client_for(settings):
    settings.ROOT_URLCONF = __name__

    def make(role: Role, jurisdiction: OrgUnit | None = None) -> Client:
        user = User.objects.create_user(
            username=f"u-{role}", password="pw-test-12345", role=role, jurisdiction=jurisdiction
        )
        user.is_superuser = role == Role.ADMINISTRATOR
        user.save()
        client = Client()
        client.force_login(user)
        return client

    return make


def test_new_plan_saved_from_text_and_audited(client_for):
    build_small()
    client = client_for(Role.ADMINISTRATOR)
    assert "plan-edit-form" in client.get("/restructure/new/").content.decode()
    answer = client.post(
        "/restructure/new/", {"key": "next-2026", "title": "Gộp xã", "text": MERGE}
    )
    assert answer.status_code == 302
    assert answer["Location"] == "/restructure/next-2026/"
    plan = Plan.objects.get(key="next-2026")
    assert plan.title == "Gộp xã"
    assert plan.status == PlanStatus.PLANNED
    assert plan_csv_text(plan) == MERGE
    event = AuditEvent.objects.get(action="restructure.plan.saved")
    assert event.data["steps"] == 1
    assert "plan-edit" in client.get("/restructure/next-2026/").content.decode()


def test_bad_rows_are_listed_by_line_and_nothing_is_saved(client_for):
    build_small()
    client = client_for(Role.ADMINISTRATOR)
    text = HEADER + "2026-01-01,admin,merge,99999,91002,1\n2026-01-01,admin,melt,91003,91002,1\n"
    answer = client.post("/restructure/new/", {"key": "bad", "text": text})
    assert answer.status_code == 400
    body = answer.content.decode()
    assert "dòng 2" in body  # Vietnamese by default
    assert "99999" in body
    assert "dòng 3" in body
    assert "melt" in body
    assert "91003,91002" in body  # the text is kept for correcting
    assert not Plan.objects.exists()
    assert not AuditEvent.objects.filter(action="restructure.plan.saved").exists()


def test_uploaded_file_replaces_the_text(client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    build_small()
    client = client_for(Role.ADMINISTRATOR)
    upload = SimpleUploadedFile("plan.csv", ("\ufeff" + MERGE).encode(), "text/csv")
    answer = client.post("/restructure/new/", {"key": "up", "text": "", "file": upload})
    assert answer.status_code == 302
    assert Plan.objects.get(key="up").steps.count() == 1
    latin = SimpleUploadedFile("plan.csv", "effective_on,Xã\n".encode("utf-16"), "text/csv")
    answer = client.post("/restructure/new/", {"key": "up2", "text": "", "file": latin})
    assert answer.status_code == 400
    assert "UTF-8" in answer.content.decode()
    assert not Plan.objects.filter(key="up2").exists()


def test_editing_replaces_the_steps(client_for):
    build_small()
    client = client_for(Role.ADMINISTRATOR)
    plan_save(key="next", title="", text=MERGE, acting_user=None)
    assert "91003,91002" in client.get("/restructure/next/edit/").content.decode()
    split = HEADER + "2026-01-01,admin,split,91003,91002,1\n2026-01-01,admin,split,91003,91001,0\n"
    assert client.post("/restructure/next/edit/", {"title": "t", "text": split}).status_code == 302
    assert Plan.objects.get(key="next").steps.count() == 2


def test_builtin_and_applied_plans_are_not_editable(client_for):
    build_small()
    client = client_for(Role.ADMINISTRATOR)
    builtin_plan_build()
    answer = client.get("/restructure/vn-2025/edit/")
    assert answer.status_code == 302
    assert answer["Location"] == "/restructure/vn-2025/"
    plan = plan_save(key="next", title="", text=MERGE, acting_user=None)
    Plan.objects.filter(pk=plan.pk).update(status=PlanStatus.APPLIED)
    assert client.post("/restructure/next/edit/", {"text": MERGE}).status_code == 302
    with pytest.raises(InvalidInput, match="PLAN_APPLIED"):
        plan_save(key="next", title="", text=MERGE, acting_user=None)


def test_roles_and_jurisdiction(client_for):
    build_small()
    assert client_for(Role.COMMUNE_STAFF).get("/restructure/new/").status_code == 403
    # Provincial staff over commune 91001's command only: 91002/91003 are someone else's.
    own = OrgUnit.objects.get(code="BCHQS-X-91001")
    client = client_for(Role.PROVINCE_STAFF, jurisdiction=own)
    answer = client.post("/restructure/new/", {"key": "mine", "text": MERGE})
    assert answer.status_code == 400
    assert "91003" in answer.content.decode()
    assert not Plan.objects.exists()
    with pytest.raises(InvalidInput) as caught:
        plan_save(
            key="mine", title="", text=MERGE, acting_user=User.objects.get(role=Role.PROVINCE_STAFF)
        )
    assert [(e.code, e.params) for e in caught.value.errors] == [
        ("OUTSIDE_JURISDICTION", {"unit": "91003"}),
        ("OUTSIDE_JURISDICTION", {"unit": "91002"}),
    ]


@pytest.mark.parametrize(
    "rows",
    [
        "",
        "2026-01-01,admin,merge,99999,91002,1\n",
        "2026-13-01,admin,merge,91003,91002,1\n",
        "2026-01-01,admin,merge,91003,91002,maybe\n",
        "2026-01-01,admin,merge,91003,91002,1\n2026-02-01,admin,merge,91001,91002,1\n",
        "2026-01-01,unit,merge,91003,91002,1\n",
        "2026-01-01,admin,melt,91003,91002,1\n",
        "2026-01-01,admin,merge,,91002,1\n",
        "2026-01-01,admin,merge,91003,,1\n",
        "2026-01-01,admin,merge,91003,91003,1\n",
        "2026-01-01,admin,merge,91003,91002,1\n2026-01-01,admin,merge,91003,91001,1\n",
        "2026-01-01,admin,split,91003,91002,0\n2026-01-01,admin,split,91003,91001,0\n",
        "2026-01-01,admin,merge,91001,91002,1\n2026-01-01,admin,merge,91002,91001,1\n",
        "2025-07-01,admin,merge,91003,91002,1\n",
        "2025-01-01,admin,merge,90003,91002,1\n",
    ],
)
def test_every_check_has_a_wording(rows):
    build_small()
    with pytest.raises(InvalidInput) as caught:
        plan_save(key="next", title="", text=HEADER + rows, acting_user=None)
    for error in caught.value.errors:
        assert error.code in registry(), error
        assert error.code not in error.message  # worded, not shown as a bare code


def test_missing_columns_and_bad_key_have_a_wording():
    build_small()
    for key, text in (("next", "effective_on,kind\n"), ("bad key!", MERGE)):
        with pytest.raises(InvalidInput) as caught:
            plan_save(key=key, title="", text=text, acting_user=None)
        error = caught.value.errors[0]
        assert error.code in {"MISSING_COLUMNS", "PLAN_KEY_FORMAT"}
        assert error.code not in error.message
