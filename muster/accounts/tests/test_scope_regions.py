"""A region's jurisdiction across the 2025 reform: the same region unit covers its legacy
provinces until 2025-06-30 and its 2025 provinces from 2025-07-01 (domain-rules §9)."""

from __future__ import annotations

import pytest

from muster.accounts.models import Role, User
from muster.accounts.scope import scope_for
from muster.geo.models import AdminUnit
from muster.orgs import actions
from muster.orgs.models import OrgUnit
from muster.orgs.tests.factories import LEGACY_END, REFORM, small_country

pytestmark = pytest.mark.django_db


def test_a_region_user_sees_the_legacy_province_before_the_reform() -> None:
    communes = small_country()
    actions.orgs_build(include_legacy=True)
    user = User.objects.create(
        username="quankhu", role=Role.REGION_STAFF, jurisdiction=OrgUnit.objects.get(code="BTLTD")
    )
    legacy_wards = set(
        AdminUnit.objects.filter(
            edition="legacy", level="commune", parent__parent__code="01"
        ).values_list("id", flat=True)
    )
    assert scope_for(user, LEGACY_END).commune_ids == frozenset(legacy_wards)
    assert scope_for(user, REFORM).commune_ids == frozenset(c.pk for c in communes)
