"""JSON API of civil defence (issue 19), under `/api/v1/civil-defence/`:

- `GET /hazards?as_of=` → the current hazard zones touching your jurisdiction;
  `GET /hazards/{key}` one (its geometry as GeoJSON), 404 outside it;
  `POST /hazards` a zone from a GeoJSON geometry, feature or collection: the next version of
  its key (history kept), same rules, permissions and audit as the CLI and pages.
- `GET /hazards/{key}/exposure?as_of=` → per commune of your jurisdiction the zone touches:
  people, and in the zone (an estimate by area share) people, households, vulnerable people.
- `GET /plans?hazard=` → plans of commands in your jurisdiction; `GET /plans/{id}` with its
  tasks and assignments (shortfalls as `resource_kind` `shortfall`);
  `POST /hazards/{key}/plans` computes and stores the next version.

Answers name no one (counts, units, means), so no read is logged.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from muster.accounts.models import User
from muster.civildefence import actions, planning, queries
from muster.civildefence.models import HazardZone, ResponsePlan
from muster.core.api_errors import TOKEN_READ_ERRORS, TOKEN_WRITE_ERRORS, error_responses

router = Router(tags=["civil-defence"])


def _user(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):  # the global Bearer auth guarantees this
        raise HttpError(401, "unauthorised")
    return user


class HazardZoneOut(Schema):
    key: str
    version: int
    kind: str
    name: str
    severity: int = Field(description="the disaster risk level it was issued with, 1–5")
    valid_from: date
    valid_to: date | None
    source: str
    synthetic: bool = Field(description="drawn for a demo or an exercise, not from a bulletin")
    area_km2: float
    communes: int = Field(description="communes (any edition) the zone touches")
    current: bool


class HazardZoneDetail(HazardZoneOut):
    geometry: dict[str, Any] = Field(description="a GeoJSON Polygon or MultiPolygon (WGS 84)")
    versions: list[int]


def _hazard(zone: HazardZone) -> dict[str, Any]:
    return {
        "key": zone.key,
        "version": zone.version,
        "kind": zone.kind,
        "name": zone.name,
        "severity": zone.severity,
        "valid_from": zone.valid_from,
        "valid_to": zone.valid_to,
        "source": zone.source,
        "synthetic": zone.synthetic,
        "area_km2": zone.area_km2,
        "communes": zone.communes.count(),
        "current": zone.is_current,
    }


@router.get(
    "/hazards",
    response={200: list[HazardZoneOut], **error_responses(*TOKEN_READ_ERRORS)},
    summary="Current hazard zones touching your jurisdiction",
)
def hazard_list(request: HttpRequest, as_of: date | None = None) -> list[dict[str, Any]]:
    day = as_of or timezone.localdate()
    return [_hazard(z) for z in queries.hazards_visible(_user(request), day)[:500]]


@router.get(
    "/hazards/{key}",
    response={200: HazardZoneDetail, **error_responses(*TOKEN_READ_ERRORS, 404)},
    summary="One hazard zone",
)
def hazard_detail(request: HttpRequest, key: str, as_of: date | None = None) -> dict[str, Any]:
    day = as_of or timezone.localdate()
    zone = queries.access_hazard(_user(request), key, day)
    return {
        **_hazard(zone),
        "geometry": json.loads(zone.geometry),
        "versions": [z.version for z in queries.hazard_history(zone)],
    }


class HazardZoneIn(Schema):
    key: str = Field(max_length=60)
    kind: str = Field(max_length=16, description="flood, flash_flood, landslide, storm_surge …")
    name: str = Field(max_length=200)
    valid_from: date
    valid_to: date | None = None
    severity: int = Field(3, ge=1, le=5)
    source: str = Field("", max_length=200)
    synthetic: bool = False
    geojson: dict[str, Any] = Field(description="a GeoJSON geometry, Feature or collection")


@router.post(
    "/hazards",
    response={201: HazardZoneOut, **error_responses(*TOKEN_WRITE_ERRORS)},
    summary="Import or draw a hazard zone (the next version of its key)",
)
def hazard_create(request: HttpRequest, data: HazardZoneIn) -> tuple[int, dict[str, Any]]:
    given = actions.HazardInput(
        key=data.key,
        kind=data.kind,
        name=data.name,
        valid_from=data.valid_from,
        valid_to=data.valid_to,
        severity=data.severity,
        source=data.source or "api",
        synthetic=data.synthetic,
    )
    zone = actions.hazard_import(
        given=given, geojson=json.dumps(data.geojson), acting_user=_user(request)
    )
    return 201, _hazard(zone)


class HazardExposureOut(Schema):
    commune_code: str
    commune_name: str
    share: float = Field(description="share of the commune's drawn shape inside the zone")
    people: int
    people_in_zone: int = Field(description="an estimate: people × share, whole people")
    households_in_zone: int
    vulnerable_in_zone: int = Field(description="under 16, 60 and over, or needing help to move")


class HazardExposureList(Schema):
    hazard: str
    version: int
    as_of: date
    estimate: bool = Field(description="always true until people carry point locations")
    counts: str = Field(
        description="where the counts come from: snapshot (the readiness commune snapshots "
        "of the day, kept ahead of time), live (counted now: no snapshot of the day) or mixed"
    )
    counts_computed_at: datetime | None = Field(
        description="when the oldest snapshot read was computed (null: none was read)"
    )
    counted_live: int = Field(description="communes counted now rather than read")
    items: list[HazardExposureOut]


@router.get(
    "/hazards/{key}/exposure",
    response={200: HazardExposureList, **error_responses(*TOKEN_READ_ERRORS, 404)},
    summary="Exposure per commune on a day",
)
def hazard_exposure(request: HttpRequest, key: str, as_of: date | None = None) -> dict[str, Any]:
    user = _user(request)
    day = as_of or timezone.localdate()
    zone = queries.access_hazard(user, key, day)
    found = queries.exposure_counts(zone, day, user)
    rows = found.rows
    return {
        "hazard": zone.key,
        "version": zone.version,
        "as_of": day,
        "estimate": True,
        "counts": found.source,
        "counts_computed_at": found.computed_at,
        "counted_live": found.live,
        "items": [
            {
                "commune_code": r.commune_code,
                "commune_name": r.commune_name,
                "share": round(r.share, 4),
                "people": r.people,
                "people_in_zone": r.people_in_zone,
                "households_in_zone": r.households_in_zone,
                "vulnerable_in_zone": r.vulnerable_in_zone,
            }
            for r in rows
        ],
    }


class ResponsePlanOut(Schema):
    id: int
    hazard: str
    hazard_version: int
    unit: str = Field(description="the owning command's code")
    version: int
    status: str
    as_of: date
    effective_from: date
    effective_to: date | None
    needs_revision: bool
    revision_reason: str
    travel_method: str = Field(description="straight_line (km × terrain_factor) or road_graph")
    terrain_factor: float
    people_in_zone: int
    shortfall: int
    conflicts: int = Field(description="persons refused a second role in the window")


class PlanAssignmentOut(Schema):
    task_id: str
    task_kind: str
    commune_code: str
    people: int
    resource_kind: str
    resource_code: str
    assigned: int
    capacity: int | None
    travel_km: float | None


class ResponsePlanDetail(ResponsePlanOut):
    assignments: list[PlanAssignmentOut]


def _plan(plan: ResponsePlan) -> dict[str, Any]:
    return {
        "id": plan.pk,
        "hazard": plan.hazard_key,
        "hazard_version": plan.hazard.version,
        "unit": plan.unit.code,
        "version": plan.version,
        "status": plan.status,
        "as_of": plan.as_of,
        "effective_from": plan.effective_from,
        "effective_to": plan.effective_to,
        "needs_revision": plan.needs_revision,
        "revision_reason": plan.revision_reason,
        "travel_method": plan.travel_method,
        "terrain_factor": plan.terrain_factor,
        "people_in_zone": plan.people_in_zone,
        "shortfall": plan.shortfall,
        "conflicts": len(plan.conflicts),
    }


@router.get(
    "/plans",
    response={200: list[ResponsePlanOut], **error_responses(*TOKEN_READ_ERRORS, 404)},
    summary="Response plans of commands in your jurisdiction",
)
def plan_list(request: HttpRequest, hazard: str | None = None) -> list[dict[str, Any]]:
    user = _user(request)
    day = timezone.localdate()
    zone = queries.access_hazard(user, hazard, day) if hazard else None
    return [_plan(p) for p in queries.plans_visible(user, day, zone)[:500]]


@router.get(
    "/plans/{plan_id}",
    response={200: ResponsePlanDetail, **error_responses(*TOKEN_READ_ERRORS, 404)},
    summary="One response plan with its assignments",
)
def plan_detail(request: HttpRequest, plan_id: int) -> dict[str, Any]:
    plan = queries.access_plan(_user(request), plan_id, timezone.localdate())
    rows = planning.plan_assignments(plan)
    return {
        **_plan(plan),
        "assignments": [
            {
                "task_id": a.task.code,
                "task_kind": a.task.kind,
                "commune_code": a.task.commune.code,
                "people": a.task.people,
                "resource_kind": a.resource_kind,
                "resource_code": a.resource_code,
                "assigned": a.assigned,
                "capacity": a.capacity,
                "travel_km": a.travel_km,
            }
            for a in rows
        ],
    }


class PlanComputeIn(Schema):
    as_of: date | None = None
    unit: str | None = Field(
        None,
        max_length=40,
        description="the owning command (default: the lowest covering every commune touched)",
    )
    terrain_factor: float | None = Field(None, description="1–5; default the setting")


@router.post(
    "/hazards/{key}/plans",
    response={201: ResponsePlanOut, **error_responses(*TOKEN_WRITE_ERRORS)},
    summary="Compute a response plan and store it as the next version",
)
def plan_compute(request: HttpRequest, key: str, data: PlanComputeIn) -> tuple[int, dict[str, Any]]:
    user = _user(request)
    day = data.as_of or timezone.localdate()
    zone = queries.access_hazard(user, key, day)
    plan = planning.plan_compute(
        zone=zone,
        as_of=day,
        unit_code=data.unit,
        terrain_factor=data.terrain_factor,
        acting_user=user,
    )
    return 201, _plan(plan)
