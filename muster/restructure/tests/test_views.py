from __future__ import annotations

import pytest
from django.test import Client
from django.urls import include, path

from config.urls import urlpatterns as _root
from muster.accounts.models import Role, User
from muster.audit.models import AuditEvent
from muster.people.models import Person
from muster.restructure.compute import plan_compute
from muster.restructure.labels import GAP_KINDS
from muster.restructure.models import Plan, SplitCase, SplitStatus
from muster.restructure.plans import builtin_plan_build
from muster.restructure.tests.support import build_small

pytestmark = pytest.mark.django_db

urlpatterns = [path("restructure/", include("muster.restructure.urls")), *_root]


@pytest.fixture
def client_for(settings):
    settings.ROOT_URLCONF = __name__

    def make(role: Role) -> Client:
        user = User.objects.create_user(username=f"u-{role}", password="pw-test-12345", role=role)
        if role == Role.ADMINISTRATOR:
            user.is_superuser = True
            user.save()
        client = Client()
        client.force_login(user)
        return client

    return make


def test_summary_and_queue_for_national_staff(client_for):
    small = build_small()
    plan = builtin_plan_build()
    plan_compute(plan)
    client = client_for(Role.ADMINISTRATOR)
    body = client.get("/restructure/vn-2025/").content.decode()
    assert "Xã Tân Lập" in body
    assert "BCHQS-X-91002" in body
    body = client.get("/restructure/vn-2025/splits/").content.decode()
    assert "Nguyễn Văn dong_5" in body
    case = SplitCase.objects.get(status=SplitStatus.OPEN)
    answer = client.post(
        f"/restructure/vn-2025/splits/{case.pk}/", {"commune": small.new["91003"].pk}
    )
    assert answer.status_code == 302
    case.refresh_from_db()
    assert case.status == SplitStatus.CHANGED
    assert case.decided_commune == small.new["91003"]


def test_commune_staff_see_nothing(client_for):
    build_small()
    plan_compute(builtin_plan_build())
    client = client_for(Role.COMMUNE_STAFF)
    body = client.get("/restructure/vn-2025/splits/").content.decode()
    assert "dong_5" not in body
    case = SplitCase.objects.get(status=SplitStatus.OPEN)
    assert (
        client.post(f"/restructure/vn-2025/splits/{case.pk}/", {"commune": "1"}).status_code == 404
    )


def test_summary_is_stored_not_computed_on_each_view(client_for):
    small = build_small()
    plan = builtin_plan_build()
    client = client_for(Role.ADMINISTRATOR)
    body = client.get("/restructure/vn-2025/").content.decode()
    assert 'id="plan-compute"' in body
    assert 'id="moves"' not in body  # never computed: nothing to show yet
    answer = client.post("/restructure/vn-2025/compute/")
    assert answer.status_code == 302
    plan.refresh_from_db()
    assert plan.computed_at is not None
    assert plan.summary is not None
    assert plan.summary["key"] == "vn-2025"
    assert AuditEvent.objects.filter(action="restructure.plan.computed").count() == 1
    body = client.get("/restructure/vn-2025/").content.decode()
    assert 'id="moves"' in body
    assert "BCHQS-X-91002" in body
    # A later change of the registry shows only after computing again.
    moved = body.count('<tr><td><abbr class="code" title="person">')
    Person.objects.filter(residence_commune=small.legacy["90001"]).delete()
    stale = client.get("/restructure/vn-2025/").content.decode()
    assert stale.count('<tr><td><abbr class="code" title="person">') == moved
    assert AuditEvent.objects.filter(action="restructure.plan.computed").count() == 1
    client.post("/restructure/vn-2025/compute/")
    fresh = client.get("/restructure/vn-2025/").content.decode()
    assert fresh.count('<tr><td><abbr class="code" title="person">') == moved - 1


def test_gaps_of_one_kind_and_pages_of_moves(client_for, monkeypatch):
    from muster.restructure import views

    build_small()
    plan_compute(builtin_plan_build())
    client = client_for(Role.ADMINISTRATOR)
    body = client.get("/restructure/vn-2025/").content.decode()
    assert 'id="gap-kinds"' in body
    stored = Plan.objects.get(key="vn-2025").summary
    assert stored is not None
    kind = stored["gaps"][0]["kind"]
    only = client.get(f"/restructure/vn-2025/?gaps={kind}").content.decode()
    assert 'id="moves"' not in only
    assert f"<strong>{GAP_KINDS[kind]}" in only
    monkeypatch.setattr(views, "LIST_PAGE", 1)
    first = client.get("/restructure/vn-2025/").content.decode()
    assert (
        first.count('<tr><td><abbr class="code" title="person">')
        + first.count('<tr><td><abbr class="code" title="user">')
        <= 1
    )
    assert 'rel="next"' in first


def test_commune_staff_cannot_compute(client_for):
    build_small()
    builtin_plan_build()
    client = client_for(Role.COMMUNE_STAFF)
    assert client.post("/restructure/vn-2025/compute/").status_code == 403
    assert Plan.objects.get(key="vn-2025").summary is None
