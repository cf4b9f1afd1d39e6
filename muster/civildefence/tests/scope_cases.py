"""Route scope cases of the civil-defence pages and API (collected by tests/test_route_scopes.py):
the shared world's communes are redrawn as squares side by side, a hazard zone lies over
commune 99001 only (CD-IN) and one over 99003 only (CD-OUT), each with a plan, a shelter and a
rescue means; the user (commune 99001's command) must not see or change 99003's."""

from __future__ import annotations

import json
from datetime import date

from django.utils import timezone

from muster.accounts.tests.factories import World
from muster.civildefence import actions, planning
from muster.civildefence.models import HazardZone, ResponsePlan
from muster.civildefence.tests.factories import SIDE, SOUTH, WEST, shape_communes, square
from tests.scope_support import Case, Write


def _zone_geometry(index: int) -> dict[str, object]:
    west = WEST + index * SIDE + SIDE / 4
    return square(west, SOUTH + SIDE / 4, west + SIDE / 2, SOUTH + 3 * SIDE / 4)


def prepare(world: World) -> None:
    shape_communes(world)
    today = timezone.localdate()
    for key, index in (("CD-IN", 0), ("CD-OUT", 2)):
        given = actions.HazardInput(
            key=key, kind="flood", name=f"Lũ {key}", valid_from=date(2026, 1, 1), severity=3
        )
        zone = actions.hazard_import(
            given=given, geojson=json.dumps(_zone_geometry(index)), acting_user=None
        )
        for code, save in (("S", actions.shelter_save), ("M", None)):
            place = actions.PlaceInput(
                code=f"{code}-{key}",
                kind="school" if code == "S" else "boat",
                name="Trường học" if code == "S" else "Xuồng máy",
                unit=world.commune_commands[index],
                commune=world.communes[index],
                lat=SOUTH + SIDE / 2,
                lon=WEST + (index + 0.5) * SIDE,
                capacity=20,
            )
            if save is not None:
                save(given=place, acting_user=None)
            else:
                actions.means_save(given=place, operator=None, acting_user=None)
        planning.plan_compute(zone=zone, as_of=today, acting_user=None)


def _plan(key: str) -> int:
    return (
        ResponsePlan.objects.filter(hazard_key=key)
        .order_by("-version")
        .values_list("pk", flat=True)[0]
    )


def _hazard_body(w: World) -> dict[str, object]:
    return {
        "key": "CD-NEW",
        "kind": "flood",
        "name": "Lũ mới",
        "valid_from": "2026-01-01",
        "geojson": _zone_geometry(2),
    }


def _current(key: str) -> HazardZone:
    return HazardZone.objects.get(key=key, superseded_at__isnull=True)


API = "/api/v1/civil-defence"

CASES: dict[str, Case] = {
    "civildefence:index": Case(lambda w: "/civil-defence/"),
    "civildefence:hazard": Case(
        lambda w: "/civil-defence/hazards/CD-IN/", lambda w: "/civil-defence/hazards/CD-OUT/"
    ),
    "civildefence:plan_compute": Case(
        lambda w: "/civil-defence/hazards/CD-IN/plan/",
        lambda w: "/civil-defence/hazards/CD-OUT/plan/",
        method="post",
        data=lambda w: {},
        in_status=302,
    ),
    "civildefence:plan": Case(
        lambda w: f"/civil-defence/plans/{_plan('CD-IN')}/",
        lambda w: f"/civil-defence/plans/{_plan('CD-OUT')}/",
    ),
    "civildefence:shelters": Case(lambda w: "/civil-defence/shelters/"),
    "civildefence:means": Case(lambda w: "/civil-defence/means/"),
    "api-v1:hazard_list": Case(lambda w: f"{API}/hazards", api=True),
    # The same path's POST (ninja names the path after either operation).
    "api-v1:hazard_create": Case(lambda w: f"{API}/hazards", api=True),
    "api-v1:hazard_detail": Case(
        lambda w: f"{API}/hazards/CD-IN", lambda w: f"{API}/hazards/CD-OUT", api=True
    ),
    "api-v1:hazard_exposure": Case(
        lambda w: f"{API}/hazards/CD-IN/exposure",
        lambda w: f"{API}/hazards/CD-OUT/exposure",
        api=True,
    ),
    "api-v1:plan_list": Case(lambda w: f"{API}/plans", api=True),
    "api-v1:plan_detail": Case(
        lambda w: f"{API}/plans/{_plan('CD-IN')}",
        lambda w: f"{API}/plans/{_plan('CD-OUT')}",
        api=True,
    ),
    "api-v1:plan_compute": Case(
        lambda w: f"{API}/hazards/CD-IN/plans",
        lambda w: f"{API}/hazards/CD-OUT/plans",
        api=True,
        method="post",
        data=lambda w: {},
        in_status=201,
    ),
}

WRITES: dict[str, Write] = {
    "civildefence:plan_compute": Write(lambda w: "/civil-defence/hazards/CD-OUT/plan/"),
    # A zone over commune 99003 only: outside the jurisdiction (403), whatever the role.
    "api-v1:hazard_list": Write(lambda w: f"{API}/hazards", _hazard_body, api=True),
    "api-v1:plan_compute": Write(lambda w: f"{API}/hazards/CD-OUT/plans", lambda w: {}, api=True),
}
