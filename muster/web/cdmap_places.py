"""Where each resource of a plan's assignments stands on the civil-defence map, so that every
assignment draws a line (`cdmap_data._assignments`).

A shelter and a means of the civil-defence register stand at their own point (in use or not:
the plan named them when it was computed). Every other resource has no place of its own and
stands at the centre of its unit's commune, marked approximate: the reserve's technical means
at its commune; a militia unit at the first commune of its command's territory; the militia of a
command (no unit) at the first commune of that command; reservists at the commune they are
counted by. A resource found nowhere stands at the first commune of the plan's own command,
approximate too. A commune's centre is its recorded centre, else the centroid of its drawn
shape.

Resource codes are those `civildefence.resources` gives: `MU-<id>` (a militia unit), a command's
code (its militia in no unit), `RES-<commune code>-SAR|MED` (reservists), each with `-MED` when
the resource serves relief.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from shapely.geometry import shape

from muster.civildefence.models import PlanAssignment, RescueMeans, ResponsePlan, Shelter
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Level, UnitShape
from muster.militia.models import MilitiaUnit
from muster.orgs.models import OrgUnit, Territory
from muster.reserve.models_units import TechnicalMeans

OWN_PLACE = ("shelter", "rescue_means")
RELIEF_SUFFIX = "-MED"


@dataclass(frozen=True)
class Place:
    lon: float
    lat: float
    approximate: bool  # the centre of the unit's commune, not the resource's own point


Key = tuple[str, str]  # (resource_kind, resource_code)


def commune_centres(commune_ids: Iterable[int]) -> dict[int, tuple[float, float]]:
    """(lon, lat) of each commune: its recorded centre, else its drawn shape's centroid."""
    ids = set(commune_ids)
    found = {
        pk: (lon, lat)
        for pk, lon, lat in AdminUnit.objects.filter(pk__in=ids).values_list("pk", "lon", "lat")
        if lon is not None and lat is not None
    }
    missing = ids - set(found)
    for pk, text in UnitShape.objects.filter(unit_id__in=missing).values_list("unit_id", "geojson"):
        point = shape(json.loads(text)).centroid
        found[pk] = (point.x, point.y)
    return found


def first_communes(unit_ids: Iterable[int], day: date) -> dict[int, int]:
    """The first commune (by code) of each org unit's territory on `day`."""
    rows = (
        Territory.objects.filter(valid_on(day), org_unit_id__in=set(unit_ids))
        .filter(admin_unit__level=Level.COMMUNE)
        .order_by("org_unit_id", "admin_unit__code")
        .values_list("org_unit_id", "admin_unit_id")
    )
    first: dict[int, int] = {}
    for unit_id, commune_id in rows:
        first.setdefault(unit_id, commune_id)
    return first


def _base(code: str) -> str:
    return code.removesuffix(RELIEF_SUFFIX)


def _militia_unit_id(code: str) -> int | None:
    number = _base(code).removeprefix("MU-")
    return int(number) if number.isdigit() else None


def _reservist_commune(code: str) -> str:
    return _base(code).removeprefix("RES-").removesuffix("-SAR")


def _own_places(rows: list[PlanAssignment]) -> dict[Key, Place]:
    codes = {kind: {r.resource_code for r in rows if r.resource_kind == kind} for kind in OWN_PLACE}
    found: dict[Key, Place] = {}
    for kind, model in (("shelter", Shelter), ("rescue_means", RescueMeans)):
        for code, lon, lat in model.objects.filter(code__in=codes[kind]).values_list(
            "code", "lon", "lat"
        ):
            found[(kind, code)] = Place(lon, lat, approximate=False)
    return found


def _communes_of(rows: list[PlanAssignment], day: date) -> dict[Key, int]:
    """The commune each resource without a place of its own is counted at."""
    by_kind: dict[str, set[str]] = {}
    for r in rows:
        by_kind.setdefault(r.resource_kind, set()).add(r.resource_code)
    found: dict[Key, int] = {}
    means = dict(
        TechnicalMeans.objects.filter(
            registration__in=by_kind.get("reserve_means", set())
        ).values_list("registration", "commune_id")
    )
    for code in by_kind.get("reserve_means", set()):
        if code in means:
            found[("reserve_means", code)] = means[code]
    unit_codes = {c: _militia_unit_id(c) for c in by_kind.get("militia_unit", set())}
    commands = dict(
        MilitiaUnit.objects.filter(pk__in={i for i in unit_codes.values() if i}).values_list(
            "pk", "command_id"
        )
    )
    command_codes = {c: _base(c) for c in by_kind.get("militia_command", set())}
    by_code = dict(
        OrgUnit.objects.filter(code__in=set(command_codes.values())).values_list("code", "pk")
    )
    first = first_communes(set(commands.values()) | set(by_code.values()), day)
    for code, unit_id in unit_codes.items():
        command = commands.get(unit_id) if unit_id else None
        if command in first:
            found[("militia_unit", code)] = first[command]
    for code, base in command_codes.items():
        if by_code.get(base) in first:
            found[("militia_command", code)] = first[by_code[base]]
    reservists = {c: _reservist_commune(c) for c in by_kind.get("reservists", set())}
    communes = dict(
        AdminUnit.objects.filter(
            valid_on(day), level=Level.COMMUNE, code__in=set(reservists.values())
        ).values_list("code", "pk")
    )
    for code, commune_code in reservists.items():
        if commune_code in communes:
            found[("reservists", code)] = communes[commune_code]
    return found


def resource_places(
    rows: list[PlanAssignment], plans: list[ResponsePlan], day: date
) -> dict[Key, Place]:
    """Where each (resource_kind, resource_code) of `rows` stands: every resource gets a
    place as long as its commune, or its plan's command's commune, has a centre or a shape."""
    places = _own_places(rows)
    communes = _communes_of(
        [r for r in rows if (r.resource_kind, r.resource_code) not in places], day
    )
    owners = first_communes({p.unit_id for p in plans}, day)
    plan_commune = {p.pk: owners.get(p.unit_id) for p in plans}
    fallback = {
        (r.resource_kind, r.resource_code): plan_commune.get(r.task.plan_id)
        for r in rows
        if (r.resource_kind, r.resource_code) not in places
        and (r.resource_kind, r.resource_code) not in communes
    }
    centres = commune_centres(
        set(communes.values()) | {c for c in fallback.values() if c is not None}
    )
    for key, commune_id in [*communes.items(), *fallback.items()]:
        if commune_id is not None and commune_id in centres:
            lon, lat = centres[commune_id]
            places[key] = Place(lon, lat, approximate=True)
    return places
