"""Sensitive military-service data sealed at rest with keys kept apart from the database
(issue #13, finding 11): deferral grounds that reveal what the law does not publish and every
note, outcome codes that reveal a measurement (EXC_DRUG, HC3_*), evidence files; key
rotation. What stays in clear and why: docs/security.md."""

from __future__ import annotations

import os
from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from muster.accounts.models import Role
from muster.accounts.tests.factories import World, build_world
from muster.audit.models import AuditEvent
from muster.conscription.actions.records import (
    evidence_attach,
    ground_decision_record,
    health_exam_record,
    registration_record,
)
from muster.conscription.models import Evidence, GroundDecision, HealthExam
from muster.conscription.queries import evidence_content
from muster.conscription.queries.candidates import candidate_rows
from muster.conscription.rules import ruleset_on
from muster.core import keys
from muster.core.sealed import unseal_text
from muster.people.tests.factories import make_person

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
REFERENCE = date(2026, 2, 25)


@pytest.fixture
def key_folder(settings, tmp_path) -> Any:
    """A key folder of this test's own (rotation adds keys to it)."""
    settings.MUSTER_KEY_DIR = tmp_path / "keys"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MUSTER_KEY_DIR


@pytest.fixture
def world(db, key_folder) -> World:
    return build_world()


@pytest.fixture
def staff(world):
    return world.user("staff1", Role.COMMUNE_STAFF, world.commune_commands[0])


@pytest.fixture
def man(world, staff):
    person = make_person(world.communes[0], "Trần Văn Nam", birth_date=date(2007, 6, 1))
    registration_record(
        person=person, registered_on=date(2025, 4, 10), kind="first",
        education_level="grade_12", occupation="", acting_user=staff,
    )  # fmt: skip
    return person


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return str(cursor.fetchone()[0])


def sentence(man: Any, staff: Any) -> GroundDecision:
    return ground_decision_record(
        person=man, kind="deferral", ground_code="NR_SENTENCE", decided_on=date(2025, 9, 1),
        valid_until=None, decided_by="Tòa án", note="Án treo 24 tháng", acting_user=staff,
    )  # fmt: skip


def drug_exam(man: Any, staff: Any) -> HealthExam:
    return health_exam_record(
        person=man, examined_on=date(2025, 11, 20), board="", health_class=2,
        myopia_diopters=None, hyperopia=None, bmi=None, drug_addiction=True, notes="",
        acting_user=staff,
    )  # fmt: skip


def test_a_revealing_ground_and_the_note_are_sealed_in_the_table_and_the_audit(man, staff):
    decision = sentence(man, staff)
    stored_code = raw("conscription_grounddecision", "ground_code", decision.pk)
    stored_note = raw("conscription_grounddecision", "note", decision.pk)
    assert stored_code.startswith("S.k1.")
    assert stored_note.startswith("k1$gAAAAA")
    assert "Án treo" not in stored_note
    again = GroundDecision.objects.get(pk=decision.pk)
    assert (again.ground_code, again.note) == ("NR_SENTENCE", "Án treo 24 tháng")
    # Found by its code (the idempotent re-record) and not doubled.
    assert sentence(man, staff).pk == decision.pk
    assert GroundDecision.objects.filter(ground_code="NR_SENTENCE").count() == 1
    event = AuditEvent.objects.get(action="conscription.decision.recorded")
    assert "NR_SENTENCE" not in str(event.data)
    assert "Án treo" not in str(event.data)
    # A published ground (MSL Art. 41(4) lists) stays in clear: it is indexed and published.
    student = ground_decision_record(
        person=man, kind="deferral", ground_code="DEF_STUDENT", decided_on=date(2025, 9, 2),
        valid_until=None, decided_by="", note="", acting_user=staff,
    )  # fmt: skip
    assert raw("conscription_grounddecision", "ground_code", student.pk) == "DEF_STUDENT"


def test_a_revealing_outcome_code_is_sealed_and_the_candidate_list_still_reads_it(man, staff):
    exam = drug_exam(man, staff)
    stored = raw("conscription_healthexam", "outcome_codes", exam.pk)
    assert stored.startswith("HC2;S.k1.")
    assert "EXC_DRUG" not in stored
    assert HealthExam.objects.get(pk=exam.pk).outcome_codes == "HC2;EXC_DRUG"
    sentence(man, staff)
    (row,) = candidate_rows(
        communes=[man.residence_commune_id], reference=REFERENCE, rules=ruleset_on(REFERENCE)
    )
    assert row.status == "deferred"  # an Art. 13 bar comes before health
    assert row.reasons == ("NR_SENTENCE",)


def test_the_candidate_list_reads_sealed_outcome_codes(man, staff):
    drug_exam(man, staff)
    (row,) = candidate_rows(
        communes=[man.residence_commune_id], reference=REFERENCE, rules=ruleset_on(REFERENCE)
    )
    assert (row.status, row.reasons) == ("not_fit", ("HC2", "EXC_DRUG"))


