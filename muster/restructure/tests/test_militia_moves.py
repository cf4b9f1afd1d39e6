"""Militia rosters through a plan: counted and gap-checked by compute, moved with history by
apply, put back by revert. The small world gets a legacy commune command per legacy ward."""

from __future__ import annotations

from datetime import date

import pytest

from muster.audit.models import AuditEvent
from muster.core.validity import valid_on
from muster.militia import actions
from muster.militia.models import MilitiaMembership
from muster.militia.rules import CommuneFlags
from muster.orgs.models import OrgKind, OrgUnit, Territory
from muster.restructure.apply import plan_apply, plan_revert
from muster.restructure.compute import plan_compute
from muster.restructure.models import MoveRecord
from muster.restructure.plans import builtin_plan_build, csv_plan_load
from muster.restructure.tests.support import LEGACY_END, REFORM, Small, build_small

pytestmark = pytest.mark.django_db
JOINED = date(2024, 5, 10)


@pytest.fixture
def small() -> Small:
    small = build_small()
    for code in ("90001", "90002", "90003", "90004"):
        ward = small.legacy[code]
        command = OrgUnit.objects.create(
            code=f"BCHQS-X-L-{code}",
            name=f"Ban CHQS {ward.name}",
            kind=OrgKind.COMMUNE_COMMAND,
            parent=small.district_command,
            valid_to=LEGACY_END,
        )
        Territory.objects.create(org_unit=command, admin_unit=ward, valid_to=LEGACY_END)
    return small


def join(small: Small, key: str, ward: str, kind: str = "in_place") -> MilitiaMembership:
    return actions.militia_join(
        person=small.persons[key],
        unit=OrgUnit.objects.get(code=f"BCHQS-X-L-{ward}"),
        joined_on=JOINED,
        force_kind=kind,
        acting_user=None,
    )


def target(code: str, size: int, valid_from: date | None = None) -> None:
    actions.militia_target_set(
        unit=OrgUnit.objects.get(code=code),
        size=size,
        valid_from=valid_from or date(2021, 1, 1),
        acting_user=None,
    )


@pytest.fixture
def rosters(small: Small) -> Small:
    join(small, "an1", "90001", "mobile")
    join(small, "an2", "90001")
    actions.defence_commune_set(  # standing militia stand in key defence communes only
        commune=small.legacy["90002"],
        flags=CommuneFlags(key_defence=True),
        valid_from=date(2021, 1, 1),
        acting_user=None,
    )
    join(small, "binh", "90002", "standing")
    join(small, "dong_5", "90004")
    target("BCHQS-X-L-90001", 3)
    target("BCHQS-X-L-90002", 1)
    target("BCHQS-X-L-90003", 1)
    return small


def _roster() -> list[tuple[object, ...]]:
    return list(
        MilitiaMembership.objects.order_by("id").values_list(
            "id", "person_id", "unit_id", "valid_from", "valid_to", "left_reason", "term_ends_on"
        )
    )


def _open_units() -> dict[str, str]:
    return dict(
        MilitiaMembership.objects.filter(valid_to__isnull=True).values_list(
            "person__full_name", "unit__code"
        )
    )


def test_compute_counts_moves_and_reports_militia_below_target(rosters):
    plan = builtin_plan_build()
    summary = plan_compute(plan)
    moves = {(m.old_code, m.new_code): m.count for m in summary.moves if m.record_type == "militia"}
    assert moves == {
        ("BCHQS-X-L-90001", "BCHQS-X-91001"): 2,
        ("BCHQS-X-L-90002", "BCHQS-X-91002"): 1,
        ("BCHQS-X-L-90004", "BCHQS-X-91002"): 1,
    }
    gaps = {g.unit_code: g for g in summary.gaps if g.kind == "militia_below_target"}
    # 91001 inherits 90001's target of 3 and gets its 2 members; 91002's 2 meet 1 + 1.
    assert set(gaps) == {"BCHQS-X-91001"}
    assert gaps["BCHQS-X-91001"].data == {
        "command": "BCHQS-X-91001",
        "target": 3,
        "members": 2,
        "inherited": True,
    }
    assert "set BCHQS-X-91001's own target" in gaps["BCHQS-X-91001"].fix
    assert gaps["BCHQS-X-91001"].commune_id == rosters.new["91001"].pk
    # A target of its own wins over the predecessors'.
    target("BCHQS-X-91002", 5, REFORM)
    gaps = {g.unit_code: g for g in plan_compute(plan).gaps if g.kind == "militia_below_target"}
    assert gaps["BCHQS-X-91002"].data["target"] == 5
    assert not gaps["BCHQS-X-91002"].data["inherited"]
    assert gaps["BCHQS-X-91002"].fix.startswith("select 3 more member(s)")
    assert MilitiaMembership.objects.filter(valid_to__isnull=True).count() == 4  # nothing moved


def test_a_roster_left_on_a_command_without_successor_is_an_orphan(rosters):
    join(rosters, "chi", "90003")
    plan = builtin_plan_build()
    plan.steps.filter(old_code="BCHQS-X-L-90003").delete()
    orphans = [(o.code, o.records) for o in plan_compute(plan, record_cases=False).orphans]
    assert orphans == [("BCHQS-X-L-90003", 1)]


