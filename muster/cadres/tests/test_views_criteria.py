"""The criteria-set page: the year's sets with their criteria for everyone, and the form that
sets one for administrators (cadres.criteria.manage), refusing the rest."""

from __future__ import annotations

import pytest
from django.test import Client

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.cadres.models import CriteriaSet

pytestmark = pytest.mark.django_db

FORM = {
    "year": "2026",
    "subject": "cadre",
    "code": "CB",
    "name": "Đánh giá cán bộ 2026",
    "excellent_from": "90",
    "good_from": "70",
    "pass_from": "50",
    "c1_code": "politics",
    "c1_name": "Phẩm chất chính trị",
    "c1_weight": "60",
    "c2_code": "it_competency",
    "c2_name": "Năng lực công nghệ thông tin",
    "c2_weight": "40",
    "c2_mandatory": "on",
    "c2_threshold": "50",
}


def _client(world: World, username: str, role: Role) -> Client:
    client = Client()
    client.force_login(
        world.user(username, role, None if role == Role.ADMINISTRATOR else world.provincial)
    )
    return client


def test_an_administrator_sets_the_years_cadre_criteria(world: World) -> None:
    client = _client(world, "quantri", Role.ADMINISTRATOR)
    response = client.post("/cadres/criteria/save/", FORM)
    assert response.status_code == 302
    saved = CriteriaSet.objects.get(year=2026, subject="cadre", code="CB")
    assert [(c.code, c.weight, c.mandatory) for c in saved.criteria.order_by("ordinal")] == [
        ("politics", 60, False),
        ("it_competency", 40, True),
    ]
    page = client.get("/cadres/criteria/?year=2026").content.decode()
    assert "Năng lực công nghệ thông tin" in page
    assert 'id="criteria-form"' in page


def test_a_cadre_set_without_it_competency_is_refused_with_the_rule(world: World) -> None:
    client = _client(world, "quantri", Role.ADMINISTRATOR)
    form = {k: v for k, v in FORM.items() if not k.startswith("c2_")}
    form["c1_weight"] = "100"
    response = client.post("/cadres/criteria/save/", form, follow=True)
    assert not CriteriaSet.objects.exists()
    assert response.status_code == 200
    assert 'class="messages' in response.content.decode() or "error" in response.content.decode()


def test_provincial_staff_see_the_sets_but_may_not_set_them(world: World) -> None:
    client = _client(world, "tinh", Role.PROVINCE_STAFF)
    assert client.post("/cadres/criteria/save/", FORM).status_code == 403
    assert not CriteriaSet.objects.exists()
    page = client.get("/cadres/criteria/").content.decode()
    assert 'id="criteria-form"' not in page
