"""`GET /api/v1/readiness/{org_code}?as_of=D`: the readiness figures of a command's
jurisdiction as one object, read from the summary tables (the latest snapshot on or before the
day), with the moment they were computed. Scoped like the pages: a unit outside the caller's
jurisdiction, or one with no figures computed by the day, is a 404."""

from __future__ import annotations

from datetime import date, datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError

from muster.accounts.models import User
from muster.core.api_errors import TOKEN_READ_ERRORS, error_responses
from muster.core.errors import NotFound
from muster.readiness import summary
from muster.readiness.dashboard import access_unit

router = Router(tags=["readiness"])


class ReadinessOut(Schema):
    org_code: str
    org_name: str
    as_of: date  # the snapshot's day (the latest on or before the day asked)
    computed_at: datetime
    communes: int
    inputs_from: date | None  # the oldest commune snapshot summed
    people: int
    men_registered: int
    men_call_up_age: int
    callup_year: int | None
    callup_quota: int
    callup_issued: int
    callup_reported: int
    militia_members: int
    militia_target: int
    militia_training_days: int
    reservists: int
    reservists_assigned: int
    reservists_exact: int
    positions: int
    positions_filled: int
    positions_qualified: int
    training_targets: int
    training_targets_met: int
    assessment_year: int | None
    cadres_assessed: int
    cadres_good: int
    units_assessed: int
    units_good: int


@router.get(
    "/{org_code}",
    response={200: ReadinessOut, **error_responses(*TOKEN_READ_ERRORS, 404)},
)
def readiness_figures(
    request: HttpRequest, org_code: str, as_of: date | None = None
) -> ReadinessOut:
    """The figures of the command `org_code`'s jurisdiction as of `as_of` (default today)."""
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # the global Bearer auth guarantees this
        raise HttpError(401, "unauthorised")
    day = as_of or timezone.localdate()
    unit = access_unit(user, org_code, day)
    snapshot = summary.unit_snapshot(unit, day)
    if snapshot is None:
        raise NotFound("READINESS_NOT_COMPUTED", {"code": unit.code, "day": day})
    fields = {
        name: getattr(snapshot, name)
        for name in ReadinessOut.model_fields
        if name not in {"org_code", "org_name"}
    }
    fields.update(org_code=unit.code, org_name=unit.name)
    return ReadinessOut(**fields)
