from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command

from muster.accounts.models import User
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput
from muster.geo.models import AdminUnit, Succession
from muster.orgs.models import OrgUnit, Territory
from muster.people.models import Person, ResidencePeriod
from muster.restructure.apply import person_batch_apply, plan_apply, plan_revert
from muster.restructure.compute import plan_compute
from muster.restructure.models import MoveRecord, PlanStatus, SplitCase, SplitStatus
from muster.restructure.plans import builtin_plan_build
from muster.restructure.tests.support import LEGACY_END, REFORM, Small, build_small

pytestmark = pytest.mark.django_db


@pytest.fixture
def small() -> Small:
    return build_small()


def _residences(day: date) -> Counter[str]:
    return Counter(ResidencePeriod.objects.as_of(day).values_list("commune__code", flat=True))


def _state() -> list[list[tuple[object, ...]]]:
    persons: list[tuple[object, ...]] = list(
        Person.objects.order_by("id").values_list("id", "residence_commune_id")
    )
    periods: list[tuple[object, ...]] = list(
        ResidencePeriod.objects.order_by("person_id", "valid_from").values_list(
            "person_id", "commune_id", "valid_from", "valid_to"
        )
    )
    users: list[tuple[object, ...]] = list(
        User.objects.order_by("id").values_list("id", "jurisdiction_id")
    )
    return [persons, periods, users]


def test_gaps_are_those_of_the_units_the_plan_moves_records_to(small):
    # A ward with nobody in it, continued by a commune whose command has no commander, and a
    # command of another province with none either: the plan names them, moves nothing there.
    ward = AdminUnit.objects.create(
        edition="legacy", level="commune", code="90005", name="Xã Vắng", short_name="Vắng",
        unit_type="Xã", parent=small.legacy["901"], valid_to=LEGACY_END, search_key="xa vang",
    )  # fmt: skip
    quiet = AdminUnit.objects.create(
        edition="2025", level="commune", code="91004", name="Xã Vắng", short_name="Vắng",
        unit_type="Xã", parent=small.new["91"], valid_from=REFORM, search_key="xa vang",
    )  # fmt: skip
    Succession.objects.create(
        predecessor=ward, successor=quiet, effective_on=REFORM, kind="continued", is_default=True
    )
    command = OrgUnit.objects.create(
        code="BCHQS-X-91004", name="Ban Chỉ huy Quân sự xã Vắng", kind="commune_command",
        parent=small.area, valid_from=REFORM,
    )  # fmt: skip
    Territory.objects.create(org_unit=command, admin_unit=quiet, valid_from=REFORM)
    summary = plan_compute(builtin_plan_build())
    codes = {g.unit_code for g in summary.gaps}
    assert "BCHQS-X-91004" not in codes
    assert "91004" not in codes
    # The plan's own: the commune receiving a person with no command, commands it hands work to.
    assert {"91003", "BCHQS-X-91002", "PTKV-91-1", "huyen"} <= codes


def test_compute_coverage_moves_splits_gaps(small):
    plan = builtin_plan_build()
    summary = plan_compute(plan)
    assert summary.covered
    moves = {(m.record_type, m.old_code, m.new_code): m.count for m in summary.moves}
    assert moves == {
        ("person", "90001", "91001"): 2,
        ("person", "90002", "91002"): 1,
        ("person", "90003", "91002"): 1,
        ("person", "90004", "91002"): 1,
        ("person", "90004", "91003"): 1,
        ("user", "BCHQS-H-901", "PTKV-91-1"): 1,
    }
    assert summary.split_persons == 2
    assert summary.split_open == 1
    cases = {c.person_id: c for c in SplitCase.objects.all()}
    matched = cases[small.persons["dong_tl"].pk]
    assert matched.proposed_commune == small.new["91003"]
    assert matched.confidence >= 0.8
    assert matched.status == SplitStatus.ACCEPTED
    assert matched.evidence["matched"] == "91003"
    unsure = cases[small.persons["dong_5"].pk]
    assert unsure.proposed_commune == small.new["91002"]
    assert unsure.confidence < 0.8
    assert unsure.status == SplitStatus.OPEN
    assert unsure.evidence["default"] == "91002"
    gaps = {(g.kind, g.unit_code) for g in summary.gaps}
    assert ("commune_without_command", "91003") in gaps
    assert ("command_without_commander", "BCHQS-X-91002") in gaps
    assert ("command_without_commander", "BCHQS-X-91001") not in gaps
    assert ("jurisdiction_lost", "huyen") in gaps
    area_gap = next(g for g in summary.gaps if g.unit_code == "PTKV-91-1")
    assert area_gap.data["candidates"][0]["name"] == "Trần Văn Huyện"
    # Computing changed no registry record.
    assert Person.objects.filter(residence_commune__edition="legacy").count() == 6


