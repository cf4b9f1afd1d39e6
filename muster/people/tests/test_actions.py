"""Writes validate every field, respect scope and leave an audit row with before/after."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from muster.accounts.actions import user_create
from muster.accounts.models import Role
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput, NotFound, PermissionDenied
from muster.people import actions
from muster.people.models import Person, ResidencePeriod


def person_input(**overrides: Any) -> actions.PersonInput:
    values: dict[str, Any] = {
        "personal_id": "001200000123",
        "full_name": "  Nguyễn   Văn An ",
        "sex": "M",
        "birth_date": date(2000, 5, 17),
        "residence_commune_code": "00001",
        "address": "Số 1 Phố Huế",
    }
    values.update(overrides)
    return actions.PersonInput(**values)


def test_create_writes_person_residence_and_audit(world):
    person = actions.person_create(data=person_input(), acting_user=world.staff[0])
    assert (person.full_name, person.search_key, person.given_key) == (
        "Nguyễn Văn An",
        "nguyen van an",
        "an nguyen van",
    )
    assert person.id_warnings == ""
    period = ResidencePeriod.objects.get(person=person)
    assert (period.commune_id, period.valid_from, period.valid_to) == (
        world.communes[0].pk,
        None,
        None,
    )
    event = AuditEvent.objects.filter(action="people.person.created").get()
    assert event.commune_code == "00001"
    assert event.actor == world.staff[0]
    assert event.data["after"]["personal_id"] == "001200000123"
    assert event.data["after"]["birth_date"] == "2000-05-17"


def test_create_stores_id_warnings_without_refusing(world):
    person = actions.person_create(
        data=person_input(sex="F", birth_date=date(2001, 1, 1)), acting_user=world.staff[0]
    )
    assert person.id_warnings == "ID_SEX_MISMATCH;ID_BIRTH_YEAR_MISMATCH"


def test_create_lists_every_bad_field(world):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(InvalidInput) as exc:
        actions.person_create(
            data=person_input(
                personal_id="12345",
                full_name="   ",
                sex="X",
                birth_date=tomorrow,
                residence_commune_code="99999",
                life_status="dead",
                died_on=None,
            ),
            acting_user=world.staff[0],
        )
    fields = {e.field for e in exc.value.errors}
    assert fields == {
        "personal_id",
        "full_name",
        "sex",
        "birth_date",
        "died_on",
        "residence_commune_code",
    }
    assert not Person.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="people.").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"birth_date": date(1899, 12, 31)}, "birth_date"),
        ({"died_on": date(2020, 1, 1)}, "died_on"),  # alive with a death date
        ({"life_status": "dead", "died_on": date(1999, 1, 1)}, "died_on"),  # before birth
        ({"personal_id": "00120000012a"}, "personal_id"),
    ],
)
def test_create_date_and_id_rules(world, overrides, field):
    with pytest.raises(InvalidInput) as exc:
        actions.person_create(data=person_input(**overrides), acting_user=world.staff[0])
    assert [e.field for e in exc.value.errors] == [field]


def test_create_out_of_scope_commune_is_refused(world):
    with pytest.raises(PermissionDenied):
        actions.person_create(
            data=person_input(residence_commune_code="00002"), acting_user=world.staff[0]
        )


def test_create_refuses_a_duplicate_id(world):
    actions.person_create(data=person_input(), acting_user=world.admin)
    with pytest.raises(InvalidInput) as exc:
        actions.person_create(data=person_input(), acting_user=world.admin)
    assert exc.value.errors[0].field == "personal_id"


def test_auditor_cannot_write(world):
    auditor = user_create(
        username="auditor",
        password="pw-kiem-tra-2025",
        role=Role.AUDITOR,
        jurisdiction=world.commands[0],
        acting_user=None,
    )
    with pytest.raises(PermissionDenied):
        actions.person_create(data=person_input(), acting_user=auditor)


def test_update_audits_before_and_after_of_changed_fields(world):
    person = actions.person_create(data=person_input(), acting_user=world.staff[0])
    actions.person_update(
        person=person,
        changes={"full_name": "Nguyễn Văn Ân", "address": "Số 1 Phố Huế", "phone": "0912345678"},
        acting_user=world.staff[0],
    )
    person.refresh_from_db()
    assert (person.search_key, person.given_key) == ("nguyen van an", "an nguyen van")
    event = AuditEvent.objects.filter(action="people.person.updated").get()
    assert event.data == {
        "before": {"full_name": "Nguyễn Văn An", "phone": ""},
        "after": {"full_name": "Nguyễn Văn Ân", "phone": "0912345678"},
    }
    assert event.commune_code == "00001"


def test_update_without_change_writes_nothing(world):
    person = actions.person_create(data=person_input(), acting_user=world.staff[0])
    actions.person_update(person=person, changes={"sex": "M"}, acting_user=world.staff[0])
    assert not AuditEvent.objects.filter(action="people.person.updated").exists()


def test_update_recomputes_id_warnings(world):
    person = actions.person_create(data=person_input(), acting_user=world.staff[0])
    actions.person_update(
        person=person, changes={"birth_date": date(2001, 5, 17)}, acting_user=world.staff[0]
    )
    person.refresh_from_db()
    assert person.id_warnings == "ID_BIRTH_YEAR_MISMATCH"


def test_move_closes_and_opens_residence_periods(world):
    person = actions.person_create(data=person_input(), acting_user=world.admin)
    actions.person_update(
        person=person,
        changes={"residence_commune_code": "00002", "address": "Số 9"},
        acting_user=world.admin,
    )
    today = timezone.localdate()
    periods = ResidencePeriod.objects.filter(person=person).order_by("id")
    assert list(periods.values_list("commune__code", "valid_from", "valid_to")) == [
        ("00001", None, today - timedelta(days=1)),
        ("00002", today, None),
    ]
    event = AuditEvent.objects.filter(action="people.person.updated").get()
    assert event.data["before"]["residence_commune_code"] == "00001"
    assert event.data["after"]["residence_commune_code"] == "00002"
    assert event.commune_code == "00002"


def test_person_move_by_the_commune_he_leaves(world):
    """MSL Art. 17(2)(a): the commune he leaves records the move, to a commune outside its
    jurisdiction; the residence history changes on the day of the move."""
    person = actions.person_create(data=person_input(), acting_user=world.staff[0])
    moved_on = timezone.localdate() - timedelta(days=3)
    with pytest.raises(PermissionDenied):  # the receiving commune may not record it
        actions.person_move(
            person=person,
            to_commune_code="00002",
            address="",
            moved_on=moved_on,
            acting_user=world.staff[1],
        )
    moved, left = actions.person_move(
        person=person,
        to_commune_code="00002",
        address="Số 9",
        moved_on=moved_on,
        acting_user=world.staff[0],
    )
    assert (left.code, moved.residence_commune.code, moved.address) == ("00001", "00002", "Số 9")
    periods = ResidencePeriod.objects.filter(person=person).order_by("id")
    assert list(periods.values_list("commune__code", "valid_from", "valid_to")) == [
        ("00001", None, moved_on - timedelta(days=1)),
        ("00002", moved_on, None),
    ]
    event = AuditEvent.objects.filter(action="people.person.updated").get()
    assert (event.actor, event.commune_code, event.data["moved_on"]) == (
        world.staff[0],
        "00001",
        moved_on.isoformat(),
    )


@pytest.mark.parametrize(
    ("code", "day_offset", "error"),
    [
        ("00001", -1, "MOVE_SAME_COMMUNE"),
        ("99999", -1, "COMMUNE_NOT_2025"),
        ("00002", 1, "DATE_IN_FUTURE"),
    ],
)
def test_person_move_refused_on_its_field(world, code, day_offset, error):
    person = actions.person_create(data=person_input(), acting_user=world.staff[0])
    with pytest.raises(InvalidInput, match=error):
        actions.person_move(
            person=person,
            to_commune_code=code,
            address="",
            moved_on=timezone.localdate() + timedelta(days=day_offset),
            acting_user=world.staff[0],
        )
    assert Person.objects.get(pk=person.pk).residence_commune.code == "00001"


def test_update_out_of_scope_person_is_not_found(world):
    person = actions.person_create(data=person_input(), acting_user=world.staff[0])
    with pytest.raises(NotFound):
        actions.person_update(person=person, changes={"phone": "1"}, acting_user=world.staff[1])


def test_update_refuses_unknown_and_key_fields(world):
    person = actions.person_create(data=person_input(), acting_user=world.staff[0])
    with pytest.raises(InvalidInput) as exc:
        actions.person_update(
            person=person,
            changes={"personal_id": "001200000999", "search_key": "x"},
            acting_user=world.staff[0],
        )
    assert {e.field for e in exc.value.errors} == {"personal_id", "search_key"}


def test_death_needs_a_date(world):
    person = actions.person_create(data=person_input(), acting_user=world.staff[0])
    with pytest.raises(InvalidInput) as exc:
        actions.person_update(
            person=person, changes={"life_status": "dead"}, acting_user=world.staff[0]
        )
    assert [e.field for e in exc.value.errors] == ["died_on"]
    actions.person_update(
        person=person,
        changes={"life_status": "dead", "died_on": date(2024, 1, 2)},
        acting_user=world.staff[0],
    )
    person.refresh_from_db()
    assert person.died_on == date(2024, 1, 2)


def test_fact_record(world):
    person = actions.person_create(data=person_input(), acting_user=world.staff[0])
    fact = actions.person_fact_record(
        person=person,
        kind="education_level",
        value="12/12",
        recorded_on=date(2025, 8, 1),
        source="Phiếu khai",
        acting_user=world.staff[0],
    )
    event = AuditEvent.objects.filter(action="people.fact.recorded").get()
    assert event.target_id == str(fact.pk)
    assert event.data["value"] == "12/12"
    assert event.commune_code == "00001"
    with pytest.raises(InvalidInput) as exc:
        actions.person_fact_record(
            person=person,
            kind="religion",
            value="",
            recorded_on=timezone.localdate() + timedelta(days=3),
            source="",
            acting_user=world.staff[0],
        )
    assert {e.field for e in exc.value.errors} == {"kind", "value", "recorded_on", "source"}
    with pytest.raises(NotFound):
        actions.person_fact_record(
            person=person,
            kind="occupation",
            value="x",
            recorded_on=date(2025, 1, 1),
            source="y",
            acting_user=world.staff[1],
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("full_name", "Nguyễn Văn \u202eAn"),
        ("full_name", "\x1b]8;;http://evil.example\x07An"),
        ("full_name", "Ngu\u200byễn An"),
        ("address", "Số 1\x00"),
        ("ethnicity", "Kinh\u2066"),
        ("household_id", "\ufeffHK1"),
        ("phone", "0912\x7f"),
    ],
)
def test_text_no_record_may_hold_is_refused(world, field, value):
    """Issue #13 finding 7: control, bidirectional and zero-width characters (people.rules)."""
    with pytest.raises(InvalidInput) as exc:
        actions.person_create(data=person_input(**{field: value}), acting_user=world.staff[0])
    assert [(e.field, e.code) for e in exc.value.errors] == [(field, "TEXT_FORBIDDEN_CHARACTER")]
    assert not Person.objects.exists()
    person = actions.person_create(data=person_input(), acting_user=world.staff[0])
    changes: dict[str, Any] = {field: value}
    with pytest.raises(InvalidInput):
        actions.person_update(person=person, changes=changes, acting_user=world.staff[0])


def test_a_fact_with_a_control_character_is_refused(world):
    person = actions.person_create(data=person_input(), acting_user=world.staff[0])
    with pytest.raises(InvalidInput) as exc:
        actions.person_fact_record(
            person=person,
            kind="occupation",
            value="Thợ\x1bmộc",
            recorded_on=date(2025, 1, 1),
            source="Khai báo\u202e",
            acting_user=world.staff[0],
        )
    assert [e.field for e in exc.value.errors] == ["value", "source"]
