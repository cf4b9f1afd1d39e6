"""Writes to a person's military-service records: registration (MSL Art. 12, 15–17, 19),
health examinations (MSL Art. 40; details sealed at rest), decisions on legal grounds (MSL
Art. 41) and their evidence documents. Each write is atomic and audited in its transaction.

`acting_user=None` is the system (a spreadsheet import, the demo); otherwise the user needs a
writer role and the person in their jurisdiction (out of it: NotFound, as for a missing record).
The row checks (`*_errors`) are shared with the imports so a file and a form refuse alike.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.conscription.models import (
    Evidence,
    GroundDecision,
    HealthExam,
    Registration,
    RegistrationKind,
    Source,
)
from muster.conscription.rules import callup as rules
from muster.conscription.rules.grounds import GROUNDS
from muster.core.errors import FieldError, InvalidInput, NotFound
from muster.core.sealed import seal, seal_bytes, unseal
from muster.core.text import nfc
from muster.people.models import Person
from muster.worklists.settle import work_items_settle

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Content sniffing: the first bytes decide the type, never the name or the browser's claim.
EVIDENCE_TYPES = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
)
# Sane ranges of the measurements (a typing error, not a medical judgement).
MYOPIA_RANGE = (0.0, 30.0)
BMI_RANGE = (10.0, 60.0)
TEXT_LIMITS = {"occupation": 120, "board": 200, "decided_by": 200, "notes": 2000, "note": 2000}


def at_rest_ground(code: str) -> str:
    """A ground code as stored (a sealed ground's pseudonym), for the audit trail and work
    items: the audit log must not hold in clear what the record seals."""
    return GroundDecision._meta.get_field("ground_code").sealed.store(code)


def at_rest_outcome(codes: str) -> str:
    """An examination's outcome codes as stored (sealed codes as pseudonyms)."""
    return HealthExam._meta.get_field("outcome_codes").sealed.store_list(codes)


def _writer_check(user: User | None, person: Person) -> None:
    """Role and jurisdiction of the acting user; None is the system (import, demo)."""
    if not permissions.covers(user, commune_id=person.residence_commune_id):
        raise NotFound("PERSON_NOT_FOUND", {"personal_id": person.personal_id})
    permissions.require(user, "callup.records.edit")


def _text(value: str | None, field: str, errors: list[FieldError]) -> str:
    # Notes keep their line breaks; one-line fields fold runs of white space.
    text = (
        unicodedata.normalize("NFC", value or "").strip() if field == "notes" else nfc(value or "")
    )
    if len(text) > TEXT_LIMITS[field]:
        errors.append(FieldError(field, "TOO_LONG", {"limit": TEXT_LIMITS[field]}))
    return text


def _not_future(day: date, field: str, today: date, errors: list[FieldError]) -> None:
    if day > today:
        errors.append(FieldError(field, "DATE_IN_FUTURE", {"day": day}))


# ── Registration ───────────────────────────────────────────────────────────────────────────


def registration_errors(
    *, sex: str, birth_date: date, registered_on: date, kind: str, education_level: str, today: date
) -> list[FieldError]:
    """Why a registration cannot be recorded (empty: it can).

    Men register from the year they turn 17 (MSL Art. 12(1); the January list of Art. 16(1)),
    as kind "first" or, after a move, "transfer" (Art. 17(2)(a)); women only under Art. 12(2),
    from age 18 and as kind "female". Education levels are those of `rules.EDUCATION_LEVELS`.
    """
    errors: list[FieldError] = []
    if kind not in RegistrationKind.values:
        errors.append(FieldError("kind", "NOT_ONE_OF", {"choices": RegistrationKind.values}))
    _not_future(registered_on, "registered_on", today, errors)
    if sex == "M":
        if kind == RegistrationKind.FEMALE:
            errors.append(FieldError("kind", "REG_FEMALE_KIND_FOR_WOMEN"))
        elif registered_on.year < birth_date.year + 17:
            errors.append(
                FieldError("registered_on", "REG_FIRST_AGE_MALE", {"year": birth_date.year + 17})
            )
    elif sex == "F":
        if kind != RegistrationKind.FEMALE:
            errors.append(FieldError("kind", "REG_FEMALE_KIND"))
        elif rules.age_on(birth_date, registered_on) < 18:
            errors.append(FieldError("registered_on", "REG_FEMALE"))
    else:
        errors.append(FieldError("person", "REG_SEX_UNKNOWN", {"value": sex}))
    if education_level and education_level not in rules.EDUCATION_LEVELS:
        errors.append(
            FieldError("education_level", "NOT_ONE_OF", {"choices": rules.EDUCATION_LEVELS})
        )
    return errors


def _registration_snapshot(reg: Registration) -> dict[str, Any]:
    return {
        "kind": reg.kind,
        "registered_on": reg.registered_on.isoformat(),
        "commune": reg.commune_id,
        "education_level": reg.education_level,
        "occupation": reg.occupation,
    }


@transaction.atomic
def registration_record(
    *,
    person: Person,
    registered_on: date,
    kind: str,
    education_level: str,
    occupation: str,
    acting_user: User | None,
    source: str = Source.MANUAL,
) -> Registration:
    """Record a registration at the person's residence commune (MSL Art. 12, 15–17).

    Idempotent on (person, registered_on): the same values again change nothing; other values
    update the record (and are audited with before and after).
    """
    _writer_check(acting_user, person)
    errors = registration_errors(
        sex=person.sex,
        birth_date=person.birth_date,
        registered_on=registered_on,
        kind=kind,
        education_level=education_level,
        today=timezone.localdate(),
    )
    occupation = _text(occupation, "occupation", errors)
    if errors:
        raise InvalidInput(errors)
    reg = Registration.objects.select_for_update().filter(
        person=person, registered_on=registered_on
    ).first() or Registration(person=person, registered_on=registered_on, source=source)
    before = _registration_snapshot(reg) if reg.pk else None
    reg.kind, reg.education_level, reg.occupation = kind, education_level, occupation
    reg.commune_id = reg.commune_id or person.residence_commune_id
    after = _registration_snapshot(reg)
    if before == after:
        return reg
    reg.save()
    audit.record(
        "conscription.registration.recorded",
        actor=acting_user,
        target=reg,
        data={"person": person.personal_id, "before": before, "after": after, "source": source},
        commune_code=person.residence_commune.code,
    )
    work_items_settle(person_ids=[person.pk])  # e.g. his first-registration item is done
    return reg


@transaction.atomic
def registration_remove(
    *, registration: Registration, removed_on: date, reason: str, acting_user: User | None
) -> Registration:
    """Remove a person from the register with the reason (death, over age, MSL Art. 13/14
    cases), decided by the commune chairman (MSL Art. 19 as amended by L98 Art. 4(7))."""
    person = registration.person
    _writer_check(acting_user, person)
    errors: list[FieldError] = []
    reason = nfc(reason or "")
    if not reason:
        errors.append(FieldError("removal_reason", "REQUIRED"))
    elif len(reason) > 200:
        errors.append(FieldError("removal_reason", "TOO_LONG", {"limit": 200}))
    _not_future(removed_on, "removed_on", timezone.localdate(), errors)
    if removed_on < registration.registered_on:
        errors.append(FieldError("removed_on", "REG_REMOVED_BEFORE_REGISTERED"))
    if registration.removed_on is not None and (
        registration.removed_on != removed_on or registration.removal_reason != reason
    ):
        errors.append(FieldError("removed_on", "REG_ALREADY_REMOVED"))
    if errors:
        raise InvalidInput(errors)
    if registration.removed_on is not None:
        return registration  # the same removal again changes nothing
    registration.removed_on, registration.removal_reason = removed_on, reason
    registration.save(update_fields=["removed_on", "removal_reason"])
    audit.record(
        "conscription.registration.removed",
        actor=acting_user,
        target=registration,
        # The reason is sealed with the record (it may name an Art. 13/14 case).
        data={
            "person": person.personal_id,
            "on": removed_on.isoformat(),
            "reason_chars": len(reason),
        },
        commune_code=person.residence_commune.code,
    )
    work_items_settle(person_ids=[person.pk])  # e.g. the removal his death called for
    return registration


# ── Health examination ─────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ExamInput:
    """One examination's result as entered or imported (None: not measured / unknown)."""

    examined_on: date
    health_class: int
    myopia_diopters: float | None = None
    hyperopia: bool | None = None
    bmi: float | None = None
    drug_addiction: bool | None = None


def exam_errors(exam: ExamInput, *, birth_date: date, today: date) -> list[FieldError]:
    """Why an examination cannot be recorded: class 1–6 (Circular 105/2023 Art. 5–6), sane
    measurements, a date neither in the future nor before birth, rules in force that day."""
    errors: list[FieldError] = []
    if not 1 <= exam.health_class <= 6:
        errors.append(
            FieldError("health_class", "HEALTH_CLASS_RANGE", {"value": exam.health_class})
        )
    _not_future(exam.examined_on, "examined_on", today, errors)
    if exam.examined_on < birth_date:
        errors.append(FieldError("examined_on", "DATE_BEFORE_BIRTH"))
    elif exam.examined_on < rules.RULESETS[0].effective_from:
        errors.append(
            FieldError("examined_on", "CALLUP_RULES_NOT_IN_FORCE", {"day": exam.examined_on})
        )
    for name, value, (low, high) in (
        ("myopia_diopters", exam.myopia_diopters, MYOPIA_RANGE),
        ("bmi", exam.bmi, BMI_RANGE),
    ):
        if value is not None and not low <= value <= high:
            errors.append(FieldError(name, "BETWEEN", {"low": f"{low:g}", "high": f"{high:g}"}))
    return errors


def exam_outcome_of(exam: ExamInput) -> tuple[str, str]:
    """(outcome codes joined by ";", rules version) under the rules in force on the date."""
    ruleset = rules.ruleset_on(exam.examined_on)
    facts = rules.ExamFacts(
        health_class=exam.health_class,
        myopia_diopters=exam.myopia_diopters,
        hyperopia=exam.hyperopia,
        bmi=exam.bmi,
        drug_addiction=exam.drug_addiction,
    )
    return ";".join(rules.exam_outcome(facts, ruleset)), ruleset.version


def exam_details(exam: ExamInput, notes: str) -> dict[str, Any]:
    """The sensitive part of an examination, as sealed."""
    return {
        "myopia_diopters": exam.myopia_diopters,
        "hyperopia": exam.hyperopia,
        "bmi": exam.bmi,
        "drug_addiction": exam.drug_addiction,
        "notes": notes,
    }


@transaction.atomic
def health_exam_record(
    *,
    person: Person,
    examined_on: date,
    board: str,
    health_class: int,
    myopia_diopters: float | None,
    hyperopia: bool | None,
    bmi: float | None,
    drug_addiction: bool | None,
    notes: str,
    acting_user: User | None,
    source: str = Source.MANUAL,
) -> HealthExam:
    """Record one examination by a health examination council (MSL Art. 40).

    The class and the outcome codes (`rules.exam_outcome` under the rules in force on the
    examination date) are kept in clear; measurements and notes are sealed at rest and never
    written to the audit log. Idempotent on (person, examined_on).
    """
    _writer_check(acting_user, person)
    exam = ExamInput(examined_on, health_class, myopia_diopters, hyperopia, bmi, drug_addiction)
    errors = exam_errors(exam, birth_date=person.birth_date, today=timezone.localdate())
    board = _text(board, "board", errors)
    notes = _text(notes, "notes", errors)
    if errors:
        raise InvalidInput(errors)
    outcome, version = exam_outcome_of(exam)
    details = exam_details(exam, notes)
    row = (
        HealthExam.objects.select_for_update()
        .filter(person=person, examined_on=examined_on)
        .first()
    )
    if row is not None and (
        (row.board, row.health_class, row.outcome_codes, row.rules_version)
        == (board, health_class, outcome, version)
        and unseal(row.sealed_details) == details
    ):
        return row
    created = row is None
    row = row or HealthExam(person=person, examined_on=examined_on, source=source)
    row.board, row.health_class = board, health_class
    row.outcome_codes, row.rules_version = outcome, version
    row.sealed_details = seal(details)
    row.save()
    audit.record(
        "conscription.health_exam.recorded",
        actor=acting_user,
        target=row,
        data={
            "person": person.personal_id,
            "examined_on": examined_on.isoformat(),
            "health_class": health_class,
            "outcome": at_rest_outcome(outcome),
            "rules_version": version,
            "created": created,
            "source": source,
        },
        commune_code=person.residence_commune.code,
    )
    return row


def health_exam_details(*, exam: HealthExam, user: User, channel: str = "web") -> dict[str, Any]:
    """The sealed measurements and notes of an examination the user may see; the read is
    logged (sensitive health data, PDP Law 2025; docs/decisions/0005)."""
    if not permissions.covers(user, commune_id=exam.person.residence_commune_id):
        raise NotFound("EXAM_NOT_FOUND", {"id": exam.pk})
    details = unseal(exam.sealed_details)
    audit.record_read("conscription.health_exam.viewed", actor=user, target=exam, channel=channel)
    return details


# ── Decisions on legal grounds ─────────────────────────────────────────────────────────────


def family_holder(
    *, person: Person, code: str, decided_on: date, valid_until: date | None
) -> Person | None:
    """Another member of the person's household holding a "one child / one brother" ground
    over an overlapping period (MSL Art. 41(2)(b)-(c), 41(1)(c)); None when the ground is not
    such a ground or the household is not known."""
    ground = GROUNDS.get(code)
    if ground is None or not ground.one_per_family or not person.household_id:
        return None
    overlap = Q(valid_until__isnull=True) | Q(valid_until__gte=decided_on)
    if valid_until is not None:
        overlap &= Q(decided_on__lte=valid_until)
    other = (
        GroundDecision.objects.filter(
            overlap, ground_code=code, person__household_id=person.household_id
        )
        .exclude(person=person)
        .select_related("person")
        .first()
    )
    return other.person if other else None


def family_error(code: str, holder: Person) -> FieldError:
    return FieldError(
        "ground_code", "GROUND_ONE_PER_FAMILY", {"ground": code, "holder": holder.personal_id}
    )


def _decision_snapshot(decision: GroundDecision) -> dict[str, Any]:
    """What the audit trail keeps of a decision: a sealed ground as its pseudonym, the sealed
    note as its length (the record itself holds both, sealed)."""
    return {
        "kind": decision.kind,
        "ground_code": at_rest_ground(decision.ground_code),
        "decided_on": decision.decided_on.isoformat(),
        "valid_until": decision.valid_until.isoformat() if decision.valid_until else None,
        "decided_by": decision.decided_by,
        "note_chars": len(decision.note),
    }


@transaction.atomic
def ground_decision_record(
    *,
    person: Person,
    kind: str,
    ground_code: str,
    decided_on: date,
    valid_until: date | None,
    decided_by: str,
    note: str,
    acting_user: User | None,
    source: str = Source.MANUAL,
) -> GroundDecision:
    """Record a deferral, exemption or completion decided on one coded ground (MSL Art. 41,
    13–14, 4(4)); decided by the provincial chairman since 1 July 2025 (Art. 42(1) as amended).

    `rules.ground_problem` checks kind, sex, age and dates; a "one child / one brother" ground
    is refused when another member of the household holds it (Art. 41(2)). Idempotent on
    (person, ground_code, decided_on).
    """
    _writer_check(acting_user, person)
    errors: list[FieldError] = []
    problem = rules.ground_problem(
        code=ground_code,
        kind=kind,
        sex=person.sex,
        birth_date=person.birth_date,
        decided_on=decided_on,
        valid_until=valid_until,
    )
    if problem:
        errors.append(problem)
    _not_future(decided_on, "decided_on", timezone.localdate(), errors)
    decided_by = _text(decided_by, "decided_by", errors)
    note = _text(note, "note", errors)
    if not errors:
        holder = family_holder(
            person=person, code=ground_code, decided_on=decided_on, valid_until=valid_until
        )
        if holder is not None:
            errors.append(family_error(ground_code, holder))
    if errors:
        raise InvalidInput(errors)
    decision = GroundDecision.objects.select_for_update().filter(
        person=person, ground_code=ground_code, decided_on=decided_on
    ).first() or GroundDecision(
        person=person, ground_code=ground_code, decided_on=decided_on, source=source
    )
    before = _decision_snapshot(decision) if decision.pk else None
    decision.kind, decision.valid_until = kind, valid_until
    decision.decided_by, decision.note = decided_by, note
    after = _decision_snapshot(decision)
    if before == after:
        return decision
    if acting_user is not None:
        decision.recorded_by = acting_user
    decision.save()
    audit.record(
        "conscription.decision.recorded",
        actor=acting_user,
        target=decision,
        data={"person": person.personal_id, "before": before, "after": after, "source": source},
        commune_code=person.residence_commune.code,
    )
    work_items_settle(person_ids=[person.pk])  # an exemption from registration, say
    return decision


@transaction.atomic
def ground_decision_revoke(
    *, decision: GroundDecision, revoked_on: date, reason: str, acting_user: User | None
) -> GroundDecision:
    """End a decision early: its ground ended (a deferral lapses as soon as the ground ends,
    MSL Art. 41(3)) or it was annulled. It holds until the day before `revoked_on`.

    The model keeps no revocation flag, so the reason is appended to the note; a decision
    cannot be revoked on or before the day it was decided (record the right one instead).
    """
    person = decision.person
    _writer_check(acting_user, person)
    errors: list[FieldError] = []
    reason = nfc(reason or "")
    if not reason:
        errors.append(FieldError("reason", "REQUIRED"))
    _not_future(revoked_on, "revoked_on", timezone.localdate(), errors)
    if revoked_on <= decision.decided_on:
        errors.append(FieldError("revoked_on", "DECISION_REVOKED_TOO_EARLY"))
    last_day = revoked_on - timedelta(days=1)
    if decision.valid_until is not None and decision.valid_until <= last_day:
        errors.append(FieldError("revoked_on", "DECISION_ALREADY_ENDED"))
    if errors:
        raise InvalidInput(errors)
    before = decision.valid_until
    decision.valid_until = last_day
    marker = f"[revoked {revoked_on.isoformat()}: {reason}]"
    decision.note = f"{decision.note}\n{marker}".strip()[: TEXT_LIMITS["note"]]
    decision.save(update_fields=["valid_until", "note"])
    audit.record(
        "conscription.decision.revoked",
        actor=acting_user,
        target=decision,
        data={
            "person": person.personal_id,
            "ground_code": at_rest_ground(decision.ground_code),
            "valid_until_before": before.isoformat() if before else None,
            "revoked_on": revoked_on.isoformat(),
            "reason_chars": len(reason),  # sealed in the note
        },
        commune_code=person.residence_commune.code,
    )
    return decision


# ── Evidence ───────────────────────────────────────────────────────────────────────────────


def sniff_type(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a PDF, JPEG or PNG by its first bytes; None otherwise."""
    for magic, content_type, extension in EVIDENCE_TYPES:
        if head.startswith(magic):
            return content_type, extension
    return None


@transaction.atomic
def evidence_attach(
    *, decision: GroundDecision, uploaded_file: UploadedFile, acting_user: User | None
) -> Evidence:
    """Attach a document supporting a decision (a certificate, a confirmation by the commune
    People's Committee, MSL Art. 41(1)(b)): PDF, JPEG or PNG by content, at most 10 MB; the
    SHA-256 is stored so the file can be checked later. The same file twice is kept once."""
    person = decision.person
    _writer_check(acting_user, person)
    size = uploaded_file.size or 0
    if size > EVIDENCE_MAX_BYTES:
        raise InvalidInput.single("file", "FILE_TOO_LARGE", {"mb": EVIDENCE_MAX_BYTES // 2**20})
    if size == 0:
        raise InvalidInput.single("file", "FILE_EMPTY")
    digest = hashlib.sha256()
    chunks = []
    for chunk in uploaded_file.chunks():
        digest.update(chunk)
        chunks.append(chunk)
    content = b"".join(chunks)
    sniffed = sniff_type(content[:16])
    if sniffed is None:
        raise InvalidInput.single("file", "EVIDENCE_TYPE")
    content_type, extension = sniffed
    sha256 = digest.hexdigest()
    existing = Evidence.objects.filter(decision=decision, sha256=sha256).first()
    if existing is not None:
        return existing
    name = nfc(uploaded_file.name or "document").rsplit("/", 1)[-1][:200]
    evidence = Evidence(
        decision=decision,
        name=name,
        content_type=content_type,
        size=len(content),
        sha256=sha256,
        uploaded_by=acting_user,
    )
    # The stored name carries no personal data: the hash and the sniffed extension. The content
    # is sealed with the newest data key (mode 0600: settings.FILE_UPLOAD_PERMISSIONS).
    evidence.file.save(f"{sha256[:32]}{extension}", ContentFile(seal_bytes(content)), save=False)
    evidence.save()
    audit.record(
        "conscription.evidence.attached",
        actor=acting_user,
        target=evidence,
        data={
            "person": person.personal_id,
            "decision": decision.pk,
            "name": name,
            "content_type": content_type,
            "size": evidence.size,
            "sha256": sha256,
        },
        commune_code=person.residence_commune.code,
    )
    return evidence
