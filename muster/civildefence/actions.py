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


def _require_place(
    acting_user: Any, given: PlaceInput, existing: Shelter | RescueMeans | None
) -> None:
    """The user may keep the register at the unit and the commune given, and at those of the
    record being changed (a record elsewhere cannot be pulled in by naming its code)."""
    action = "civildefence.register.edit"
    permissions.require(acting_user, action, unit=given.unit)
    permissions.require(acting_user, action, commune_id=given.commune.pk)
    if existing is not None:
        permissions.require(acting_user, action, unit=existing.unit)
        permissions.require(acting_user, action, commune_id=existing.commune_id)


def _code_taken(new: bool, existing: object) -> list[FieldError]:
    return [FieldError("code", "CD_CODE_TAKEN", {})] if new and existing is not None else []


def shelter_save(*, given: PlaceInput, acting_user: Any, new: bool = False) -> Shelter:
    """Create or update shelter `given.code` of `given.unit` (the unit's jurisdiction, and the
    changed shelter's); `new`: only create, a code already on record is refused."""
    existing = Shelter.objects.filter(code=given.code).select_related("unit").first()
    _require_place(acting_user, given, existing)
    errors = _code_taken(new, existing) + _place_errors(given, ShelterKind.values)
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


def means_save(
    *, given: PlaceInput, operator: Person | None, acting_user: Any, new: bool = False
) -> RescueMeans:
    """Create or update rescue means `given.code` of `given.unit`; `operator` is the person
    who works it, when known (assigned once per task window, `rules.keep_one_role`); `new`:
    only create, a code already on record is refused."""
    existing = RescueMeans.objects.filter(code=given.code).select_related("unit").first()
    _require_place(acting_user, given, existing)
    errors = _code_taken(new, existing) + _place_errors(given, MeansKind.values)
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


def _retire(record: Shelter | RescueMeans, last_day: date, acting_user: Any, name: str) -> None:
    permissions.require(acting_user, "civildefence.register.edit", unit=record.unit)
    permissions.require(acting_user, "civildefence.register.edit", commune_id=record.commune_id)
    if record.valid_from is not None and last_day < record.valid_from:
        raise InvalidInput(
            [FieldError("valid_to", "HAZARD_ENDS_BEFORE_START", {"day": record.valid_from})]
        )
    with transaction.atomic():
        record.valid_to = last_day
        record.save(update_fields=["valid_to"])
        audit.record(
            name,
            actor=acting_user,
            target=record,
            data={"code": record.code, "valid_to": last_day.isoformat()},
            commune_code=record.commune.code,
        )


def shelter_retire(*, shelter: Shelter, last_day: date, acting_user: Any) -> Shelter:
    """Take a shelter out of use after `last_day` (kept on record: plans computed before it
    still name it; plans computed after it no longer use it)."""
    _retire(shelter, last_day, acting_user, "civildefence.shelter.retired")
    return shelter


def means_retire(*, means: RescueMeans, last_day: date, acting_user: Any) -> RescueMeans:
    """Take rescue means out of the register after `last_day` (kept on record, as shelters)."""
    _retire(means, last_day, acting_user, "civildefence.means.retired")
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


def _decision_values(given: DecisionInput) -> dict[str, Any]:
    return {
        "kind": given.kind,
        "level": given.level,
        "hazard_kind": given.hazard_kind or (given.hazard.kind if given.hazard else ""),
        "hazard": given.hazard,
        "area": given.area,
        "issuer": given.issuer,
        "number": given.number.strip(),
        "legal_basis": given.legal_basis.strip(),
        "starts_on": given.starts_on,
        "ends_on": given.ends_on,
    }


def _decision_data(decision: LevelDecision) -> dict[str, Any]:
    return {
        "kind": decision.kind,
        "level": decision.level,
        "area": decision.area.code,
        "issuer": decision.issuer,
        "starts_on": decision.starts_on.isoformat(),
        "ends_on": decision.ends_on.isoformat() if decision.ends_on else None,
        "legal_basis": decision.legal_basis,
    }


def _area_commune(area: AdminUnit) -> str:
    return area.code if area.level == Level.COMMUNE else ""


