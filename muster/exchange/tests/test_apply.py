"""apply_event: each event type's effect on the registry and the worklists, its errors, and
re-application changing nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import World, build_world
from muster.audit.models import AuditEvent
from muster.conscription.actions.records import registration_record, registration_remove
from muster.conscription.models import Registration
from muster.core.errors import InvalidInput
from muster.exchange.apply import ApplyOutcome, apply_event
from muster.exchange.events import EventType, FeedEvent
from muster.militia.actions import militia_join
from muster.people.models import Person, ResidencePeriod
from muster.people.tests.factories import make_person
from muster.reserve.actions import reserve_enter
from muster.reserve.rules import ReserveEntry
from muster.worklists import hooks, queries, settle
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind

PRODUCER = "popreg-sandbox"
YEAR = timezone.localdate().year
COHORT = date(YEAR - 17, 6, 15)  # turns 17 this year
ADULT = date(YEAR - 30, 6, 15)
PAST_SERVICE_AGE = date(YEAR - 50, 6, 15)
PID = "099200001111"


@pytest.fixture
def world(db) -> World:
    return build_world()


_seq = iter(range(1, 10**6))


def event(kind: str, data: dict[str, Any], pid: str = PID, seq: int | None = None) -> FeedEvent:
    return FeedEvent(
        sequence=seq or next(_seq),
        type=kind,
        personal_id=pid,
        occurred_on=timezone.localdate() - timedelta(days=2),
        data=data,
    )


def added(**overrides: Any) -> FeedEvent:
    data: dict[str, Any] = {
        "full_name": "Trần Văn Nam",
        "sex": "M",
        "birth_date": COHORT.isoformat(),
        "ethnicity": "Kinh",
        "residence_commune_code": "99001",
        "address": "Thôn 1",
        "household_id": "HH1",
        "life_status": "alive",
        "died_on": "",
    }
    data.update(overrides)
    return event(EventType.PERSON_ADDED, data)


def items(kind: str | None = None) -> list[tuple[str, str, bool]]:
    qs = WorkItem.objects.order_by("kind", "commune__code")
    if kind:
        qs = qs.filter(kind=kind)
    return [(i.kind, i.commune.code, i.resolved_at is None) for i in qs]


def register(personal_id: str = PID, on: date | None = None) -> Registration:
    """His first registration, recorded through the conscription action (system)."""
    person = Person.objects.get(personal_id=personal_id)
    return registration_record(
        person=person,
        registered_on=on or timezone.localdate() - timedelta(days=10),
        kind="first",
        education_level="",
        occupation="",
        acting_user=None,
    )


def errors_of(exc: pytest.ExceptionInfo[InvalidInput]) -> dict[str, str]:
    """Field → `CODE: wording` (the params shown in the wording)."""
    return {e.field: f"{e.code}: {e.message}" for e in exc.value.errors}


# --- person.added ----------------------------------------------------------------------------


def test_added_creates_the_person_and_a_due_item_for_a_man_turning_17(world):
    outcome = apply_event(added(), producer=PRODUCER)
    assert outcome.applied
    assert "due for first registration" in outcome.detail
    person = Person.objects.get(personal_id=PID)
    assert (person.full_name, person.residence_commune.code, person.source) == (
        "Trần Văn Nam",
        "99001",
        "popreg",
    )
    assert ResidencePeriod.objects.filter(person=person).count() == 1
    assert items() == [(Kind.DUE_FIRST_REGISTRATION, "99001", True)]
    created = AuditEvent.objects.get(action="people.person.created")
    assert created.actor is None
    assert created.actor_label == "system"
    applied = AuditEvent.objects.get(action="exchange.event.applied")
    assert applied.data["producer"] == PRODUCER
    assert applied.commune_code == "99001"


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"birth_date": PAST_SERVICE_AGE.isoformat()}, "past service age"),
        ({"sex": "F"}, "woman"),
        ({"life_status": "dead", "died_on": timezone.localdate().isoformat()}, "dead"),
    ],
)
def test_added_without_due_item(world, overrides, why):
    assert apply_event(added(**overrides), producer=PRODUCER).applied, why
    assert items() == [], why


def test_added_man_of_service_age_never_registered_is_due(world):
    outcome = apply_event(added(birth_date=ADULT.isoformat()), producer=PRODUCER)
    assert "due for first registration" in outcome.detail
    assert items() == [(Kind.DUE_FIRST_REGISTRATION, "99001", True)]


def test_added_twice_identical_is_a_no_op(world):
    apply_event(added(), producer=PRODUCER)
    again = apply_event(added(), producer=PRODUCER)
    assert again == ApplyOutcome(False, "already in the registry with the same data")
    assert Person.objects.count() == 1
    assert WorkItem.objects.count() == 1
    assert AuditEvent.objects.filter(action="exchange.event.applied").count() == 1


def test_added_for_an_existing_id_with_other_data_is_refused(world):
    apply_event(added(), producer=PRODUCER)
    with pytest.raises(InvalidInput) as exc:
        apply_event(added(full_name="Trần Văn Bắc", address="Thôn 2"), producer=PRODUCER)
    assert "address, full_name" in errors_of(exc)["personal_id"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"residence_commune_code": "12345"}, "residence_commune_code"),
        ({"birth_date": "2009-02-30"}, "birth_date"),
        ({"birth_date": 20090101}, "birth_date"),
        ({"sex": "X"}, "sex"),
        ({"full_name": "   "}, "full_name"),
        ({"life_status": "missing"}, "life_status"),
        ({"phone": "0900"}, "phone"),
    ],
)
def test_added_with_bad_data_is_refused_and_writes_nothing(world, overrides, field):
    with pytest.raises(InvalidInput) as exc:
        apply_event(added(**overrides), producer=PRODUCER)
    assert field in errors_of(exc)
    assert not Person.objects.exists()
    assert not WorkItem.objects.exists()
    assert not AuditEvent.objects.exists()


def test_added_without_required_fields(world):
    with pytest.raises(InvalidInput) as exc:
        apply_event(event(EventType.PERSON_ADDED, {"full_name": "An"}), producer=PRODUCER)
    assert set(errors_of(exc)) == {"sex", "birth_date", "residence_commune_code"}


# --- unknown persons -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        (EventType.PERSON_DIED, {"died_on": "2026-01-01"}),
        (EventType.PERSON_MOVED, {"residence_commune_code": "99002"}),
        (EventType.NAME_CHANGED, {"full_name": "Trần Văn Bắc"}),
        (EventType.FIELD_CORRECTED, {"birth_date": "2000-01-01"}),
    ],
)
def test_events_for_an_unknown_person_are_refused(world, kind, data):
    with pytest.raises(InvalidInput) as exc:
        apply_event(event(kind, data, pid="099999999999"), producer=PRODUCER)
    assert [(e.field, e.code) for e in exc.value.errors] == [
        ("personal_id", "PERSON_NOT_IN_REGISTRY")
    ]


# --- person.died -----------------------------------------------------------------------------


def test_died_on_a_register_opens_a_deceased_item_closed_by_the_removal(world):
    apply_event(added(birth_date=ADULT.isoformat()), producer=PRODUCER)
    registration = register()
    # Registered: his first-registration item closed itself (the page/import path).
    assert items() == [(Kind.DUE_FIRST_REGISTRATION, "99001", False)]
    closed: list[str] = []

    def closer(*, person, died_on, acting_user):
        closed.append(person.personal_id)
        return 1

    hooks.register_death_closer("test_closer", closer)
    try:
        died_on = timezone.localdate() - timedelta(days=3)
        death = event(EventType.PERSON_DIED, {"died_on": died_on.isoformat()})
        outcome = apply_event(death, producer=PRODUCER)
        assert outcome.applied
        assert "test_closer: 1 closed" in outcome.detail
        person = Person.objects.get(personal_id=PID)
        assert (person.life_status, person.died_on) == ("dead", died_on)
        assert items(Kind.DECEASED) == [(Kind.DECEASED, "99001", True)]
        item = WorkItem.objects.get(kind=Kind.DECEASED)
        assert item.due_on == timezone.localdate() + timedelta(days=5)
        assert item.detail == {"died_on": died_on.isoformat()}
        # The same event again: nothing new, the closers are not run twice.
        assert apply_event(death, producer=PRODUCER) == ApplyOutcome(False, "already applied")
        assert closed == [PID]
        assert WorkItem.objects.count() == 2
    finally:
        hooks.unregister_death_closer("test_closer")
    # The chairman's removal from the register (MSL Art. 19) is what the item asked for.
    registration_remove(
        registration=registration,
        removed_on=timezone.localdate(),
        reason="Chết",
        acting_user=None,
    )
    item = WorkItem.objects.get(kind=Kind.DECEASED)
    assert item.resolved_at is not None
    assert item.resolved_by is None
    assert "Removed from the military-service register" in item.resolution_note


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({}, "a boy of 17 not yet registered"),
        ({"sex": "F", "birth_date": date(YEAR - 70, 3, 1).isoformat()}, "a woman of 70"),
        ({"birth_date": date(YEAR - 8, 3, 1).isoformat()}, "a child"),
    ],
)
def test_died_off_every_register_opens_no_deceased_item(world, overrides, why):
    apply_event(added(**overrides), producer=PRODUCER)
    died_on = timezone.localdate() - timedelta(days=3)
    outcome = apply_event(
        event(EventType.PERSON_DIED, {"died_on": died_on.isoformat()}), producer=PRODUCER
    )
    assert outcome.applied, why
    assert not WorkItem.objects.filter(kind=Kind.DECEASED).exists(), why
    # The boy's first-registration item closed with the death.
    assert all(not is_open for _kind, _code, is_open in items()), why


def test_died_a_militia_member_his_roster_closes_and_so_does_the_item(world):
    person = make_person(world.communes[0], personal_id=PID, birth_date=ADULT)
    membership = militia_join(
        person=person,
        unit=world.commune_commands[0],
        joined_on=timezone.localdate() - timedelta(days=300),
        force_kind="in_place",
        acting_user=None,
    )
    died_on = timezone.localdate() - timedelta(days=1)
    apply_event(event(EventType.PERSON_DIED, {"died_on": died_on.isoformat()}), producer=PRODUCER)
    membership.refresh_from_db()
    assert membership.valid_to == died_on  # the militia app's death closer
    # On no register after his death, nothing is left to remove: the item closed itself.
    assert items(Kind.DECEASED) == [(Kind.DECEASED, "99001", False)]
    item = WorkItem.objects.get(kind=Kind.DECEASED)
    assert item.resolved_by is None
    assert item.resolution_note == settle.OFF_REGISTERS_AT_DEATH


def test_died_a_reservist_the_item_closes_itself(world):
    person = make_person(world.communes[0], personal_id=PID, birth_date=ADULT)
    reserve_enter(
        person=person,
        entry=ReserveEntry(1, "RES_CAT1_A"),
        entered_on=timezone.localdate() - timedelta(days=400),
        source="test",
        acting_user=None,
    )
    died_on = timezone.localdate()  # the day itself: he is on the register until it ends
    apply_event(event(EventType.PERSON_DIED, {"died_on": died_on.isoformat()}), producer=PRODUCER)
    assert items(Kind.DECEASED) == [(Kind.DECEASED, "99001", False)]


def test_died_a_militia_member_still_registered_keeps_the_item_until_the_removal(world):
    apply_event(added(birth_date=ADULT.isoformat()), producer=PRODUCER)
    registration = register()
    militia_join(
        person=Person.objects.get(personal_id=PID),
        unit=world.commune_commands[0],
        joined_on=timezone.localdate() - timedelta(days=300),
        force_kind="in_place",
        acting_user=None,
    )
    died_on = timezone.localdate() - timedelta(days=1)
    apply_event(event(EventType.PERSON_DIED, {"died_on": died_on.isoformat()}), producer=PRODUCER)
    # His registration is still in force: the removal (MSL Art. 19) is the staff's work.
    assert items(Kind.DECEASED) == [(Kind.DECEASED, "99001", True)]
    registration_remove(
        registration=registration, removed_on=timezone.localdate(), reason="Chết", acting_user=None
    )
    assert items(Kind.DECEASED) == [(Kind.DECEASED, "99001", False)]


def test_died_with_a_bad_date_is_refused(world):
    make_person(world.communes[0], personal_id=PID, birth_date=ADULT)
    with pytest.raises(InvalidInput) as exc:
        apply_event(event(EventType.PERSON_DIED, {"died_on": "yesterday"}), producer=PRODUCER)
    assert "died_on" in errors_of(exc)
    before_birth = (ADULT - timedelta(days=1)).isoformat()
    with pytest.raises(InvalidInput) as exc:
        apply_event(event(EventType.PERSON_DIED, {"died_on": before_birth}), producer=PRODUCER)
    assert "died_on" in errors_of(exc)
    assert Person.objects.get(personal_id=PID).life_status == "alive"


# --- person.moved ----------------------------------------------------------------------------


def test_moved_shows_on_both_communes_worklists(world):
    apply_event(added(birth_date=date(YEAR - 20, 2, 1).isoformat()), producer=PRODUCER)
    register()
    move = event(EventType.PERSON_MOVED, {"residence_commune_code": "99003", "address": "Xóm 5"})
    outcome = apply_event(move, producer=PRODUCER)
    assert outcome.applied
    assert "99001 → 99003" in outcome.detail
    person = Person.objects.get(personal_id=PID)
    assert (person.residence_commune.code, person.address) == ("99003", "Xóm 5")
    periods = ResidencePeriod.objects.filter(person=person).order_by("id")
    assert [
        (code, end is None) for code, end in periods.values_list("commune__code", "valid_to")
    ] == [
        ("99001", False),
        ("99003", True),
    ]
    assert items() == [
        (Kind.DUE_FIRST_REGISTRATION, "99001", False),  # registered before he moved
        (Kind.TRANSFER_IN, "99003", True),
        (Kind.TRANSFER_OUT, "99001", True),
    ]
    transfer_in = WorkItem.objects.get(kind=Kind.TRANSFER_IN)
    transfer_out = WorkItem.objects.get(kind=Kind.TRANSFER_OUT)
    assert transfer_in.person_id == transfer_out.person_id == person.pk
    assert transfer_in.detail["from"] == {"code": "99001", "name": "Xã Một1"}
    assert transfer_in.due_on is not None
    assert transfer_in.due_on > move.occurred_on

    # Each commune's staff sees its own side of the move.
    old_staff = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    new_staff = world.user("xa3", Role.COMMUNE_STAFF, world.commune_commands[2])
    assert [i.kind for i in queries.worklist_items(old_staff)] == [Kind.TRANSFER_OUT]
    assert [i.kind for i in queries.worklist_items(new_staff)] == [Kind.TRANSFER_IN]

    assert apply_event(move, producer=PRODUCER) == ApplyOutcome(False, "already applied")
    assert WorkItem.objects.count() == 3

    # Registered at the new commune: both sides of the transfer close themselves.
    register(on=timezone.localdate())
    assert items() == [
        (Kind.DUE_FIRST_REGISTRATION, "99001", False),
        (Kind.TRANSFER_IN, "99003", False),
        (Kind.TRANSFER_OUT, "99001", False),
    ]
    assert "transfer done" in WorkItem.objects.get(kind=Kind.TRANSFER_OUT).resolution_note


@pytest.mark.parametrize(
    ("birth_date", "sex", "why"),
    [
        (COHORT, "M", "a boy of 17 not yet registered: his due item follows him"),
        (date(YEAR - 9, 3, 1), "M", "a child"),
        (ADULT, "F", "a woman without registration"),
    ],
)
def test_moved_off_every_register_opens_no_transfer(world, birth_date, sex, why):
    apply_event(added(birth_date=birth_date.isoformat(), sex=sex), producer=PRODUCER)
    move = event(EventType.PERSON_MOVED, {"residence_commune_code": "99003"})
    assert apply_event(move, producer=PRODUCER).applied, why
    assert not WorkItem.objects.filter(kind__startswith="transfer").exists(), why
    assert set(items()) <= {(Kind.DUE_FIRST_REGISTRATION, "99003", True)}, why


def test_moved_within_the_commune_changes_only_the_address(world):
    make_person(world.communes[0], personal_id=PID, birth_date=ADULT)
    move = event(EventType.PERSON_MOVED, {"residence_commune_code": "99001", "address": "Xóm 9"})
    assert apply_event(move, producer=PRODUCER) == ApplyOutcome(True, "address changed")
    assert not WorkItem.objects.exists()


def test_moved_to_an_unknown_commune_is_refused(world):
    make_person(world.communes[0], personal_id=PID, birth_date=ADULT)
    move = event(EventType.PERSON_MOVED, {"residence_commune_code": "00000"})
    with pytest.raises(InvalidInput) as exc:
        apply_event(move, producer=PRODUCER)
    assert "residence_commune_code" in errors_of(exc)
    assert Person.objects.get(personal_id=PID).residence_commune.code == "99001"


# --- corrections -----------------------------------------------------------------------------


def test_birth_date_correction_out_of_the_cohort_withdraws_and_opens_a_review(world):
    apply_event(added(), producer=PRODUCER)
    fix = event(EventType.FIELD_CORRECTED, {"birth_date": date(YEAR - 16, 2, 1).isoformat()})
    outcome = apply_event(fix, producer=PRODUCER)
    assert "no longer due" in outcome.detail
    assert items() == [
        (Kind.DUE_FIRST_REGISTRATION, "99001", False),
        (Kind.REGISTER_CORRECTION, "99001", True),
    ]
    review = WorkItem.objects.get(kind=Kind.REGISTER_CORRECTION)
    assert review.detail["changed"] == {
        "birth_date": [COHORT.isoformat(), date(YEAR - 16, 2, 1).isoformat()]
    }
    assert (review.detail["due_before"], review.detail["due_after"]) == (True, False)
    assert apply_event(fix, producer=PRODUCER).applied is False
    assert WorkItem.objects.count() == 2

    # Corrected back: the withdrawn item opens again (a second review for the second fix).
    back = event(EventType.FIELD_CORRECTED, {"birth_date": COHORT.isoformat()})
    assert "now due" in apply_event(back, producer=PRODUCER).detail
    assert items(Kind.DUE_FIRST_REGISTRATION) == [(Kind.DUE_FIRST_REGISTRATION, "99001", True)]
    assert len(items(Kind.REGISTER_CORRECTION)) == 2


def test_sex_correction_into_the_cohort_opens_the_due_item(world):
    make_person(world.communes[1], "Trần Thị Nam", sex="F", personal_id=PID, birth_date=COHORT)
    outcome = apply_event(event(EventType.FIELD_CORRECTED, {"sex": "M"}), producer=PRODUCER)
    assert "now due" in outcome.detail
    assert items() == [
        (Kind.DUE_FIRST_REGISTRATION, "99002", True),
        (Kind.REGISTER_CORRECTION, "99002", True),
    ]


def test_name_change_of_a_reservist_age_man_opens_a_review_only(world):
    make_person(world.communes[0], personal_id=PID, birth_date=ADULT)
    outcome = apply_event(
        event(EventType.NAME_CHANGED, {"full_name": "Trần  Văn   Bắc"}), producer=PRODUCER
    )
    assert outcome.applied
    assert Person.objects.get(personal_id=PID).full_name == "Trần Văn Bắc"
    assert items() == [(Kind.REGISTER_CORRECTION, "99001", True)]


def test_correction_of_other_fields_or_for_the_elderly_opens_nothing(world):
    make_person(world.communes[0], personal_id=PID, birth_date=date(YEAR - 80, 1, 1))
    fix = event(EventType.FIELD_CORRECTED, {"birth_date": date(YEAR - 81, 1, 1).isoformat()})
    assert apply_event(fix, producer=PRODUCER).applied
    ethnic = event(EventType.FIELD_CORRECTED, {"ethnicity": "Tày"})
    assert apply_event(ethnic, producer=PRODUCER).applied
    assert not WorkItem.objects.exists()


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        (EventType.FIELD_CORRECTED, {"birth_date": "01/02/2009"}, "birth_date"),
        (EventType.FIELD_CORRECTED, {"sex": "Nam"}, "sex"),
        (EventType.FIELD_CORRECTED, {"residence_commune_code": "99002"}, "residence_commune_code"),
        (EventType.FIELD_CORRECTED, {}, "data"),
        (EventType.NAME_CHANGED, {"full_name": 7}, "full_name"),
        (EventType.NAME_CHANGED, {"sex": "F"}, "sex"),
    ],
)
def test_bad_corrections_are_refused(world, kind, data, field):
    make_person(world.communes[0], personal_id=PID, birth_date=ADULT)
    with pytest.raises(InvalidInput) as exc:
        apply_event(event(kind, data), producer=PRODUCER)
    assert field in errors_of(exc)
    assert not AuditEvent.objects.exists()


def test_unknown_type_and_missing_producer(world):
    with pytest.raises(InvalidInput):
        apply_event(event("person.vanished", {}), producer=PRODUCER)
    with pytest.raises(InvalidInput):
        apply_event(added(), producer="")
