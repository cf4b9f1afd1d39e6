"""GET /api/v1/reserve/units and /assignments: units of the provinces the jurisdiction reaches,
assignments of its persons only, as of a day, the read logged."""

from __future__ import annotations

import pytest
from django.test import Client

from muster.accounts.actions import api_token_issue
from muster.accounts.models import Role
from muster.accounts.tests.factories import REFORM
from muster.audit.models import ReadEvent
from muster.geo.models import AdminUnit, Edition, Level
from muster.orgs.models import OrgKind, OrgUnit, Territory
from muster.reserve import unit_actions
from muster.reserve.tests.factories_units import DAY, province, reservist, unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(world):
    unit(world, "DBDV-1", [("Xạ thủ", "INFANTRY", 2)])
    mine = reservist(world.communes[0], name="Lê Văn Của")
    other = reservist(world.communes[2], name="Lê Văn Khác")
    where = province(world)
    proposal, _ = unit_actions.proposal_draft(province=where, day=DAY, acting_user=None)
    unit_actions.proposal_approve(province=where, proposal=proposal, acting_user=None)
    return mine, other


def _get(user, path: str):
    return Client().get(path, headers={"Authorization": f"Bearer {api_token_issue(user=user)}"})


def test_units_and_assignments_of_the_jurisdiction(world, assigned):
    mine, other = assigned
    clerk = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    units = _get(clerk, "/api/v1/reserve/units").json()
    assert [(u["code"], u["seats"], u["filled"], u["force"]) for u in units] == [
        ("DBDV-1", 2, 2, "main")
    ]
    assert units[0]["posts"] == [
        {"position": "Xạ thủ", "specialty": "INFANTRY", "min_rank": "", "count": 2, "filled": 2}
    ]
    found = _get(clerk, "/api/v1/reserve/assignments").json()
    assert found["count"] == 1
    assert [(a["personal_id"], a["match"], a["unit_code"]) for a in found["items"]] == [
        (mine.personal_id, "exact", "DBDV-1")
    ]
    assert ReadEvent.objects.filter(
        action="reserve.assignments.viewed", target_id=str(mine.pk)
    ).exists()
    assert not ReadEvent.objects.filter(target_id=str(other.pk)).exists()
    before = _get(clerk, "/api/v1/reserve/assignments?as_of=2026-02-28").json()
    assert before["count"] == 0  # as of the day before the assignment
    assert _get(clerk, "/api/v1/reserve/units/DBDV-1?as_of=2026-02-28").json()["filled"] == 0


def test_a_province_out_of_reach_is_absent(world, assigned):
    other = AdminUnit.objects.create(
        edition=Edition.V2025, level=Level.PROVINCE, code="98", name="Tỉnh Khác",
        short_name="Khác", unit_type="Tỉnh", valid_from=REFORM, search_key="98",
    )  # fmt: skip
    command = OrgUnit.objects.create(
        code="BCHQS-98", name="BCHQS-98", kind=OrgKind.PROVINCIAL_COMMAND, valid_from=REFORM
    )
    Territory.objects.create(org_unit=command, admin_unit=other, valid_from=REFORM)
    outsider = world.user("x", Role.PROVINCE_STAFF, command)
    assert _get(outsider, "/api/v1/reserve/units").json() == []
    assert _get(outsider, "/api/v1/reserve/units/DBDV-1").status_code == 404
    assert _get(outsider, "/api/v1/reserve/units?province=99").status_code == 404
