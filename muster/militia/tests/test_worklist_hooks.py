"""The militia's worklist items: each opened by its source and closed by the same rule as soon
as the roster changes, whichever action wrote it (militia.worklist_hooks; DQTV Art. 8, 9, 10,
13, 15; MSL Art. 41(1)(h), 4(4)(a))."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from muster.accounts.tests.factories import World
from muster.militia import actions, actions_duty
from muster.militia.actions import defence_commune_set
from muster.militia.models import MilitiaMembership
from muster.militia.rules import CommuneFlags, anniversary
from muster.people.models import Person
from muster.people.tests.factories import make_person
from muster.worklists.bulk import work_items_deferred, work_items_sync
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind
from muster.worklists.settle import work_items_settle

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


def _join(world: World, person: Person, joined_on: date, **kw: object) -> MilitiaMembership:
    return actions.militia_join(
        person=person,
        unit=world.commune_commands[0],
        joined_on=joined_on,
        force_kind=str(kw.pop("force_kind", "mobile")),
        acting_user=None,
        **kw,  # type: ignore[arg-type]
    )


def _open(kind: str) -> list[WorkItem]:
    return list(WorkItem.objects.filter(kind=kind, resolved_at__isnull=True))


def test_term_ending_opens_at_90_days_and_closes_on_extension(world):
    person = make_person(world.communes[0], birth_date=date(1995, 1, 1))
    # A 4-year term ending in 59 days (DQTV Art. 8(2)), kept since the command began.
    joined = anniversary(TODAY + timedelta(days=60), -4)
    member = MilitiaMembership.objects.create(
        person=person,
        unit=world.commune_commands[0],
        force_kind="mobile",
        joined_on=joined,
        term_years=4,
        term_ends_on=TODAY + timedelta(days=59),
        valid_from=date(2025, 7, 1),
    )
    work_items_sync(person_ids=[person.pk])
    [item] = _open(Kind.MILITIA_TERM_ENDING)
    assert (item.person_id, item.due_on, item.commune.code) == (
        person.pk,
        member.term_ends_on,
        "99001",
    )
    actions.militia_term_extend(
        membership=member, until=member.term_ends_on + timedelta(days=365), acting_user=None
    )
    assert _open(Kind.MILITIA_TERM_ENDING) == []
    item.refresh_from_db()
    assert item.resolved_by is None
    assert item.resolution_note


def test_age_limit_item_before_the_last_day_of_age_45(world):
    # A man turning 46 in 30 days: the last day of age 45 is in 29 days (DQTV Art. 8(1)).
    birthday = TODAY + timedelta(days=30)
    person = make_person(world.communes[0], birth_date=birthday.replace(year=birthday.year - 46))
    _join(world, person, TODAY - timedelta(days=100))
    [item] = _open(Kind.MILITIA_AGE_LIMIT)
    assert item.due_on == birthday - timedelta(days=1)
    assert _open(Kind.MILITIA_TERM_ENDING) == []  # the age limit speaks for both
    young = make_person(world.communes[0], birth_date=date(2000, 1, 1))
    _join(world, young, TODAY - timedelta(days=100))
    assert len(_open(Kind.MILITIA_AGE_LIMIT)) == 1


def test_below_target_on_the_unit_closes_when_filled_and_reopens(world):
    command = world.commune_commands[0]
    actions.militia_target_set(
        unit=command, size=1, valid_from=TODAY - timedelta(days=10), acting_user=None
    )
    [item] = _open(Kind.MILITIA_BELOW_TARGET)
    assert (item.person_id, item.org_unit_id, item.detail["target"]) == (None, command.pk, 1)
    member = _join(world, make_person(world.communes[0]), TODAY - timedelta(days=5))
    assert _open(Kind.MILITIA_BELOW_TARGET) == []
    actions.militia_leave(membership=member, left_on=TODAY, reason="moved", acting_user=None)
    assert [i.pk for i in _open(Kind.MILITIA_BELOW_TARGET)] == [item.pk]  # opened again


def test_standing_member_is_proposed_for_the_deferral_then_completion(world):
    person = make_person(world.communes[0], birth_date=date(TODAY.year - 22, 3, 1))
    member = _join(world, person, TODAY - timedelta(days=30), force_kind="standing")
    [item] = _open(Kind.STANDING_DEFERRAL_PROPOSED)
    assert item.detail["ground_code"] == "DEF_STANDING_MILITIA"
    # 24 months later the completion is proposed and the deferral's proposal closes.
    later = member.joined_on + timedelta(days=731)
    work_items_sync(person_ids=[person.pk], today=later)
    [done] = _open(Kind.STANDING_COMPLETION_PROPOSED)
    assert done.detail["ground_code"] == "DONE_STANDING_MILITIA_24M"
    assert _open(Kind.STANDING_DEFERRAL_PROPOSED) == []
    # A woman or a man past call-up age needs no deferral.
    older = make_person(world.communes[0], birth_date=date(TODAY.year - 35, 1, 1))
    _join(world, older, TODAY - timedelta(days=30), force_kind="standing")
    assert {i.person_id for i in _open(Kind.STANDING_DEFERRAL_PROPOSED)} == set()


def test_absence_opens_on_report_and_closes_on_return(world):
    member = _join(world, make_person(world.communes[0]), TODAY - timedelta(days=400))
    absence = actions_duty.militia_absence_report(
        membership=member,
        reported_on=TODAY,
        absent_from=TODAY - timedelta(days=10),
        absent_until=TODAY + timedelta(days=100),
        reason="đi làm ăn xa",
        acting_user=None,
    )
    [item] = _open(Kind.MILITIA_ABSENCE)
    assert item.key == f"absence-{absence.pk}"
    actions_duty.militia_absence_return(absence=absence, returned_on=TODAY, acting_user=None)
    assert _open(Kind.MILITIA_ABSENCE) == []


def test_leaving_closes_the_persons_items(world):
    person = make_person(world.communes[0], birth_date=date(TODAY.year - 22, 3, 1))
    member = _join(world, person, TODAY - timedelta(days=30), force_kind="standing")
    assert _open(Kind.STANDING_DEFERRAL_PROPOSED)
    actions.militia_leave(membership=member, left_on=TODAY, reason="moved", acting_user=None)
    assert _open(Kind.STANDING_DEFERRAL_PROPOSED) == []


def _items() -> set[tuple[str, int | None, int | None, bool]]:
    """Every item, open or closed, but the training shortfalls (any member of this world's
    command is short of the year's training: not what these tests are about)."""
    return {
        (i.kind, i.person_id, i.org_unit_id, i.resolved_at is None)
        for i in WorkItem.objects.exclude(kind=Kind.MILITIA_TRAINING_SHORT)
    }


def test_deferred_upkeep_runs_once_at_the_end_of_the_batch(world):
    command = world.commune_commands[0]
    young = make_person(world.communes[0], birth_date=date(TODAY.year - 22, 3, 1))
    birthday = TODAY + timedelta(days=30)
    old = make_person(world.communes[0], birth_date=birthday.replace(year=birthday.year - 46))
    with work_items_deferred():
        actions.militia_target_set(
            unit=command, size=3, valid_from=TODAY - timedelta(days=10), acting_user=None
        )
        _join(world, young, TODAY - timedelta(days=30), force_kind="standing")
        with work_items_deferred():  # an inner block leaves its upkeep to the outer one
            _join(world, old, TODAY - timedelta(days=100))
        assert _items() == set()  # nothing yet: the syncs were gathered
    assert _items() == {
        (Kind.MILITIA_BELOW_TARGET, None, command.pk, True),
        (Kind.STANDING_DEFERRAL_PROPOSED, young.pk, None, True),
        (Kind.MILITIA_AGE_LIMIT, old.pk, None, True),
    }


def test_deferred_upkeep_opens_nothing_the_batch_itself_settled(world):
    command = world.commune_commands[0]
    person = make_person(world.communes[0], birth_date=date(TODAY.year - 22, 3, 1))
    with work_items_deferred():
        # Below target after the first write, filled by the second: never on a worklist.
        actions.militia_target_set(
            unit=command, size=1, valid_from=TODAY - timedelta(days=10), acting_user=None
        )
        _join(world, person, TODAY - timedelta(days=30))
    assert _items() == set()
    # A settle of a few persons is gathered too: the item stays open until the block ends.
    standing = make_person(world.communes[0], birth_date=date(TODAY.year - 21, 3, 1))
    squad = _join(world, standing, TODAY - timedelta(days=30), force_kind="standing")
    assert (Kind.STANDING_DEFERRAL_PROPOSED, standing.pk, None, True) in _items()
    with work_items_deferred():
        actions.militia_leave(membership=squad, left_on=TODAY, reason="moved", acting_user=None)
        assert work_items_settle(person_ids=[standing.pk]).closed == 0
        assert (Kind.STANDING_DEFERRAL_PROPOSED, standing.pk, None, True) in _items()
    assert (Kind.STANDING_DEFERRAL_PROPOSED, standing.pk, None, False) in _items()


def _failing_batch(world: World, person: Person) -> None:
    with work_items_deferred():
        _join(world, person, TODAY - timedelta(days=30), force_kind="standing")
        raise RuntimeError("the batch stops")


def test_deferred_upkeep_is_dropped_when_the_batch_fails(world):
    person = make_person(world.communes[0], birth_date=date(TODAY.year - 22, 3, 1))
    with pytest.raises(RuntimeError):
        _failing_batch(world, person)
    assert _items() == set()  # its caller's transaction rolls the joins back; a rerun syncs