def test_orphan_listed(small):
    plan = builtin_plan_build()
    plan.steps.filter(old_code="90003").delete()
    summary = plan_compute(plan, record_cases=False)
    assert [(o.code, o.records) for o in summary.orphans] == [("90003", 1)]


def test_apply_refused_with_open_cases(small):
    plan = builtin_plan_build()
    plan_compute(plan)
    with pytest.raises(InvalidInput, match="PLAN_SPLITS_OPEN"):
        plan_apply(plan)
    assert not MoveRecord.objects.exists()


def test_apply_moves_persons_with_history(small):
    before = Counter(Person.objects.values_list("residence_commune__code", flat=True))
    plan = builtin_plan_build()
    plan_compute(plan)
    case = SplitCase.objects.get(status=SplitStatus.OPEN)
    case.status, case.decided_commune = SplitStatus.CHANGED, small.new["91003"]
    case.save()
    result = plan_apply(plan, batch_size=4)
    assert (result.persons, result.batches, result.users) == (6, 2, 1)
    assert _residences(LEGACY_END) == before  # a count as of 2025-06-30 is what it was
    after = Counter(Person.objects.values_list("residence_commune__code", flat=True))
    assert after == {"91001": 2, "91002": 2, "91003": 2}
    assert _residences(REFORM) == after
    assert User.objects.get(username="huyen").jurisdiction == small.area
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPLIED
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions.count("restructure.plan.batch_applied") == 2
    assert "restructure.plan.applied" in actions
    # Applying twice is a no-op.
    again = plan_apply(plan)
    assert again.already_applied
    assert again.persons == 0
    assert MoveRecord.objects.filter(record_type="person").count() == 6


def test_killed_after_one_batch_then_rerun_reaches_the_same_end(small):
    plan = builtin_plan_build()
    plan_compute(plan)
    # What an uninterrupted run ends with, from a copy of the decisions.
    SplitCase.objects.filter(status=SplitStatus.OPEN).update(
        status=SplitStatus.ACCEPTED, decided_commune=small.new["91002"]
    )
    # The first batch commits, then the process dies.
    from muster.restructure.apply import _mapping_build
    from muster.restructure.resolve import plan_resolve

    _mapping_build(plan, plan_resolve(plan))
    assert person_batch_apply(plan, batch_size=2) == 2
    assert Person.objects.filter(residence_commune__edition="legacy").count() == 4
    result = plan_apply(plan, batch_size=2)
    assert result.persons == 4
    assert Person.objects.filter(residence_commune__edition="legacy").count() == 0
    # Every person has exactly one open period, in their new commune.
    open_periods = dict(
        ResidencePeriod.objects.filter(valid_to__isnull=True).values_list("person_id", "commune_id")
    )
    assert open_periods == dict(Person.objects.values_list("id", "residence_commune_id"))
    assert ResidencePeriod.objects.filter(valid_from=REFORM).count() == 6


def test_revert_restores_and_reapply_works(small):
    plan = builtin_plan_build()
    plan_compute(plan)
    start = _state()
    plan_apply(plan, accept_proposals=True)
    assert _state() != start
    counts = plan_revert(plan)
    assert counts["persons"] == 6
    assert counts["users"] == 1
    assert _state() == start
    plan.refresh_from_db()
    assert plan.status == PlanStatus.REVERTED
    with pytest.raises(InvalidInput):
        plan_revert(plan)
    assert plan_apply(plan, accept_proposals=True).persons == 6


def test_revert_refused_when_a_later_plan_is_applied(small):
    from muster.restructure.plans import csv_plan_load

    plan = builtin_plan_build()
    plan_apply(plan, accept_proposals=True)
    later = csv_plan_load(
        key="next",
        text="effective_on,unit_type,kind,old_code,new_code,is_default\n"
        "2026-01-01,admin,merge,91003,91002,1\n",
    )
    plan_apply(later)
    with pytest.raises(InvalidInput, match="next"):
        plan_revert(plan)
    plan_revert(later)
    plan_revert(plan)


def test_cli_plan_apply_revert(small, capsys):
    call_command("restructure", "plan", "vn-2025")
    out = capsys.readouterr().out
    assert "every affected unit has a successor" in out
    assert "1 open for review" in out
    call_command("restructure", "apply", "vn-2025", "--accept-proposals")
    assert "6 persons" in capsys.readouterr().out
    call_command("restructure", "apply", "vn-2025")
    assert "already applied" in capsys.readouterr().out
    call_command("restructure", "revert", "vn-2025")
    assert "reverted" in capsys.readouterr().out
