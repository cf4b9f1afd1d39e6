"""Reserve units and their assignment through the actions: the law in the unit's fields
(LLDBĐV Art. 15(2)), a proposal approved by another person (two-person rule), history kept so
"who held the post on D" is an as-of query, pins, and a proposal gone stale refused."""

from __future__ import annotations

from datetime import date

import pytest

from muster.accounts.models import Role
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput, PermissionDenied
from muster.reserve import unit_actions
from muster.reserve.models_units import ProposalStatus, ReserveAssignment
from muster.reserve.queries import assigned_reserve_unit_on
from muster.reserve.tests.factories_units import DAY, post, province, reservist, unit

pytestmark = pytest.mark.django_db


def test_unit_spare_margin_and_fields_are_checked(world):
    with pytest.raises(InvalidInput) as caught:
        unit(world, "DBDV-1", [], spare_percent=20)
    assert [e.code for e in caught.value.errors] == ["RESERVE_UNIT_SPARE"]  # Art. 15(2)
    with pytest.raises(InvalidInput) as caught:
        unit_actions.reserve_unit_save(
            command=world.provincial,
            code="X",
            name="X",
            force="navy",
            role="combat",
            spare_percent=10,
            acting_user=None,
        )
    assert [e.code for e in caught.value.errors] == ["RESERVE_UNIT_FORCE"]
    made = unit(world, "DBDV-1", [("Xạ thủ", "INFANTRY", 3)])
    with pytest.raises(InvalidInput) as caught:
        unit_actions.reserve_post_save(
            unit=made, position="Lái xe", specialty="PILOT", min_rank="", count=1, acting_user=None
        )
    assert [e.code for e in caught.value.errors] == ["RESERVE_POST_SPECIALTY"]
    assert AuditEvent.objects.filter(action="reserve.unit.saved").count() == 1
    assert AuditEvent.objects.filter(action="reserve.post.saved").count() == 1


def test_commune_staff_may_not_keep_units(world):
    clerk = world.user("xa", Role.COMMUNE_STAFF, world.commune_commands[0])
    with pytest.raises(PermissionDenied):
        unit_actions.reserve_unit_save(
            command=world.provincial,
            code="DBDV-9",
            name="X",
            force="main",
            role="combat",
            spare_percent=10,
            acting_user=clerk,
        )


def test_proposal_needs_another_person_and_keeps_history(world):
    made = unit(world, "DBDV-1", [("Xạ thủ", "INFANTRY", 2)])
    near = reservist(world.communes[0], specialty="RECON", name="Lê Văn Gần")
    exact = [reservist(world.communes[1], name=f"Phạm Văn {n}") for n in ("Một", "Hai")]
    drafter = world.user("tinh-1", Role.PROVINCE_STAFF, world.provincial)
    approver = world.user("tinh-2", Role.PROVINCE_STAFF, world.provincial)
    where = province(world)
    proposal, solution = unit_actions.proposal_draft(province=where, day=DAY, acting_user=drafter)
    # Art. 16(1): the two exact specialties take the seats; spare margin 10 % of 2 → 1 seat.
    by_person = {p.person_id: (p.match, p.spare) for p in solution.placements}
    assert by_person == {
        exact[0].pk: ("exact", False),
        exact[1].pk: ("exact", False),
        near.pk: ("near", True),
    }
    with pytest.raises(InvalidInput) as caught:
        unit_actions.proposal_approve(province=where, proposal=proposal, acting_user=drafter)
    assert [e.code for e in caught.value.errors] == ["RESERVE_TWO_PERSON_RULE"]
    counts = unit_actions.proposal_approve(province=where, proposal=proposal, acting_user=approver)
    assert counts == {"assigned": 3, "kept": 0, "opened": 3, "closed": 0}
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.COMMITTED
    assert assigned_reserve_unit_on(exact[0].pk, DAY) == made.code
    assert assigned_reserve_unit_on(exact[0].pk, date(2026, 2, 28)) is None

    # A later proposal that drops one: the old row closes the day before, history stays.
    later = date(2026, 9, 1)
    second, _solution = unit_actions.proposal_draft(province=where, day=later, acting_user=drafter)
    unit_actions.proposal_pin(
        province=where, proposal=second, person=exact[1], post=None, acting_user=drafter
    )
    counts = unit_actions.proposal_approve(province=where, proposal=second, acting_user=approver)
    # exact[1] leaves; the near specialty moves from the spare seat into the establishment.
    assert counts == {"assigned": 2, "kept": 1, "opened": 1, "closed": 2}
    assert not ReserveAssignment.objects.get(person=near, valid_to__isnull=True).spare
    assert assigned_reserve_unit_on(exact[1].pk, date(2026, 8, 31)) == made.code
    assert assigned_reserve_unit_on(exact[1].pk, later) is None
    assert ReserveAssignment.objects.filter(person=exact[1]).count() == 1
    assert AuditEvent.objects.filter(action="reserve.assignments.committed").count() == 2


def test_pins_are_lawful_and_released(world):
    unit(world, "DBDV-1", [("Xạ thủ", "INFANTRY", 1)])
    young = reservist(world.communes[0], name="Võ Văn Trẻ")
    old = reservist(world.communes[0], born=date(1988, 1, 1), name="Võ Văn Già")
    drafter = world.user("tinh-1", Role.PROVINCE_STAFF, world.provincial)
    where = province(world)
    proposal, _solution = unit_actions.proposal_draft(province=where, day=DAY, acting_user=drafter)
    seat = post("DBDV-1", "Xạ thủ")
    with pytest.raises(InvalidInput) as caught:  # 38 in a combat unit: Art. 17(2) caps at 35
        unit_actions.proposal_pin(
            province=where, proposal=proposal, person=old, post=seat, acting_user=drafter
        )
    assert [e.code for e in caught.value.errors] == ["RESERVE_ASSIGN_AGE"]
    unit_actions.proposal_pin(
        province=where, proposal=proposal, person=young, post=None, acting_user=drafter
    )
    assert not proposal.rows.filter(person=young).exists()
    unit_actions.proposal_release(
        province=where, proposal=proposal, person=young, acting_user=drafter
    )
    assert proposal.rows.get(person=young).post == seat


def test_a_proposal_gone_stale_is_refused(world):
    unit(world, "DBDV-1", [("Xạ thủ", "INFANTRY", 1)])
    person = reservist(world.communes[0])
    drafter = world.user("tinh-1", Role.PROVINCE_STAFF, world.provincial)
    approver = world.user("tinh-2", Role.PROVINCE_STAFF, world.provincial)
    where = province(world)
    proposal, _solution = unit_actions.proposal_draft(province=where, day=DAY, acting_user=drafter)
    person.reserve_periods.update(valid_to=date(2026, 1, 1), left_reason="other")
    with pytest.raises(InvalidInput) as caught:
        unit_actions.proposal_approve(province=where, proposal=proposal, acting_user=approver)
    assert [e.code for e in caught.value.errors] == ["RESERVE_PROPOSAL_STALE"]
    assert not ReserveAssignment.objects.exists()