def level_decide(*, given: DecisionInput, acting_user: Any) -> LevelDecision:
    """Record a civil-defence level declared or a disaster risk level issued over an area."""
    permissions.require(acting_user, "civildefence.level.record", area=given.area)
    errors = _decision_errors(given)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        decision = LevelDecision.objects.create(
            **_decision_values(given),
            created_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        audit.record(
            "civildefence.level.recorded",
            actor=acting_user,
            target=decision,
            data=_decision_data(decision),
            commune_code=_area_commune(given.area),
        )
    return decision


def level_decision_update(
    *, decision: LevelDecision, given: DecisionInput, acting_user: Any
) -> LevelDecision:
    """Correct a recorded decision (a typed number, the basis, the dates): the user may record
    decisions over both its recorded area and the area given."""
    permissions.require(acting_user, "civildefence.level.record", area=decision.area)
    permissions.require(acting_user, "civildefence.level.record", area=given.area)
    errors = _decision_errors(given)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        before = _decision_data(decision)
        for field, value in _decision_values(given).items():
            setattr(decision, field, value)
        decision.save()
        audit.record(
            "civildefence.level.corrected",
            actor=acting_user,
            target=decision,
            data={**_decision_data(decision), "before": before},
            commune_code=_area_commune(given.area),
        )
    return decision


def level_decision_end(
    *, decision: LevelDecision, ends_on: date, acting_user: Any
) -> LevelDecision:
    """Lift a decision: `ends_on` is its last day (CD Law Art. 20: who declares a level lifts
    it; the record keeps both days)."""
    permissions.require(acting_user, "civildefence.level.record", area=decision.area)
    if ends_on < decision.starts_on:
        raise InvalidInput(
            [FieldError("ends_on", "HAZARD_ENDS_BEFORE_START", {"day": decision.starts_on})]
        )
    with transaction.atomic():
        decision.ends_on = ends_on
        decision.save(update_fields=["ends_on"])
        audit.record(
            "civildefence.level.lifted",
            actor=acting_user,
            target=decision,
            data=_decision_data(decision),
            commune_code=_area_commune(decision.area),
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


def _command_errors(given: CommandInput) -> list[FieldError]:
    errors = _text_errors("name", given.name, 200) + _text_errors("head_name", given.head_name, 120)
    errors += _text_errors("head_title", given.head_title, 120)
    errors += _text_errors("deputy_name", given.deputy_name, 120, required=False)
    errors += _text_errors("deputy_title", given.deputy_title, 120, required=False)
    errors += _text_errors("decision", given.decision, 60, required=False)
    return errors


def _command_people(given: CommandInput) -> dict[str, str]:
    return {
        "name": given.name.strip(),
        "head_name": given.head_name.strip(),
        "head_title": given.head_title.strip(),
        "deputy_name": given.deputy_name.strip(),
        "deputy_title": given.deputy_title.strip(),
        "decision": given.decision.strip(),
    }


def cd_command_set(*, given: CommandInput, acting_user: Any) -> CivilDefenceCommand:
    """Set up the commune civil-defence command of commune command `given.unit` from
    `valid_from` (Decree 200/2025 Art. 8), ending the one before it the day before."""
    permissions.require(acting_user, "civildefence.register.edit", unit=given.unit)
    errors = _command_errors(given)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        before = date.fromordinal(given.valid_from.toordinal() - 1)
        CivilDefenceCommand.objects.filter(unit=given.unit, valid_to__isnull=True).filter(
            valid_from__lt=given.valid_from
        ).update(valid_to=before)
        command = CivilDefenceCommand.objects.create(
            unit=given.unit, valid_from=given.valid_from, **_command_people(given)
        )
        audit.record(
            "civildefence.command.set",
            actor=acting_user,
            target=command,
            data={"unit": given.unit.code, "valid_from": given.valid_from.isoformat()},
        )
    return command


def cd_command_update(
    *, command: CivilDefenceCommand, given: CommandInput, acting_user: Any
) -> CivilDefenceCommand:
    """Correct a command's name, members' names and titles or founding decision, in place (a
    new membership from a later day is `cd_command_set`); its unit and dates stay."""
    permissions.require(acting_user, "civildefence.register.edit", unit=command.unit)
    errors = _command_errors(given)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        changed = sorted(k for k, v in _command_people(given).items() if getattr(command, k) != v)
        for field, value in _command_people(given).items():
            setattr(command, field, value)
        command.save()
        audit.record(
            "civildefence.command.corrected",
            actor=acting_user,
            target=command,
            data={"unit": command.unit.code, "changed": changed},
        )
    return command


def cd_command_end(
    *, command: CivilDefenceCommand, last_day: date, acting_user: Any
) -> CivilDefenceCommand:
    """Dissolve a commune civil-defence command after `last_day` (kept on record; the plans it
    owned keep naming it)."""
    permissions.require(acting_user, "civildefence.register.edit", unit=command.unit)
    if command.valid_from is not None and last_day < command.valid_from:
        raise InvalidInput(
            [FieldError("valid_to", "HAZARD_ENDS_BEFORE_START", {"day": command.valid_from})]
        )
    with transaction.atomic():
        command.valid_to = last_day
        command.save(update_fields=["valid_to"])
        audit.record(
            "civildefence.command.ended",
            actor=acting_user,
            target=command,
            data={"unit": command.unit.code, "valid_to": last_day.isoformat()},
        )
    return command
