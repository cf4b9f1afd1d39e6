"""The civil-defence map pages (issue 19): the 2D map (Leaflet: hazard zones, the exposure
choropleth of the communes a zone touches, shelters, rescue means, a plan's assignments as
lines; every layer toggled; printable with legend and scale) with its exposure table and the
drawing form, the 3D page (MapLibre GL: communes extruded by the people in the zone, the zones
draped; terrain when an elevation file was imported, else the page says the ground is flat), and
the JSON both draw from. Reads through `civildefence.queries` (scoped), a drawn zone saved
through `civildefence.actions.hazard_import`; nothing here decides a permission itself.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from muster.accounts import permissions
from muster.accounts.models import User
from muster.accounts.views_support import request_user
from muster.civildefence import queries as cd
from muster.civildefence.actions import HazardInput, hazard_import
from muster.civildefence.models import HazardKind, HazardZone
from muster.core.errors import FieldError, InvalidInput, NotFound
from muster.core.exports import Column, Table, export_format, export_response
from muster.core.labels import label
from muster.core.views import guarded
from muster.core.wording import error_text
from muster.geo.elevation import terrarium_png, tile_heights
from muster.geo.queries import elevation_latest
from muster.web import cdmap_data

DRAW = "civildefence.hazard.edit"


@dataclass(frozen=True)
class MapState:
    day: date
    zones: list[HazardZone]
    zone: HazardZone | None
    rows: list[cd.ExposureRow]


def _state(request: HttpRequest, user: User) -> MapState:
    """The hazards the user sees today and the one shown (`?hazard=KEY`, else the newest);
    an unknown key or one outside the jurisdiction is a 404."""
    day = timezone.localdate()
    zones = list(cd.hazards_visible(user, day)[: cdmap_data.ZONES_MAX])
    key = request.GET.get("hazard", "")
    zone = cd.access_hazard(user, key, day) if key else (zones[0] if zones else None)
    rows = cd.exposure(zone, day, user) if zone is not None else []
    return MapState(day, zones, zone, rows)


def _exposure_table(state: MapState) -> Table:
    title = _("Exposure")
    if state.zone is not None:
        title = f"{title}: {state.zone.name}"
    return Table(
        title=title,
        columns=[
            Column(_("Commune")),
            Column(_("Code")),
            Column(_("People"), "int"),
            Column(_("People in the zone (estimate)"), "int"),
            Column(_("Households in the zone (estimate)"), "int"),
            Column(_("Vulnerable people in the zone (estimate)"), "int"),
        ],
        rows=[
            (
                r.commune_name,
                r.commune_code,
                r.people,
                r.people_in_zone,
                r.households_in_zone,
                r.vulnerable_in_zone,
            )
            for r in state.rows
        ],
        filename=f"exposure-{state.zone.key}" if state.zone else "exposure",
    )


def _common(state: MapState) -> dict[str, Any]:
    zone = state.zone
    return {
        "day": state.day,
        "zones": state.zones,
        "zone": zone,
        "rows": state.rows,
        "totals": {
            "people_in_zone": sum(r.people_in_zone for r in state.rows),
            "households_in_zone": sum(r.households_in_zone for r in state.rows),
            "vulnerable_in_zone": sum(r.vulnerable_in_zone for r in state.rows),
        },
        "data_url": reverse("web:cd_map_data") + (f"?hazard={zone.key}" if zone else ""),
    }


@guarded(["GET"])
def cd_map(request: HttpRequest) -> HttpResponse:
    """The 2D map, the exposure table of the zone shown (also `?export=xlsx|csv`) and, for who
    may draw hazards, the drawing form."""
    user = request_user(request)
    state = _state(request, user)
    if (fmt := export_format(request)) is not None:
        return export_response(_exposure_table(state), fmt)
    context = _common(state)
    context |= {
        "can_draw": permissions.may(user, DRAW),
        "kinds": HazardKind.choices,
    }
    return render(request, "web/cd_map.html", context)


@guarded(["GET"])
def cd_map_3d(request: HttpRequest) -> HttpResponse:
    """The 3D view of the same zone: communes extruded by the people in it; the same exposure
    table as the 2D map's, and its `?export=xlsx|csv`."""
    user = request_user(request)
    state = _state(request, user)
    if (fmt := export_format(request)) is not None:
        return export_response(_exposure_table(state), fmt)
    context = _common(state)
    grid = elevation_latest()
    # No elevation imported (`muster geo elevation FILE.tif`): the page says the ground is flat.
    context["terrain"] = (
        None
        if grid is None
        else {
            "bounds": ",".join(f"{v:.5f}" for v in grid.bounds),
            "url": reverse("web:cd_terrain_tile", args=[0, 0, 0]).replace("/0/0/0.png", ""),
        }
    )
    return render(request, "web/cd_map_3d.html", context)


