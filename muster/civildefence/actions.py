"""Civil-defence writes: hazard zones (imported or drawn; a new version per re-import, history
kept), the shelter and rescue-means register, level decisions and the commune civil-defence
command. Keyword-only, `acting_user` (None: the system or the CLI's operator), atomic, audited
in the same transaction. Plans are computed by `civildefence.planning.plan_compute`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from muster import audit
from muster.accounts import permissions
from muster.accounts.scope import scope_for
from muster.civildefence import geometry, rules
from muster.civildefence.models import (
    CivilDefenceCommand,
    HazardCommune,
    HazardKind,
    HazardZone,
    Issuer,
    LevelDecision,
    LevelKind,
    MeansKind,
    RescueMeans,
    ResponsePlan,
    Shelter,
    ShelterKind,
)
from muster.core.errors import FieldError, InvalidInput
from muster.geo.models import AdminUnit, Level, UnitShape
from muster.orgs.models import OrgUnit
from muster.people.models import Person
from muster.people.rules import text_errors as character_errors

BBOX_MARGIN = 0.5  # degrees around the zone within which a commune's centre is looked at


def _errors(problems: list[rules.Problem]) -> list[FieldError]:
    return [FieldError(p.field, p.code, p.params) for p in problems]


def _text_errors(field: str, value: str, limit: int, *, required: bool = True) -> list[FieldError]:
    if required and not value.strip():
        return [FieldError(field, "REQUIRED", {})]
    if len(value) > limit:
        return [FieldError(field, "LENGTH_RANGE", {"limit": limit})]
    return character_errors(field, value)


def _touched(zone: Any) -> list[geometry.Touched]:
    minx, miny, maxx, maxy = geometry.bbox(zone)
    shapes = UnitShape.objects.filter(
        unit__level=Level.COMMUNE,
        unit__lon__gte=minx - BBOX_MARGIN,
        unit__lon__lte=maxx + BBOX_MARGIN,
        unit__lat__gte=miny - BBOX_MARGIN,
        unit__lat__lte=maxy + BBOX_MARGIN,
    ).values_list("unit_id", "geojson")
    return geometry.touched(zone, shapes.iterator(chunk_size=2000))


def _require_zone(acting_user: Any, touched: list[geometry.Touched], day: date) -> None:
    """The role may edit hazards, and the zone touches a commune of the user's jurisdiction
    (a zone may reach beyond it: floods cross boundaries)."""
    action = "civildefence.hazard.edit"
    permissions.require(acting_user, action)
    if acting_user is None or scope_for(acting_user, day).is_national:
        return
    scope = scope_for(acting_user, day)
    inside = [t.commune_id for t in touched if scope.allows(t.commune_id)]
    if inside:
        permissions.require(acting_user, action, commune_id=inside[0], day=day)
    elif touched:
        permissions.require(acting_user, action, commune_id=touched[0].commune_id, day=day)
    else:
        permissions.require(acting_user, action, unit=permissions.NATIONWIDE)


@dataclass(frozen=True)
class HazardInput:
    key: str
    kind: str
    name: str
    valid_from: date
    valid_to: date | None = None
    severity: int = 3
    source: str = ""
    synthetic: bool = False


def _hazard_errors(given: HazardInput) -> list[FieldError]:
    errors = _errors(rules.key_problems(given.key))
    if given.kind not in HazardKind.values:
        errors.append(FieldError("kind", "NOT_ONE_OF", {"choices": HazardKind.values}))
    errors += _text_errors("name", given.name, 200)
    errors += _text_errors("source", given.source, 200, required=False)
    errors += _errors(rules.severity_problems(given.severity))
    if given.valid_to is not None and given.valid_to < given.valid_from:
        errors.append(FieldError("valid_to", "HAZARD_ENDS_BEFORE_START", {"day": given.valid_from}))
    return errors


def hazard_import(*, given: HazardInput, geojson: str | bytes, acting_user: Any) -> HazardZone:
    """Import (or draw) hazard zone `given.key` from GeoJSON: a new version, the previous one
    marked superseded and its plans flagged for revision (history kept)."""
    errors = _hazard_errors(given)
    if errors:
        raise InvalidInput(errors)
    zone_geom = geometry.read_zone(geojson)
    touched = _touched(zone_geom)
    _require_zone(acting_user, touched, timezone.localdate())
    with transaction.atomic():
        previous = (
            HazardZone.objects.select_for_update()
            .filter(key=given.key, superseded_at__isnull=True)
            .first()
        )
        version = (HazardZone.objects.filter(key=given.key).aggregate(n=Max("version"))["n"]) or 0
        flagged = 0
        if previous is not None:
            previous.superseded_at = timezone.now()
            previous.save(update_fields=["superseded_at"])
            flagged = ResponsePlan.objects.filter(
                hazard_key=given.key, status="current", needs_revision=False
            ).update(needs_revision=True, revision_reason=rules.REVISION_HAZARD_CHANGED)
        zone = HazardZone.objects.create(
            key=given.key,
            version=version + 1,
            kind=given.kind,
            name=given.name.strip(),
            severity=given.severity,
            valid_from=given.valid_from,
            valid_to=given.valid_to,
            source=given.source.strip(),
            synthetic=given.synthetic,
            geometry=geometry.to_geojson(zone_geom),
            area_km2=round(geometry.area_km2(zone_geom), 3),
            created_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        HazardCommune.objects.bulk_create(
            HazardCommune(
                zone=zone, commune_id=t.commune_id, area_share=t.share, lat=t.lat, lon=t.lon
            )
            for t in touched
        )
        audit.record(
            "civildefence.hazard.imported",
            actor=acting_user,
            target=zone,
            data={
                "key": zone.key,
                "version": zone.version,
                "kind": zone.kind,
                "severity": zone.severity,
                "valid_from": zone.valid_from.isoformat(),
                "valid_to": zone.valid_to.isoformat() if zone.valid_to else None,
                "communes": len(touched),
                "superseded": previous.version if previous else None,
                "plans_flagged": flagged,
            },
        )
    return zone


# --- the register: shelters and rescue means ---------------------------------------------


@dataclass(frozen=True)
class PlaceInput:
    """A shelter's or a means' fields (`kind` from the model's choices)."""

    code: str
    kind: str
    name: str
    unit: OrgUnit
    commune: AdminUnit
    lat: float
    lon: float
    capacity: int
    valid_from: date | None = None
    valid_to: date | None = None


def _place_errors(given: PlaceInput, kinds: list[str]) -> list[FieldError]:
    errors = _errors(rules.key_problems(given.code))
    errors = [FieldError("code", e.code, e.params) for e in errors]
    if given.kind not in kinds:
        errors.append(FieldError("kind", "NOT_ONE_OF", {"choices": kinds}))
    errors += _text_errors("name", given.name, 200)
    if not (-90 <= given.lat <= 90 and -180 <= given.lon <= 180):
        errors.append(FieldError("lat", "HAZARD_COORDINATES", {"where": "lat/lon"}))
    if given.capacity <= 0:
        errors.append(FieldError("capacity", "CAPACITY_POSITIVE", {}))
    if given.commune.level != Level.COMMUNE:
        errors.append(FieldError("commune", "COMMUNE_REQUIRED", {}))
    if given.valid_from and given.valid_to and given.valid_to < given.valid_from:
        errors.append(FieldError("valid_to", "HAZARD_ENDS_BEFORE_START", {"day": given.valid_from}))
    return errors


def _place_values(given: PlaceInput) -> dict[str, Any]:
    return {
        "kind": given.kind,
        "name": given.name.strip(),
        "unit": given.unit,
        "commune": given.commune,
        "lat": given.lat,
        "lon": given.lon,
        "capacity": given.capacity,
        "valid_from": given.valid_from,
        "valid_to": given.valid_to,
    }


def _place_data(given: PlaceInput) -> dict[str, Any]:
    return {
        "code": given.code,
        "kind": given.kind,
        "unit": given.unit.code,
        "commune": given.commune.code,
        "capacity": given.capacity,
    }


def shelter_save(*, given: PlaceInput, acting_user: Any) -> Shelter:
    """Create or update shelter `given.code` of `given.unit` (the unit's jurisdiction)."""
    permissions.require(acting_user, "civildefence.register.edit", unit=given.unit)
    permissions.require(acting_user, "civildefence.register.edit", commune_id=given.commune.pk)
    errors = _place_errors(given, ShelterKind.values)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        shelter, created = Shelter.objects.update_or_create(
            code=given.code, defaults=_place_values(given)
        )
        audit.record(
            "civildefence.shelter.saved",
            actor=acting_user,
            target=shelter,
            data={**_place_data(given), "created": created},
            commune_code=given.commune.code,
        )
    return shelter


def means_save(*, given: PlaceInput, operator: Person | None, acting_user: Any) -> RescueMeans:
    """Create or update rescue means `given.code` of `given.unit`; `operator` is the person
    who works it, when known (assigned once per task window, `rules.keep_one_role`)."""
    permissions.require(acting_user, "civildefence.register.edit", unit=given.unit)
    permissions.require(acting_user, "civildefence.register.edit", commune_id=given.commune.pk)
    errors = _place_errors(given, MeansKind.values)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        means, created = RescueMeans.objects.update_or_create(
            code=given.code, defaults={**_place_values(given), "operator": operator}
        )
        audit.record(
            "civildefence.means.saved",
            actor=acting_user,
            target=means,
            data={**_place_data(given), "created": created, "operator": bool(operator)},
            commune_code=given.commune.code,
        )
    return means


# --- decisions and the commune command ---------------------------------------------------


@dataclass(frozen=True)
class DecisionInput:
    kind: str  # LevelKind
    level: int
    area: AdminUnit
    issuer: str
    legal_basis: str
    starts_on: date
    ends_on: date | None = None
    number: str = ""
    hazard_kind: str = ""
    hazard: HazardZone | None = None


def _decision_errors(given: DecisionInput) -> list[FieldError]:
    errors: list[FieldError] = []
    if given.kind not in LevelKind.values:
        errors.append(FieldError("kind", "NOT_ONE_OF", {"choices": LevelKind.values}))
    if given.issuer not in Issuer.values:
        errors.append(FieldError("issuer", "NOT_ONE_OF", {"choices": Issuer.values}))
    if given.kind == LevelKind.CIVIL_DEFENCE:
        errors += _errors(rules.cd_level_problems(given.level, given.area.level, given.issuer))
    elif given.kind == LevelKind.DISASTER_RISK:
        kind = given.hazard_kind or (given.hazard.kind if given.hazard else "other")
        if kind not in HazardKind.values:
            errors.append(FieldError("hazard_kind", "NOT_ONE_OF", {"choices": HazardKind.values}))
        errors += _errors(rules.risk_level_problems(given.level, kind))
    errors += _text_errors("legal_basis", given.legal_basis, 200)
    errors += _text_errors("number", given.number, 60, required=False)
    if given.ends_on is not None and given.ends_on < given.starts_on:
        errors.append(FieldError("ends_on", "HAZARD_ENDS_BEFORE_START", {"day": given.starts_on}))
    return errors


def level_decide(*, given: DecisionInput, acting_user: Any) -> LevelDecision:
    """Record a civil-defence level declared or a disaster risk level issued over an area."""
    permissions.require(acting_user, "civildefence.level.record", area=given.area)
    errors = _decision_errors(given)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        decision = LevelDecision.objects.create(
            kind=given.kind,
            level=given.level,
            hazard_kind=given.hazard_kind or (given.hazard.kind if given.hazard else ""),
            hazard=given.hazard,
            area=given.area,
            issuer=given.issuer,
            number=given.number.strip(),
            legal_basis=given.legal_basis.strip(),
            starts_on=given.starts_on,
            ends_on=given.ends_on,
            created_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        audit.record(
            "civildefence.level.recorded",
            actor=acting_user,
            target=decision,
            data={
                "kind": given.kind,
                "level": given.level,
                "area": given.area.code,
                "issuer": given.issuer,
                "starts_on": given.starts_on.isoformat(),
                "legal_basis": decision.legal_basis,
            },
            commune_code=given.area.code if given.area.level == Level.COMMUNE else "",
        )
    return decision


@dataclass(frozen=True)
class CommandInput:
    unit: OrgUnit
    name: str
    head_name: str
    head_title: str
    valid_from: date
    deputy_name: str = ""
    deputy_title: str = ""
    decision: str = ""


def cd_command_set(*, given: CommandInput, acting_user: Any) -> CivilDefenceCommand:
    """Set up the commune civil-defence command of commune command `given.unit` from
    `valid_from` (Decree 200/2025 Art. 8), ending the one before it the day before."""
    permissions.require(acting_user, "civildefence.register.edit", unit=given.unit)
    errors = _text_errors("name", given.name, 200) + _text_errors("head_name", given.head_name, 120)
    errors += _text_errors("head_title", given.head_title, 120)
    errors += _text_errors("deputy_name", given.deputy_name, 120, required=False)
    errors += _text_errors("deputy_title", given.deputy_title, 120, required=False)
    errors += _text_errors("decision", given.decision, 60, required=False)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        before = date.fromordinal(given.valid_from.toordinal() - 1)
        CivilDefenceCommand.objects.filter(unit=given.unit, valid_to__isnull=True).filter(
            valid_from__lt=given.valid_from
        ).update(valid_to=before)
        command = CivilDefenceCommand.objects.create(
            unit=given.unit,
            name=given.name.strip(),
            head_name=given.head_name.strip(),
            head_title=given.head_title.strip(),
            deputy_name=given.deputy_name.strip(),
            deputy_title=given.deputy_title.strip(),
            decision=given.decision.strip(),
            valid_from=given.valid_from,
        )
        audit.record(
            "civildefence.command.set",
            actor=acting_user,
            target=command,
            data={"unit": given.unit.code, "valid_from": given.valid_from.isoformat()},
        )
    return command