def test_apply_moves_rosters_with_history_and_revert_restores_them(rosters):
    plan = builtin_plan_build()
    before = _roster()
    as_of_before = MilitiaMembership.objects.filter(valid_on(LEGACY_END)).count()
    plan_apply(plan, accept_proposals=True)
    assert _open_units() == {
        "Nguyễn Văn an1": "BCHQS-X-91001",
        "Nguyễn Văn an2": "BCHQS-X-91001",
        "Nguyễn Văn binh": "BCHQS-X-91002",
        "Nguyễn Văn dong_5": "BCHQS-X-91002",
    }
    assert MilitiaMembership.objects.filter(valid_on(LEGACY_END)).count() == as_of_before == 4
    assert MilitiaMembership.objects.filter(valid_on(REFORM)).count() == 4
    old = MilitiaMembership.objects.filter(unit__code__startswith="BCHQS-X-L-")
    assert set(old.values_list("valid_to", "left_reason")) == {(LEGACY_END, "transferred")}
    carried = MilitiaMembership.objects.get(person=rosters.persons["binh"], valid_from=REFORM)
    assert (carried.joined_on, carried.force_kind, carried.term_ends_on) == (
        JOINED,
        "standing",
        date(2026, 5, 9),
    )
    assert carried.left_on is None
    assert MoveRecord.objects.filter(record_type="militia").count() == 8
    event = AuditEvent.objects.get(action="restructure.plan.militia_moved")
    assert event.data["members"] == 4
    counts = plan_revert(plan)
    assert counts["militia"] == 4
    assert _roster() == before
    # Applying again after a revert moves them again.
    plan_apply(plan, accept_proposals=True)
    assert set(_open_units().values()) == {"BCHQS-X-91001", "BCHQS-X-91002"}


def test_revert_keeps_a_leave_recorded_after_the_change(rosters):
    plan = builtin_plan_build()
    plan_apply(plan, accept_proposals=True)
    carried = MilitiaMembership.objects.get(person=rosters.persons["an1"], valid_to__isnull=True)
    actions.militia_leave(
        membership=carried,
        left_on=date(2026, 2, 1),
        reason="deferred",
        ground_code="MDEF_STUDENT_OR_ABROAD",
        acting_user=None,
    )
    plan_revert(plan)
    [row] = MilitiaMembership.objects.filter(person=rosters.persons["an1"])
    assert row.unit.code == "BCHQS-X-L-90001"
    assert (row.valid_to, row.left_reason, row.ground_code) == (
        date(2026, 2, 1),
        "deferred",
        "MDEF_STUDENT_OR_ABROAD",
    )


def test_a_later_plan_repoints_a_membership_that_began_on_its_day(rosters):
    plan_apply(builtin_plan_build(), accept_proposals=True)
    on_91001 = OrgUnit.objects.get(code="BCHQS-X-91001")
    an1 = MilitiaMembership.objects.get(person=rosters.persons["an1"], valid_to__isnull=True)
    # an2 moves to the mobile platoon: one membership ends, another begins after the day.
    actions.militia_leave(
        membership=MilitiaMembership.objects.get(
            person=rosters.persons["an2"], valid_to__isnull=True
        ),
        left_on=date(2025, 12, 31),
        reason="other",
        note="Chuyển sang trung đội cơ động",
        acting_user=None,
    )
    late = actions.militia_join(
        person=rosters.persons["an2"],
        unit=on_91001,
        joined_on=date(2026, 1, 5),
        force_kind="mobile",
        acting_user=None,
    )
    later = csv_plan_load(
        key="next",
        text="effective_on,unit_type,kind,old_code,new_code,is_default\n"
        "2026-01-01,org,merge,BCHQS-X-91001,BCHQS-X-91002,1\n",
    )
    before = _roster()
    plan_apply(later)
    late.refresh_from_db()
    assert (late.unit.code, late.valid_from, late.valid_to) == (
        "BCHQS-X-91002",
        date(2026, 1, 5),
        None,
    )
    an1.refresh_from_db()
    assert (an1.valid_to, an1.left_reason) == (date(2025, 12, 31), "transferred")
    assert _open_units()["Nguyễn Văn an1"] == "BCHQS-X-91002"
    plan_revert(later)
    assert _roster() == before


@pytest.mark.postgres_only
def test_the_postgresql_fast_path_moves_rosters_too(rosters):
    # The fast path swaps the person table militia memberships point to.
    plan = builtin_plan_build()
    before = _roster()
    assert plan_apply(plan, accept_proposals=True, rewrite=True).rewrite
    assert set(_open_units().values()) == {"BCHQS-X-91001", "BCHQS-X-91002"}
    assert MilitiaMembership.objects.filter(valid_on(LEGACY_END)).count() == 4
    plan_revert(plan)
    assert _roster() == before


def test_militia_units_follow_their_command_with_the_leader_position(small):
    command = OrgUnit.objects.get(code="BCHQS-X-L-90001")
    unit = actions.militia_unit_create(
        command=command,
        name="Trung đội cơ động",
        echelon="platoon",
        force_kind="mobile",
        valid_from=date(2021, 1, 1),
        acting_user=None,
    )
    member = actions.militia_join(
        person=small.persons["an1"],
        unit=command,
        joined_on=JOINED,
        force_kind="mobile",
        militia_unit=unit,
        acting_user=None,
    )
    plan = builtin_plan_build()
    plan_apply(plan, accept_proposals=True)
    unit.refresh_from_db()
    assert (
        unit.command.code == "BCHQS-X-91001"
    )  # DQTV Art. 15: the unit stands under the new command
    assert unit.leader_position is not None
    assert unit.leader_position.org_unit_id == unit.command_id
    continued = MilitiaMembership.objects.get(person=member.person, valid_to__isnull=True)
    assert (continued.unit.code, continued.militia_unit) == ("BCHQS-X-91001", unit)
    assert AuditEvent.objects.filter(action="orgs.position.moved").count() == 1
    plan_revert(plan)
    unit.refresh_from_db()
    assert unit.command == command
    assert unit.leader_position is not None
    assert unit.leader_position.org_unit == command
