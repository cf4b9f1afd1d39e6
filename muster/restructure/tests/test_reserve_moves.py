"""Reserve units through a plan (the reserve participant, `reserve/bulk.py`): counted by compute,
their provincial and area commands re-pointed to the successors by apply, put back by revert;
the unit, its establishment and its assignments stay what they are. Technical means follow
their commune the same way."""

from __future__ import annotations

from datetime import date

import pytest

from muster.audit.models import AuditEvent
from muster.geo.models import AdminUnit, Edition
from muster.orgs.models import OrgUnit
from muster.reserve.models_units import (
    ReserveAssignment,
    ReservePost,
    ReserveUnit,
    TechnicalMeans,
)
from muster.restructure.apply import plan_apply, plan_revert
from muster.restructure.compute import plan_compute
from muster.restructure.models import MoveRecord
from muster.restructure.plans import builtin_plan_build, csv_plan_load
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


def test_means_follow_their_commune_and_come_back_on_revert(small):
    """91001 merges into 91003: a truck registered in 91001 (and one taken off the register
    there, its history kept) is counted by compute, moves with apply, and revert puts both
    back; a truck in 91002 stays where it is."""
    plan_apply(builtin_plan_build(), accept_proposals=True)
    communes = {
        c.code: c
        for c in AdminUnit.objects.filter(
            edition=Edition.V2025, code__in=["91001", "91002", "91003"]
        )
    }
    for registration, code, retired in (
        ("24C-1", "91001", None),
        ("24C-2", "91001", date(2025, 10, 1)),
        ("24C-3", "91002", None),
    ):
        TechnicalMeans.objects.create(
            kind="vehicle",
            registration=registration,
            capability="cargo_truck",
            owner="Hợp tác xã",
            commune=communes[code],
            state="ready",
            registry="Sở Xây dựng",
            registered_year=2025,
            retired_on=retired,
            retired_reason="scrapped" if retired else "",
        )
    later = csv_plan_load(
        key="next",
        text="effective_on,unit_type,kind,old_code,new_code,is_default\n"
        "2026-01-01,admin,merge,91001,91003,1\n",
    )
    moves = {
        (m.old_code, m.new_code): m.count
        for m in plan_compute(later).moves
        if m.record_type == "res_means"
    }
    assert moves == {("91001", "91003"): 2}

    def where() -> dict[str, str]:
        return dict(TechnicalMeans.objects.values_list("registration", "commune__code"))

    assert plan_apply(later).counts["reserve_means"] == 2
    assert where() == {"24C-1": "91003", "24C-2": "91003", "24C-3": "91002"}
    assert plan_revert(later)["reserve_means"] == 2
    assert where() == {"24C-1": "91001", "24C-2": "91001", "24C-3": "91002"}
