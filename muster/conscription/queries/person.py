"""Reads of one person's military-service records for the person page.

`person_service_summary` takes a person already fetched through `access_service_person` or
`people.queries.access_person` (scope checked, the read logged); `access_service_person` and
friends fetch by id for the person-page routes, with the same answer (NotFound) for absent
and out of scope, and log the read of what they show (the service records, an evidence
document).
Examinations are read with their class and outcome only: the sealed details are read through
`actions.records.health_exam_details`, which logs the read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.conscription.models import (
    CallupOrder,
    Evidence,
    GroundDecision,
    HandoverOutcome,
    HealthExam,
    Registration,
    ServiceRecord,
)
from muster.conscription.rules import lifecycle
from muster.conscription.rules.grounds import GROUNDS, Ground
from muster.core.errors import NotFound
from muster.core.sealed import bytes_kid, unseal_bytes
from muster.people.models import LifeStatus, Person
from muster.people.queries import persons_read
from muster.reserve.models import ReserveMembership

SERVICE_READ = "conscription.service.viewed"
EVIDENCE_READ = "conscription.evidence.downloaded"


@dataclass(frozen=True)
class DecisionRow:
    decision: GroundDecision
    ground: Ground | None
    evidence: list[Evidence]
    holds: bool


@dataclass(frozen=True)
class ServiceSummary:
    person: Person
    day: date
    status: str
    reasons: tuple[str, ...]
    registrations: list[Registration]
    exams: list[HealthExam]
    decisions: list[DecisionRow]
    orders: list[CallupOrder]
    service: list[ServiceRecord]
    reserve: list[ReserveMembership]

    @property
    def status_label(self) -> str:
        return str(lifecycle.STATUS_LABELS[self.status])

    @property
    def reason_rows(self) -> list[tuple[str, str, str]]:
        """(code, text, citation) of each reason, in the active language."""
        return [(code, *lifecycle.reason_text(code)) for code in self.reasons]


def service_facts(
    person: Person,
    registrations: list[Registration],
    exams: list[HealthExam],
    decisions: list[GroundDecision],
    orders: list[CallupOrder],
    service: list[ServiceRecord],
    reserve: list[ReserveMembership],
) -> lifecycle.ServiceFacts:
    """The lifecycle's facts from the records (revoked orders and unissued drafts left out)."""
    return lifecycle.ServiceFacts(
        sex=person.sex,
        birth_date=person.birth_date,
        died_on=person.died_on,
        dead=person.life_status == LifeStatus.DEAD,
        registrations=tuple(
            lifecycle.RegistrationFact(r.registered_on, r.removed_on) for r in registrations
        ),
        exams=tuple(
            lifecycle.ExamFact(e.examined_on, tuple(filter(None, e.outcome_codes.split(";"))))
            for e in exams
        ),
        decisions=tuple(
            lifecycle.DecisionFact(d.kind, d.ground_code, d.decided_on, d.valid_until)
            for d in decisions
        ),
        orders=tuple(
            lifecycle.OrderFact(
                o.issued_on,
                failed_to_report=o.outcome == HandoverOutcome.FAILED,
                postponed=o.outcome == HandoverOutcome.POSTPONED,
            )
            for o in orders
            if o.issued_on is not None and getattr(o, "revoked_at", None) is None
        ),
        service=tuple(
            lifecycle.ServiceFact(s.enlisted_on, s.discharged_on, s.discharge_reason == "died")
            for s in service
        ),
        reserve=tuple(lifecycle.PeriodFact(m.valid_from, m.valid_to) for m in reserve),
    )


def person_service_summary(person: Person, day: date) -> ServiceSummary:
    """Registrations, examinations (class and outcome), decisions with their evidence, orders
    (with their batch and cycle: their history), service and reserve periods of an accessed person, with the status derived on `day`."""
    registrations = list(person.registrations.order_by("-registered_on", "-id"))
    exams = list(person.health_exams.defer("sealed_details").order_by("-examined_on", "-id"))
    decisions = list(person.ground_decisions.order_by("-decided_on", "-id"))
    evidence: dict[int, list[Evidence]] = {}
    for item in Evidence.objects.filter(decision__person=person).order_by("uploaded_at", "id"):
        evidence.setdefault(item.decision_id, []).append(item)
    # With batch and cycle: the order's history (drafted, issued, served, outcome) in one query.
    orders = list(
        person.callup_orders.select_related("batch", "cycle")
        .defer("outcome_note")
        .order_by("-cycle__year", "-id")
    )
    service = list(person.service_records.order_by("-enlisted_on", "-id"))
    reserve = list(ReserveMembership.objects.filter(person=person).order_by("-valid_from", "-id"))
    facts = service_facts(person, registrations, exams, decisions, orders, service, reserve)
    status, reasons = lifecycle.service_status(facts, day)
    rows = [
        DecisionRow(
            d,
            GROUNDS.get(d.ground_code),
            evidence.get(d.pk, []),
            lifecycle.DecisionFact(d.kind, d.ground_code, d.decided_on, d.valid_until).holds_on(
                day
            ),
        )
        for d in decisions
    ]
    return ServiceSummary(
        person, day, status, reasons, registrations, exams, rows, orders, service, reserve
    )


def access_service_person(user: User, person_id: int, *, channel: str) -> Person:
    """The person with this id if `user` may see them (NotFound otherwise), for the pages of
    their military-service records: the read of those records is logged."""
    person = (
        Person.objects.filter(scope_for(user).filter("residence_commune_id"), pk=person_id)
        .select_related("residence_commune")
        .first()
    )
    if person is None:
        raise NotFound("PERSON_RECORD_NOT_FOUND", {"id": person_id})
    persons_read(user, [person.pk], action=SERVICE_READ, channel=channel)
    return person


def access_health_exam(user: User, exam_id: int) -> HealthExam:
    exam = (
        HealthExam.objects.filter(
            scope_for(user).filter("person__residence_commune_id"), pk=exam_id
        )
        .select_related("person__residence_commune")
        .first()
    )
    if exam is None:
        raise NotFound("EXAM_NOT_FOUND", {"id": exam_id})
    return exam


def access_decision(user: User, decision_id: int) -> GroundDecision:
    decision = (
        GroundDecision.objects.filter(
            scope_for(user).filter("person__residence_commune_id"), pk=decision_id
        )
        .select_related("person__residence_commune")
        .first()
    )
    if decision is None:
        raise NotFound("DECISION_NOT_FOUND", {"id": decision_id})
    return decision


def access_evidence(user: User, evidence_id: int, *, channel: str) -> Evidence:
    """An evidence document `user` may see, to download: the read of its person is logged."""
    evidence = (
        Evidence.objects.filter(
            scope_for(user).filter("decision__person__residence_commune_id"), pk=evidence_id
        )
        .select_related("decision__person")
        .first()
    )
    if evidence is None:
        raise NotFound("EVIDENCE_NOT_FOUND", {"id": evidence_id})
    persons_read(user, [evidence.decision.person_id], action=EVIDENCE_READ, channel=channel)
    return evidence


def evidence_content(evidence: Evidence) -> bytes:
    """The document of `evidence` (obtained through `access_evidence`), opened from its sealed
    file; a file written before sealing is returned as it is."""
    with evidence.file.open("rb") as handle:
        stored = handle.read()
    return unseal_bytes(stored) if bytes_kid(stored[:64]) else stored