def test_evidence_is_sealed_on_disk_0600_and_opened_only_by_the_download(man, staff, settings):
    decision = sentence(man, staff)
    evidence = evidence_attach(
        decision=decision, uploaded_file=SimpleUploadedFile("ban-an.pdf", PDF), acting_user=staff
    )
    path = evidence.file.path
    on_disk = open(path, "rb").read()  # noqa: SIM115 — read the file as an intruder would
    assert on_disk.startswith(b"MUSTER-SEALED-1 k1\n")
    assert b"%PDF" not in on_disk
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert evidence_content(evidence) == PDF


def test_the_key_is_kept_apart_from_the_database_and_not_derived_from_the_secret(
    man, staff, settings, key_folder
):
    decision = sentence(man, staff)
    settings.SECRET_KEY = "another secret entirely"
    assert GroundDecision.objects.get(pk=decision.pk).note == "Án treo 24 tháng"
    assert (key_folder / "data.keys").stat().st_mode & 0o777 == 0o600
    # Without the key ring nothing opens, whatever the secret.
    settings.MUSTER_DATA_KEYS = "k1:" + "A" * 43 + "="
    with pytest.raises(ValueError, match=r"does not verify|opens with no key"):
        GroundDecision.objects.get(pk=decision.pk)


def test_keys_rotate_re_encrypts_everything_resumably_and_audited(man, staff, settings):
    decision = sentence(man, staff)
    exam = drug_exam(man, staff)
    evidence = evidence_attach(
        decision=decision, uploaded_file=SimpleUploadedFile("a.pdf", PDF), acting_user=staff
    )
    before_code = raw("conscription_grounddecision", "ground_code", decision.pk)
    out = StringIO()
    call_command("keys", "rotate", "--new-key", stdout=out)
    assert "added data key k2" in out.getvalue()
    assert raw("conscription_grounddecision", "note", decision.pk).startswith("k2$")
    assert raw("conscription_grounddecision", "ground_code", decision.pk).startswith("S.k2.")
    assert raw("conscription_grounddecision", "ground_code", decision.pk) != before_code
    assert raw("conscription_healthexam", "outcome_codes", exam.pk).startswith("HC2;S.k2.")
    assert raw("conscription_healthexam", "sealed_details", exam.pk).startswith("k2$")
    assert open(Evidence.objects.get().file.path, "rb").read().startswith(b"MUSTER-SEALED-1 k2")  # noqa: SIM115
    assert evidence_content(evidence) == PDF
    again = GroundDecision.objects.get(pk=decision.pk)
    assert (again.ground_code, again.note) == ("NR_SENTENCE", "Án treo 24 tháng")
    (row,) = candidate_rows(
        communes=[man.residence_commune_id], reference=REFERENCE, rules=ruleset_on(REFERENCE)
    )
    assert row.reasons == ("NR_SENTENCE",)
    batches = AuditEvent.objects.filter(action="keys.data.reencrypted").count()
    assert batches >= 5
    assert AuditEvent.objects.filter(action="keys.data.added").count() == 1
    # A second run finds nothing older than k2.
    call_command("keys", "rotate", stdout=StringIO())
    assert AuditEvent.objects.filter(action="keys.data.reencrypted").count() == batches


def test_rows_of_the_first_release_in_clear_are_sealed_by_the_rotation(man, staff):
    decision = sentence(man, staff)
    exam = drug_exam(man, staff)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE conscription_grounddecision SET ground_code = 'NR_SENTENCE', note = 'clear'"
        )
        cursor.execute("UPDATE conscription_healthexam SET outcome_codes = 'HC2;EXC_DRUG'")
    assert GroundDecision.objects.get(pk=decision.pk).note == "clear"  # still read
    call_command("keys", "rotate", stdout=StringIO())
    assert raw("conscription_grounddecision", "ground_code", decision.pk).startswith("S.k1.")
    assert unseal_text(raw("conscription_grounddecision", "note", decision.pk)) == "clear"
    assert "EXC_DRUG" not in raw("conscription_healthexam", "outcome_codes", exam.pk)


def test_an_inline_key_ring_from_the_environment_is_used(man, staff, settings):
    ring = "k7:" + "B" * 43 + "="
    settings.MUSTER_DATA_KEYS = ring
    decision = sentence(man, staff)
    assert raw("conscription_grounddecision", "note", decision.pk).startswith("k7$")
    with pytest.raises(keys.KeyFileError, match="MUSTER_DATA_KEYS"):
        keys.data_key_add()


@override_settings()
def test_keys_status_names_what_is_not_under_the_newest_key(man, staff):
    sentence(man, staff)
    out = StringIO()
    call_command("keys", "status", stdout=out)
    assert "conscription_grounddecision.note: 0 not under k1" in out.getvalue()
