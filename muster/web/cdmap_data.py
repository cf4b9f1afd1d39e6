"""The civil-defence map's layers as GeoJSON (`views_cdmap.cd_map_data`): hazard zones, the
exposure of the zone shown per commune (the commune's drawn shape, its counts), shelters and
rescue means (points), and the current plans' assignments of the zone as lines from the
resource to the commune of its task. Everything comes from `civildefence.queries` (scoped);
shapes and places from `geo` (public geography).

Where a resource stands (`cdmap_places`): a shelter or a registered means at its own point;
every other resource — the reserve's means, a militia unit, a command's militia, reservists — at
the centre of its unit's commune, and its line says the place is approximate; so every
assignment draws a line. A task stands where its commune's part of the zone is
(`HazardCommune`'s point).
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.urls import reverse

from muster.accounts import permissions
from muster.accounts.models import User
from muster.civildefence import queries as cd
from muster.civildefence.models import HazardCommune, HazardZone, PlanAssignment, ResponsePlan
from muster.core.labels import label
from muster.geo.models import UnitShape
from muster.web.cdmap_places import resource_places

ZONES_MAX = 200  # hazards listed and drawn at once (newest first)
LINES_MAX = 5000  # assignments drawn (a plan past it is read in its table)

Feature = dict[str, Any]


def _collection(features: list[Feature]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


def _point(lon: float, lat: float, **props: Any) -> Feature:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": props,
    }


def _hazards(zones: list[HazardZone]) -> list[Feature]:
    return [
        {
            "type": "Feature",
            "geometry": json.loads(z.geometry),
            "properties": {
                "key": z.key,
                "name": z.name,
                "kind": label("hazard_kind", z.kind),
                "severity": z.severity,
                "synthetic": z.synthetic,
            },
        }
        for z in zones
    ]


def _exposure(rows: list[cd.ExposureRow]) -> list[Feature]:
    shapes = dict(
        UnitShape.objects.filter(unit_id__in=[r.commune_id for r in rows]).values_list(
            "unit_id", "geojson"
        )
    )
    features = []
    for r in rows:
        shape = shapes.get(r.commune_id)
        if shape is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": json.loads(shape),
                "properties": {
                    "code": r.commune_code,
                    "name": r.commune_name,
                    "people": r.people,
                    "people_in_zone": r.people_in_zone,
                    "households_in_zone": r.households_in_zone,
                    "vulnerable_in_zone": r.vulnerable_in_zone,
                },
            }
        )
    return features


def _assignments(user: User, day: date, zone: HazardZone) -> list[Feature]:
    plans = [p for p in cd.plans_visible(user, day, zone) if p.status == "current"]
    if not plans:
        return []
    task_places = {
        commune_id: (lon, lat)
        for commune_id, lon, lat in HazardCommune.objects.filter(
            zone__key=zone.key, zone__superseded_at__isnull=True
        ).values_list("commune_id", "lon", "lat")
    }
    rows = list(
        PlanAssignment.objects.filter(task__plan__in=plans)
        .exclude(resource_kind="shortfall")
        .select_related("task")
        .order_by("task__plan_id", "task__code", "pk")[:LINES_MAX]
    )
    places = resource_places(rows, plans, day)
    features: list[Feature] = []
    for r in rows:
        place = places.get((r.resource_kind, r.resource_code))
        end = task_places.get(r.task.commune_id)
        if place is None or end is None:
            continue
        start = [place.lon, place.lat]
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": [start, list(end)]},
                "properties": {
                    "task": r.task.code,
                    "task_kind": label("cd_task_kind", r.task.kind),
                    "resource": r.resource_name or r.resource_code,
                    "resource_kind": label("cd_resource_kind", r.resource_kind),
                    "assigned": r.assigned,
                    "approximate": place.approximate,
                },
            }
        )
    return features


def current_plan(user: User, day: date, zone: HazardZone | None) -> ResponsePlan | None:
    """The newest current plan of the zone shown that the user sees, if any."""
    if zone is None:
        return None
    for plan in cd.plans_visible(user, day, zone):
        if plan.status == "current":
            return plan
    return None


def layers(
    user: User,
    day: date,
    zones: list[HazardZone],
    zone: HazardZone | None,
    rows: list[cd.ExposureRow],
) -> dict[str, Any]:
    """Every layer of the map, each a FeatureCollection; `hazard`: the zone shown. A shelter's
    or means' point carries the address of its form (`url`) for who may keep the register."""
    editable = permissions.may(user, "civildefence.register.edit")

    def form(name: str, code: str) -> str:
        return reverse(f"civildefence:{name}_edit", args=[code]) if editable else ""

    return {
        "hazard": zone.key if zone else None,
        "hazards": _collection(_hazards(zones)),
        "exposure": _collection(_exposure(rows)),
        "shelters": _collection(
            [
                _point(
                    s.lon,
                    s.lat,
                    name=s.name,
                    kind=label("shelter_kind", s.kind),
                    capacity=s.capacity,
                    url=form("shelter", s.code),
                )
                for s in cd.shelters_visible(user, day)
            ]
        ),
        "means": _collection(
            [
                _point(
                    m.lon,
                    m.lat,
                    name=m.name,
                    kind=label("cd_means_kind", m.kind),
                    capacity=m.capacity,
                    url=form("means", m.code),
                )
                for m in cd.means_visible(user, day)
            ]
        ),
        "assignments": _collection(_assignments(user, day, zone) if zone else []),
    }


def plan_rows(plan: ResponsePlan) -> list[PlanAssignment]:
    """A plan's assignments in task order, shortfalls after each task's resources."""
    return list(
        PlanAssignment.objects.filter(task__plan=plan)
        .select_related("task", "task__commune")
        .order_by("task__code", "resource_kind", "resource_code", "pk")
    )
