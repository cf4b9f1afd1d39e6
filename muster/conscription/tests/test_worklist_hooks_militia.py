"""The militia's work that military-service records settle or call for (conscription's item
closer and sources, MSL Art. 41(1)(h), 4(4)(a); DQTV Art. 9(1)(a))."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from muster.accounts.tests.factories import World, build_world
from muster.conscription.actions.records import ground_decision_record, registration_record
from muster.militia import actions as militia_actions
from muster.militia import actions_duty
from muster.militia.actions import defence_commune_set
from muster.militia.rules import CommuneFlags
from muster.people.tests.factories import make_person
from muster.worklists.bulk import work_items_sync
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def key_commune(world: World) -> None:
    """Commune 99001 is a key defence commune: it may form standing militia (DQTV Art. 15)."""
    defence_commune_set(
        commune=world.communes[0],
        flags=CommuneFlags(key_defence=True),
        valid_from=date(2025, 7, 1),
        acting_user=None,
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


def _open(kind: str) -> list[WorkItem]:
    return list(WorkItem.objects.filter(kind=kind, resolved_at__isnull=True))


def _decide(person, code: str, kind: str) -> None:
    ground_decision_record(
        person=person,
        kind=kind,
        ground_code=code,
        decided_on=TODAY,
        valid_until=None if kind == "completion" else TODAY + timedelta(days=700),
        decided_by="Chủ tịch UBND tỉnh",
        note="",
        acting_user=None,
    )


def test_deferral_decision_closes_the_proposal_and_a_leave_lists_the_mismatch(world):
    person = make_person(world.communes[0], birth_date=date(TODAY.year - 21, 2, 1))
    member = militia_actions.militia_join(
        person=person,
        unit=world.commune_commands[0],
        joined_on=TODAY - timedelta(days=20),
        force_kind="standing",
        acting_user=None,
    )
    [proposal] = _open(Kind.STANDING_DEFERRAL_PROPOSED)
    _decide(person, "DEF_STANDING_MILITIA", "deferral")
    proposal.refresh_from_db()
    assert proposal.resolved_at is not None
    assert "DEF_STANDING_MILITIA" in proposal.resolution_note
    assert _open(Kind.STANDING_DEFERRAL_MISMATCH) == []
    # Off the standing roster with the deferral still in force: listed for correction.
    militia_actions.militia_leave(
        membership=member, left_on=TODAY, reason="other", note="chuyển đi", acting_user=None
    )
    [mismatch] = _open(Kind.STANDING_DEFERRAL_MISMATCH)
    assert mismatch.person_id == person.pk


def test_april_registration_due_for_registered_18_year_olds(world):
    turning = make_person(world.communes[0], birth_date=date(TODAY.year - 18, 6, 1))
    unregistered = make_person(world.communes[0], birth_date=date(TODAY.year - 18, 7, 1))
    registration_record(
        person=turning,
        registered_on=date(TODAY.year - 1, 4, 10),
        kind="first",
        education_level="",
        occupation="",
        acting_user=None,
    )
    work_items_sync(person_ids=[turning.pk, unregistered.pk])
    [item] = _open(Kind.MILITIA_REGISTRATION)
    assert (item.person_id, item.due_on) == (turning.pk, date(TODAY.year, 4, 30))
    actions_duty.militia_registration_record(
        persons=[turning], registered_on=TODAY, acting_user=None
    )
    assert _open(Kind.MILITIA_REGISTRATION) == []
