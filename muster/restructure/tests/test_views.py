from __future__ import annotations

import pytest
from django.test import Client
from django.urls import include, path

from config.urls import urlpatterns as _root
from muster.accounts.models import Role, User
from muster.restructure.compute import plan_compute
from muster.restructure.models import SplitCase, SplitStatus
from muster.restructure.plans import builtin_plan_build
from muster.restructure.tests.support import build_small

pytestmark = pytest.mark.django_db

urlpatterns = [path("restructure/", include("muster.restructure.urls")), *_root]


@pytest.fixture
def client_for(settings):
    settings.ROOT_URLCONF = __name__

    def make(role: Role) -> Client:
        user = User.objects.create_user(username=f"u-{role}", password="x", role=role)
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