TERRAIN_MAX_ZOOM = 12


@guarded(["GET"])
def cd_terrain_tile(request: HttpRequest, z: int, x: int, y: int) -> HttpResponse:
    """A terrain tile (terrarium PNG) of the imported elevation grid; 404 without one or past
    the zoom the grid supports. Public geography: no personal data, no scope."""
    grid = elevation_latest()
    if grid is None or z > TERRAIN_MAX_ZOOM or not (0 <= x < 2**z and 0 <= y < 2**z):
        raise NotFound("ELEVATION_TILE_NOT_FOUND", {"tile": f"{z}/{x}/{y}"})
    png = terrarium_png(tile_heights(grid, z, x, y))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@guarded(["GET"])
def cd_map_data(request: HttpRequest) -> JsonResponse:
    """Every layer of the map as GeoJSON collections, scoped to the user's jurisdiction."""
    user = request_user(request)
    state = _state(request, user)
    return JsonResponse(cdmap_data.layers(user, state.day, state.zones, state.zone, state.rows))


_KEY_SAFE = re.compile(r"[^a-z0-9]+")


def _drawn_key(user: User, now: Any) -> str:
    """A key for a drawn zone: `drawn-<user>-<timestamp>` (letters, digits and dashes)."""
    who = _KEY_SAFE.sub("-", user.username.lower()).strip("-")[:20] or "user"
    return f"drawn-{who}-{now:%Y%m%d%H%M%S}"


@guarded(["POST"])
def cd_map_draw(request: HttpRequest) -> JsonResponse:
    """Save a zone drawn on the map as a hazard (`hazard_import`, audited there); answers the
    URL of the map showing it, or 422 with the errors in words."""
    user = request_user(request)
    errors: list[FieldError] = []
    try:
        severity = int(request.POST.get("severity", "3"))
    except ValueError:
        errors.append(FieldError("severity", "NOT_ONE_OF", {"choices": "1–5"}))
        severity = 0
    try:
        valid_from = date.fromisoformat(request.POST.get("valid_from", ""))
    except ValueError:
        errors.append(FieldError("valid_from", "NOT_A_DATE"))
        valid_from = timezone.localdate()
    geometry = request.POST.get("geometry", "")
    try:
        json.loads(geometry)
    except ValueError:
        errors.append(FieldError("geometry", "REQUIRED"))
    try:
        if errors:
            raise InvalidInput(errors)
        zone = hazard_import(
            given=HazardInput(
                key=_drawn_key(user, timezone.localtime()),
                kind=request.POST.get("kind", ""),
                name=request.POST.get("name", ""),
                valid_from=valid_from,
                severity=severity,
                source="drawn",
            ),
            geojson=geometry,
            acting_user=user,
        )
    except InvalidInput as exc:
        return JsonResponse({"detail": error_text(exc)}, status=422)
    url = f"{reverse('web:cd_map')}?hazard={zone.key}"
    return JsonResponse(
        {"key": zone.key, "url": url, "kind": label("hazard_kind", zone.kind)}, status=201
    )


def _plan_table(plan: Any, rows: list[Any]) -> Table:
    return Table(
        title=f"{_('Response plan')}: {plan.hazard.name} (v{plan.version})",
        columns=[
            Column(_("Task")),
            Column(_("Kind")),
            Column(_("Commune")),
            Column(_("People in the zone (estimate)"), "int"),
            Column(_("Resource")),
            Column(_("Resource kind")),
            Column(_("Assigned"), "int"),
            Column(_("Capacity"), "int"),
            Column(_("Travel (km)"), "decimal", places=1),
        ],
        rows=[
            (
                r.task.code,
                label("cd_task_kind", r.task.kind),
                r.task.commune.name,
                r.task.people,
                r.resource_name or r.resource_code,
                label("cd_resource_kind", r.resource_kind),
                r.assigned,
                r.capacity,
                r.travel_km,
            )
            for r in rows
        ],
        filename=f"plan-{plan.hazard_key}-v{plan.version}",
    )


@guarded(["GET"])
def cd_plan(request: HttpRequest) -> HttpResponse:
    """The current response plan of the zone shown (the newest the user sees): its tasks and
    what the solver assigned to each, shortfalls as their own rows; also `?export=xlsx|csv`."""
    user = request_user(request)
    state = _state(request, user)
    plan = cdmap_data.current_plan(user, state.day, state.zone)
    rows = cdmap_data.plan_rows(plan) if plan is not None else []
    if (fmt := export_format(request)) is not None and plan is not None:
        return export_response(_plan_table(plan, rows), fmt)
    context = _common(state)
    context |= {
        "plan": plan,
        "plan_rows": rows,
        "assigned": sum(r.assigned for r in rows if r.resource_kind != "shortfall"),
    }
    return render(request, "web/cd_plan.html", context)
