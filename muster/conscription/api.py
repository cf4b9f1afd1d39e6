"""JSON API for one person's military-service records (mounted under `/api/v1/persons`).

`GET /api/v1/persons/{personal_id}/service` → `{registrations, examinations, decisions,
service_records}` plus the status derived today. Scoped and read-logged like
`GET /api/v1/persons/{personal_id}` (`people.queries.access_person`): absent and out of
jurisdiction are the same 404. Examinations carry the class and outcome only; their sealed
measurements and notes are never sent here (reading them is a logged act of its own).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from muster.accounts.models import User
from muster.conscription.queries import person_service_summary
from muster.core.api_errors import TOKEN_READ_ERRORS, error_responses
from muster.core.errors import NotFound
from muster.people.queries import access_person

router = Router(tags=["military service"])


class RegistrationOut(Schema):
    kind: str
    registered_on: date
    commune_code: str
    education_level: str
    occupation: str
    removed_on: date | None
    removal_reason: str
    source: str


class ExaminationOut(Schema):
    examined_on: date
    board: str
    health_class: int
    outcome_codes: list[str] = Field(description="e.g. HC3, HC3_MYOPIA (MSL Art. 40)")
    rules_version: str
    source: str


class DecisionOut(Schema):
    kind: str = Field(description="deferral | exemption | completion")
    ground_code: str
    citation: str
    decided_on: date
    valid_until: date | None
    decided_by: str
    holds_today: bool
    source: str


class ServiceRecordOut(Schema):
    unit_name: str
    enlisted_on: date
    discharged_on: date | None
    discharge_reason: str
    source: str


class PersonServiceOut(Schema):
    personal_id: str
    status: str = Field(description="derived from the records today (lifecycle)")
    reasons: list[str]
    registrations: list[RegistrationOut]
    examinations: list[ExaminationOut]
    decisions: list[DecisionOut]
    service_records: list[ServiceRecordOut]


def _user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # the global Bearer auth guarantees this
        raise HttpError(401, "unauthorised")
    return user


@router.get(
    "/{personal_id}/service",
    response={200: PersonServiceOut, **error_responses(*TOKEN_READ_ERRORS, 404)},
    summary="One person's military service",
)
def person_service_records(request: HttpRequest, personal_id: str) -> dict[str, Any]:
    """The person's registrations, examinations (without sealed details), decisions and
    service records, newest first; 404 when absent or out of your jurisdiction."""
    try:
        person = access_person(_user(request), personal_id, channel="api")
    except NotFound:
        raise HttpError(404, "Not Found") from None
    summary = person_service_summary(person, timezone.localdate())
    return {
        "personal_id": person.personal_id,
        "status": summary.status,
        "reasons": list(summary.reasons),
        "registrations": [
            {
                "kind": r.kind,
                "registered_on": r.registered_on,
                "commune_code": r.commune.code,
                "education_level": r.education_level,
                "occupation": r.occupation,
                "removed_on": r.removed_on,
                "removal_reason": r.removal_reason,
                "source": r.source,
            }
            for r in summary.registrations
        ],
        "examinations": [
            {
                "examined_on": e.examined_on,
                "board": e.board,
                "health_class": e.health_class,
                "outcome_codes": [c for c in e.outcome_codes.split(";") if c],
                "rules_version": e.rules_version,
                "source": e.source,
            }
            for e in summary.exams
        ],
        "decisions": [
            {
                "kind": row.decision.kind,
                "ground_code": row.decision.ground_code,
                "citation": row.ground.citation if row.ground else "",
                "decided_on": row.decision.decided_on,
                "valid_until": row.decision.valid_until,
                "decided_by": row.decision.decided_by,
                "holds_today": row.holds,
                "source": row.decision.source,
            }
            for row in summary.decisions
        ],
        "service_records": [
            {
                "unit_name": s.unit_name,
                "enlisted_on": s.enlisted_on,
                "discharged_on": s.discharged_on,
                "discharge_reason": s.discharge_reason,
                "source": s.source,
            }
            for s in summary.service
        ],
    }
