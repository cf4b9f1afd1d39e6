"""Registration, examination, decision and evidence actions: rules, scope, audit, idempotence."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone, translation

from muster.accounts.models import Role
from muster.accounts.tests.factories import World, build_world
from muster.audit.models import AuditEvent, ReadEvent
from muster.conscription.actions.records import (
    evidence_attach,
    ground_decision_record,
    ground_decision_revoke,
    health_exam_details,
    health_exam_record,
    registration_record,
    registration_remove,
)
from muster.conscription.models import Evidence, GroundDecision, HealthExam, Registration
from muster.conscription.queries import evidence_content
from muster.core.errors import InvalidInput, NotFound, PermissionDenied
from muster.people.tests.factories import make_person

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def staff(world):
    return world.user("staff1", Role.COMMUNE_STAFF, world.commune_commands[0])


@pytest.fixture
def man(world):
    return make_person(world.communes[0], "Trần Văn Nam", birth_date=date(2007, 6, 1))


def events(name: str) -> int:
    return AuditEvent.objects.filter(action=name).count()


def fields_of(exc: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {e.field for e in exc.value.errors}


def register(man: Any, staff: Any, **changes: Any) -> Any:
    values = {
        "person": man,
        "registered_on": date(2025, 4, 10),
        "kind": "first",
        "education_level": "grade_12",
        "occupation": "Học sinh",
        "acting_user": staff,
    } | changes
    return registration_record(**values)


# ── Registration ──────────────────────────────────────────────────────────────────────────


def test_man_registers_in_the_year_he_turns_17_at_his_commune(man, staff, world):
    young = make_person(world.communes[0], "Lê Văn Út", birth_date=date(2008, 12, 31))
    reg = register(young, staff, registered_on=date(2025, 1, 15))
    assert reg.commune_id == world.communes[0].pk
    assert reg.kind == "first"
    assert events("conscription.registration.recorded") == 1


def test_man_cannot_register_before_the_year_he_turns_17(world, staff):
    young = make_person(world.communes[0], "Lê Văn Út", birth_date=date(2009, 1, 1))
    with pytest.raises(InvalidInput) as exc:
        register(young, staff, registered_on=date(2025, 12, 31))
    assert fields_of(exc) == {"registered_on"}
    [error] = exc.value.errors
    assert (error.code, error.params) == ("REG_FIRST_AGE_MALE", {"year": 2026})
    with translation.override("en"):
        assert "2026" in error.message
        assert "Art. 12(1)" in error.message
    assert not Registration.objects.exists()


def test_women_register_as_female_from_18(world, staff):
    woman = make_person(world.communes[0], "Lê Thị Hoa", sex="F", birth_date=date(2007, 3, 1))
    for kind in ("first", "transfer"):
        with pytest.raises(InvalidInput) as exc:
            register(woman, staff, kind=kind)
        assert fields_of(exc) == {"kind"}
    with pytest.raises(InvalidInput) as exc:
        register(woman, staff, kind="female", registered_on=date(2025, 2, 28))
    assert fields_of(exc) == {"registered_on"}
    assert register(woman, staff, kind="female", registered_on=date(2025, 3, 1)).kind == "female"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"kind": "female"}, "kind"),
        ({"kind": "other"}, "kind"),
        ({"education_level": "grade_13"}, "education_level"),
        ({"occupation": "x" * 121}, "occupation"),
        ({"registered_on": timezone.localdate() + timedelta(days=1)}, "registered_on"),
    ],
)
def test_bad_registration_input_is_refused_naming_the_field(man, staff, changes, field):
    with pytest.raises(InvalidInput) as exc:
        register(man, staff, **changes)
    assert field in fields_of(exc)
    assert not Registration.objects.exists()


def test_registration_is_idempotent_and_updates_changed_values(man, staff):
    first = register(man, staff)
    again = register(man, staff)
    assert again.pk == first.pk
    assert events("conscription.registration.recorded") == 1
    changed = register(man, staff, occupation="Thợ hàn")
    assert changed.pk == first.pk
    assert changed.occupation == "Thợ hàn"
    event = AuditEvent.objects.filter(action="conscription.registration.recorded").last()
    assert event is not None
    assert event.data["before"]["occupation"] == "Học sinh"


def test_writers_need_the_person_in_scope_and_a_writer_role(man, world):
    outsider = world.user("other", Role.COMMUNE_STAFF, world.commune_commands[2])
    auditor = world.user("aud", Role.AUDITOR, world.commune_commands[0])
    with pytest.raises(NotFound):
        register(man, outsider)
    with pytest.raises(PermissionDenied):
        register(man, auditor)
    assert register(man, None).pk  # the system (an import)


def test_removal_needs_a_reason_and_is_audited(man, staff):
    reg = register(man, staff)
    with pytest.raises(InvalidInput) as exc:
        registration_remove(
            registration=reg, removed_on=date(2025, 5, 1), reason=" ", acting_user=staff
        )
    assert fields_of(exc) == {"removal_reason"}
    with pytest.raises(InvalidInput):
        registration_remove(
            registration=reg, removed_on=date(2025, 4, 1), reason="Chết", acting_user=staff
        )
    registration_remove(
        registration=reg, removed_on=date(2025, 5, 1), reason="Chết", acting_user=staff
    )
    reg.refresh_from_db()
    assert reg.removed_on == date(2025, 5, 1)
    assert events("conscription.registration.removed") == 1


# ── Health examinations ───────────────────────────────────────────────────────────────────


def examine(man: Any, staff: Any, **changes: Any) -> Any:
    values = {
        "person": man,
        "examined_on": date(2025, 11, 20),
        "board": "Hội đồng khám sức khỏe khu vực 1",
        "health_class": 3,
        "myopia_diopters": 2.0,
        "hyperopia": False,
        "bmi": 21.5,
        "drug_addiction": False,
        "notes": "Cận thị",
        "acting_user": staff,
    } | changes
    return health_exam_record(**values)


def test_exam_outcome_is_computed_and_the_details_sealed(man, staff):
    exam = examine(man, staff)
    assert exam.outcome_codes == "HC3;HC3_MYOPIA"
    assert exam.rules_version == "2025-07"
    assert "2.0" not in exam.sealed_details
    assert "Cận" not in exam.sealed_details
    event = AuditEvent.objects.get(action="conscription.health_exam.recorded")
    assert "myopia" not in str(event.data)
    # The revealing code is a keyed pseudonym in the audit trail as in the table.
    assert event.data["outcome"].startswith("HC3;S.k")
    assert "HC3_MYOPIA" not in str(event.data)
    assert examine(man, staff).pk == exam.pk
    assert events("conscription.health_exam.recorded") == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"health_class": 7}, "health_class"),
        ({"health_class": 0}, "health_class"),
        ({"myopia_diopters": -1.0}, "myopia_diopters"),
        ({"bmi": 250.0}, "bmi"),
        ({"examined_on": timezone.localdate() + timedelta(days=1)}, "examined_on"),
        ({"examined_on": date(2006, 1, 1)}, "examined_on"),
    ],
)
def test_bad_exam_input_is_refused(man, staff, changes, field):
    with pytest.raises(InvalidInput) as exc:
        examine(man, staff, **changes)
    assert field in fields_of(exc)
    assert not HealthExam.objects.exists()


def test_reading_the_details_is_logged_and_scoped(man, staff, world):
    exam = examine(man, staff)
    details = health_exam_details(exam=exam, user=staff)
    assert details["myopia_diopters"] == 2.0
    assert details["notes"] == "Cận thị"
    read = ReadEvent.objects.get(action="conscription.health_exam.viewed")
    assert read.actor == staff
    assert read.target_id == str(exam.pk)
    outsider = world.user("other", Role.COMMUNE_STAFF, world.commune_commands[2])
    with pytest.raises(NotFound):
        health_exam_details(exam=exam, user=outsider)


# ── Decisions ─────────────────────────────────────────────────────────────────────────────


def decide(person: Any, staff: Any, **changes: Any) -> Any:
    values = {
        "person": person,
        "kind": "deferral",
        "ground_code": "DEF_STUDENT",
        "decided_on": date(2025, 9, 1),
        "valid_until": date(2026, 6, 30),
        "decided_by": "Chủ tịch UBND tỉnh",
        "note": "",
        "acting_user": staff,
    } | changes
    return ground_decision_record(**values)


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"valid_until": date(2025, 8, 31)}, "valid_until", "DECISION_ENDS_BEFORE_DECIDED"),
        ({"ground_code": "EX_MARTYR_CHILD"}, "ground_code", "GROUND_KIND_MISMATCH"),
        ({"ground_code": "NOPE"}, "ground_code", "GROUND_UNKNOWN"),
        ({"kind": "pardon"}, "kind", "NOT_ONE_OF"),
        ({"decided_on": timezone.localdate() + timedelta(days=1), "valid_until": None}, "decided_on", "DATE_IN_FUTURE"),
    ],
)  # fmt: skip
def test_bad_decisions_are_refused(man, staff, changes, field, code):
    with pytest.raises(InvalidInput) as exc:
        decide(man, staff, **changes)
    assert (field, code) in {(e.field, e.code) for e in exc.value.errors}
    assert not GroundDecision.objects.exists()


def test_a_ground_must_apply_to_the_persons_sex_and_age(world, staff):
    woman = make_person(world.communes[0], "Lê Thị Hoa", sex="F", birth_date=date(2005, 3, 1))
    with pytest.raises(InvalidInput, match="GROUND_SEX"):
        decide(woman, staff)
    old = make_person(world.communes[0], "Lê Văn Già", birth_date=date(1990, 3, 1))
    with pytest.raises(InvalidInput, match="GROUND_AGE"):
        decide(old, staff)


def test_one_child_grounds_go_to_one_member_of_a_household(world, staff):
    brothers = [
        make_person(world.communes[0], name, birth_date=date(2004, 1, 1))
        for name in ("Lê Văn A", "Lê Văn B")
    ]
    for person in brothers:
        person.household_id = "HH-7"
        person.save()
    decide(brothers[0], staff, kind="exemption", ground_code="EX_MARTYR_SIBLING", valid_until=None)
    with pytest.raises(InvalidInput, match="GROUND_ONE_PER_FAMILY") as exc:
        decide(
            brothers[1], staff, kind="exemption", ground_code="EX_MARTYR_SIBLING", valid_until=None
        )
    assert brothers[0].personal_id in str(exc.value)


def test_decisions_are_idempotent_and_revocable(man, staff):
    decision = decide(man, staff)
    assert decide(man, staff).pk == decision.pk
    assert events("conscription.decision.recorded") == 1
    with pytest.raises(InvalidInput):
        ground_decision_revoke(
            decision=decision, revoked_on=date(2025, 9, 1), reason="x", acting_user=staff
        )
    ground_decision_revoke(
        decision=decision, revoked_on=date(2026, 1, 10), reason="Thôi học", acting_user=staff
    )
    decision.refresh_from_db()
    assert decision.valid_until == date(2026, 1, 9)
    assert "Thôi học" in decision.note
    assert events("conscription.decision.revoked") == 1


# ── Evidence ──────────────────────────────────────────────────────────────────────────────


def test_evidence_is_sniffed_sized_hashed_and_kept_once(man, staff, tmp_path):
    decision = decide(man, staff)
    with override_settings(MEDIA_ROOT=tmp_path):
        doc = evidence_attach(
            decision=decision,
            uploaded_file=SimpleUploadedFile("giay xac nhan.pdf", PDF, "text/plain"),
            acting_user=staff,
        )
        assert doc.content_type == "application/pdf"
        assert len(doc.sha256) == 64
        assert evidence_content(doc) == PDF  # sealed on disk (test_sealed_at_rest.py)
        again = evidence_attach(
            decision=decision, uploaded_file=SimpleUploadedFile("copy.pdf", PDF), acting_user=staff
        )
        assert again.pk == doc.pk
        with pytest.raises(InvalidInput, match="EVIDENCE_TYPE"):
            evidence_attach(
                decision=decision,
                uploaded_file=SimpleUploadedFile(
                    "x.pdf", b"<html>not a pdf</html>", "application/pdf"
                ),
                acting_user=staff,
            )
        with pytest.raises(InvalidInput, match="FILE_TOO_LARGE"):
            evidence_attach(
                decision=decision,
                uploaded_file=SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 2**20)),
                acting_user=staff,
            )
    assert Evidence.objects.count() == 1
    assert events("conscription.evidence.attached") == 1
