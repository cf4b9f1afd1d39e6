"""The engine and its participants (core.restructuring): the four registered, each audited once
per call, commands and territories moved and put back, and a newcomer joining through the
registry alone."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest

from muster.audit.models import AuditEvent
from muster.core.restructuring import (
    Journal,
    Participant,
    PlanCounts,
    participants,
    register_participant,
    unregister_participant,
)
from muster.militia import actions as militia_actions
from muster.orgs.models import OrgUnit, Territory
from muster.restructure.apply import plan_apply, plan_revert
from muster.restructure.compute import plan_compute
from muster.restructure.models import MoveRecord, Plan
from muster.restructure.plans import builtin_plan_build, csv_plan_load
from muster.restructure.tests.support import REFORM, Small, build_small

pytestmark = pytest.mark.django_db
NEXT_DAY = date(2026, 1, 1)
HEADER = "effective_on,unit_type,kind,old_code,new_code,is_default\n"


@pytest.fixture
def small() -> Small:
    return build_small()


def _actions() -> Counter[str]:
    return Counter(AuditEvent.objects.values_list("action", flat=True))


def _territories() -> list[tuple[Any, ...]]:
    return list(
        Territory.objects.order_by("id").values_list(
            "id", "org_unit__code", "admin_unit__code", "valid_from", "valid_to"
        )
    )


def _later(text: str) -> Plan:
    plan_apply(builtin_plan_build(), accept_proposals=True)
    return csv_plan_load(key="next", text=HEADER + text)


def test_the_participants_in_their_order():
    """Batched participants first, then the others by name (core.restructuring.participants):
    every app that keeps records tied to units is one."""
    order = [(p.name, p.batched) for p in participants()]
    assert order[0] == ("people", True)
    assert order[1:] == sorted(order[1:])
    assert {("accounts", False), ("cadres", False), ("militia", False), ("orgs", False)} <= set(
        order
    )

    people = participants()[0]
    assert people.rewrites == ("people_person", "people_residenceperiod")


def test_each_participant_audits_its_apply_and_revert_once(small):
    later = _later("2026-01-01,org,merge,BCHQS-X-91001,BCHQS-X-91002,1\n")
    militia_actions.militia_join(
        person=small.persons["an1"],
        unit=OrgUnit.objects.get(code="BCHQS-X-91001"),
        joined_on=date(2025, 8, 1),
        force_kind="in_place",
        acting_user=None,
    )
    before = _actions()
    plan_apply(later)
    applied = _actions() - before
    assert applied == {
        "restructure.plan.militia_moved": 1,
        "restructure.plan.territories_moved": 1,
        "restructure.plan.applied": 1,
    }
    event = AuditEvent.objects.get(action="restructure.plan.territories_moved")
    assert (event.target_type, event.target_id) == ("restructure.plan", str(later.pk))
    assert event.data["org_units"] == 1
    assert event.data["territories"] == 1
    before = _actions()
    counts = plan_revert(later)
    assert counts == {
        "persons": 0,
        "users": 0,
        "militia": 1,
        "org_units": 1,
        "territories": 1,
        "reserve_units": 0,
        "reserve_means": 0,
        "cadres": 0,
        "civildefence": 0,
    }
    assert _actions() - before == {
        "restructure.plan.militia_restored": 1,
        "restructure.plan.territories_restored": 1,
        "restructure.plan.reverted": 1,
    }


def test_the_first_plan_audits_persons_per_batch_and_users_once(small):
    plan_apply(builtin_plan_build(), accept_proposals=True, batch_size=4)
    actions = _actions()
    assert actions["restructure.plan.persons_moved"] == actions["restructure.plan.batch_applied"]
    assert actions["restructure.plan.persons_moved"] == 2
    assert actions["restructure.plan.jurisdictions_moved"] == 1
    plan_revert(Plan.objects.get(key="vn-2025"))
    assert _actions()["restructure.plan.persons_restored"] == 1
    assert _actions()["restructure.plan.jurisdictions_restored"] == 1


def test_a_command_closes_and_its_territories_follow_a_unit_then_come_back(small):
    """91001 merges into 91003: the commune command of 91001 (continuing) follows its commune
    to 91003 from the day; PTKV-91-1 already covers 91003, so nothing is added for it. Then the
    command itself merges into BCHQS-X-91002 in a third plan, and both revert."""
    later = _later("2026-01-01,admin,merge,91001,91003,1\n")
    before = _territories()
    result = plan_apply(later)
    assert (result.territories, result.org_units) == (3, 0)  # two closed, one carried over
    ended = {
        (org, admin): (start, end)
        for _id, org, admin, start, end in _territories()
        if end == date(2025, 12, 31)
    }
    assert set(ended) == {("BCHQS-X-91001", "91001"), ("PTKV-91-1", "91001")}
    carried = Territory.objects.get(org_unit__code="BCHQS-X-91001", valid_to__isnull=True)
    assert (carried.admin_unit.code, carried.valid_from) == ("91003", NEXT_DAY)
    assert carried.pk > max(row[0] for row in before)
    assert not Territory.objects.filter(
        org_unit__code="PTKV-91-1", admin_unit__code="91003", valid_from=NEXT_DAY
    ).exists()
    created = MoveRecord.objects.get(plan=later, record_type="territory", flags=1)
    assert (created.record_id, created.old_value, created.new_value) == (
        carried.pk,
        carried.org_unit_id,
        carried.admin_unit_id,
    )
    plan_revert(later)
    assert _territories() == before


def test_a_command_that_ends_is_closed_and_reopened(small):
    later = _later("2026-01-01,org,merge,BCHQS-X-91001,BCHQS-X-91002,1\n")
    plan_apply(later)
    command = OrgUnit.objects.get(code="BCHQS-X-91001")
    assert (command.valid_from, command.valid_to) == (REFORM, date(2025, 12, 31))
    assert not Territory.objects.filter(org_unit=command, valid_to__isnull=True).exists()
    plan_revert(later)
    command.refresh_from_db()
    assert command.valid_to is None
    assert Territory.objects.filter(org_unit=command, valid_to__isnull=True).count() == 1


class _Probe:
    """A newcomer: journals (without changing anything) each ending command's id."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int]] = []

    def plan(self, journal: Journal) -> PlanCounts:
        self.calls.append(("plan", journal.batch))
        return PlanCounts()

    def apply(self, journal: Journal, day: date, acting_user: Any) -> dict[str, int]:
        self.calls.append(("apply", journal.batch))
        assert day == journal.day
        assert journal.limit is None
        assert not journal.rewrite
        moved = journal.add(
            "probe",
            "SELECT old_id AS record_id, old_id AS old_value, new_id AS new_value, "
            f"0 AS flags FROM {journal.successors('org')} s",
        )
        return {"probes": moved}

    def revert(self, journal: Journal, acting_user: Any) -> dict[str, int]:
        self.calls.append(("revert", journal.batch))
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {journal.rows('probe')} j")
            return {"probes": int(cursor.fetchone()[0])}


def test_a_new_participant_joins_through_the_registry_alone(small):
    probe = _Probe()
    register_participant(
        Participant("probe", plan=probe.plan, apply=probe.apply, revert=probe.revert)
    )
    try:
        plan = builtin_plan_build()
        plan_compute(plan)
        result = plan_apply(plan, accept_proposals=True, batch_size=4)
        assert result.counts["probes"] == 2  # BCHQS-H-901 → PTKV-91-1, BCHQS-L-90 → BCHQS-91
        journaled = MoveRecord.objects.filter(plan=plan, record_type="probe")
        assert set(journaled.values_list("new_value", flat=True)) == {
            small.area.pk,
            OrgUnit.objects.get(code="BCHQS-91").pk,
        }
        counts = plan_revert(plan)
        assert counts["probes"] == 2
        assert not MoveRecord.objects.filter(plan=plan).exists()
        # Planned (batch 0), applied once after the persons' two batches, reverted.
        assert [c[0] for c in probe.calls] == ["plan", "apply", "revert"]
        assert probe.calls[1][1] == 3
    finally:
        unregister_participant("probe")
