"""Reserve units through a plan (the reserve participant, `reserve/bulk.py`): counted by compute,
their provincial and area commands re-pointed to the successors by apply, put back by revert;
the unit, its establishment and its assignments stay what they are."""

from __future__ import annotations

from datetime import date

import pytest

from muster.audit.models import AuditEvent
from muster.orgs.models import OrgUnit
from muster.reserve.models_units import ReserveAssignment, ReservePost, ReserveUnit
from muster.restructure.apply import plan_apply, plan_revert
from muster.restructure.compute import plan_compute
from muster.restructure.models import MoveRecord
from muster.restructure.plans import builtin_plan_build
from muster.restructure.tests.support import Small, build_small

pytestmark = pytest.mark.django_db


@pytest.fixture
def small() -> Small:
    small = build_small()
    unit = ReserveUnit.objects.create(
        code="DBDV-L-90",
        name="Tiểu đoàn dự bị 1",
        command=OrgUnit.objects.get(code="BCHQS-L-90"),
        area=small.district_command,
        force="main",
        role="combat",
        spare_percent=10,
    )
    post = ReservePost.objects.create(unit=unit, position="Xạ thủ", specialty="INFANTRY", count=2)
    ReserveAssignment.objects.create(
        person=small.persons["an1"], post=post, match="exact", valid_from=date(2024, 1, 1)
    )
    return small


def _unit() -> tuple[str, str | None]:
    unit = ReserveUnit.objects.select_related("command", "area").get(code="DBDV-L-90")
    return unit.command.code, unit.area.code if unit.area else None


def test_compute_counts_the_units_that_would_move(small):
    summary = plan_compute(builtin_plan_build())
    moves = {
        (m.record_type, m.old_code, m.new_code): m.count
        for m in summary.moves
        if m.record_type in ("reserve", "res_area")
    }
    assert moves == {
        ("reserve", "BCHQS-L-90", "BCHQS-91"): 1,
        ("res_area", "BCHQS-H-901", small.area.code): 1,
    }
    assert _unit() == ("BCHQS-L-90", "BCHQS-H-901")  # nothing moved


def test_apply_repoints_units_and_revert_puts_them_back(small):
    plan = builtin_plan_build()
    plan_apply(plan, accept_proposals=True)
    assert _unit() == ("BCHQS-91", small.area.code)
    assert MoveRecord.objects.filter(record_type__in=["reserve", "res_area"]).count() == 2
    assert (
        AuditEvent.objects.get(action="restructure.plan.reserve_units_moved").data["reserve_units"]
        == 2
    )
    # The assignment still names the same post of the same unit.
    assert ReserveAssignment.objects.get().post.unit.code == "DBDV-L-90"
    assert plan_revert(plan)["reserve_units"] == 2
    assert _unit() == ("BCHQS-L-90", "BCHQS-H-901")
