"""Route scope cases of the civil-defence pages and API (collected by tests/test_route_scopes.py):
the shared world's communes are redrawn as squares side by side, a hazard zone lies over
commune 99001 only (CD-IN) and one over 99003 only (CD-OUT), each with a plan, a shelter and a
rescue means; each of the two communes also has a civil-defence level 1 decision and a
commune civil-defence command. The user (commune 99001's command) must not see or change
99003's."""

from __future__ import annotations

import json
from datetime import date

from django.utils import timezone

from muster.accounts.tests.factories import World
from muster.civildefence import actions, planning
from muster.civildefence.models import (
    CivilDefenceCommand,
    HazardZone,
    LevelDecision,
    ResponsePlan,
)
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
        decision = actions.DecisionInput(
            kind="civil_defence",
            level=1,
            area=world.communes[index],
            issuer="commune_chairman",
            legal_basis="Luật Phòng thủ dân sự 2023, Điều 20",
            starts_on=date(2026, 9, 8),
            number=f"{index + 1}/QĐ-UBND",
        )
        actions.level_decide(given=decision, acting_user=None)
        command = actions.CommandInput(
            unit=world.commune_commands[index],
            name=f"Ban Chỉ huy PTDS {key}",
            head_name="Hoàng Thị Chủ",
            head_title="Chủ tịch UBND xã",
            valid_from=date(2025, 8, 23),
            deputy_name="Vàng A Phó",
            deputy_title="Chỉ huy trưởng Ban CHQS xã",
        )
        actions.cd_command_set(given=command, acting_user=None)


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


def _decision(w: World, index: int) -> int:
    return LevelDecision.objects.get(area=w.communes[index]).pk


def _command(w: World, index: int) -> int:
    return CivilDefenceCommand.objects.get(unit=w.commune_commands[index]).pk


def _place(w: World, index: int, code: str) -> dict[str, str]:
    """The register form's fields for a place of commune `index` (its command keeping it)."""
    return {
        "code": code,
        "kind": "school" if code.startswith("S") else "boat",
        "name": "Nhà văn hoá thôn",
        "unit": w.commune_commands[index].code,
        "commune": w.communes[index].code,
        "lat": str(SOUTH + SIDE / 2),
        "lon": str(WEST + (index + 0.5) * SIDE),
        "capacity": "30",
        "valid_from": "2026-01-01",
    }


def _decision_form(w: World, index: int) -> dict[str, str]:
    return {
        "kind": "civil_defence",
        "level": "1",
        "area": w.communes[index].code,
        "issuer": "commune_chairman",
        "legal_basis": "Luật Phòng thủ dân sự 2023, Điều 20",
        "starts_on": "2026-09-09",
    }


def _command_form(w: World, index: int) -> dict[str, str]:
    return {
        "unit": w.commune_commands[index].code,
        "name": "Ban Chỉ huy PTDS mới",
        "head_name": "Hoàng Thị Chủ",
        "head_title": "Chủ tịch UBND xã",
        "valid_from": "2026-10-01",
    }


CHOICES_ONLY = (
    "the form offers only the user's units, communes and areas: another's is an invalid "
    "choice (200, the form with its error); auditors are refused the form (403)"
)


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
    # The register's forms offer only the user's units and communes.
    "civildefence:shelter_new": Case(lambda w: "/civil-defence/shelters/new/"),
    "civildefence:shelter_edit": Case(
        lambda w: "/civil-defence/shelters/S-CD-IN/", lambda w: "/civil-defence/shelters/S-CD-OUT/"
    ),
    "civildefence:shelter_retire": Case(
        lambda w: "/civil-defence/shelters/S-CD-IN/retire/",
        lambda w: "/civil-defence/shelters/S-CD-OUT/retire/",
        method="post",
        data=lambda w: {"retire-last_day": "2099-12-31"},
        in_status=302,
    ),
    "civildefence:means_new": Case(lambda w: "/civil-defence/means/new/"),
    "civildefence:means_edit": Case(
        lambda w: "/civil-defence/means/M-CD-IN/", lambda w: "/civil-defence/means/M-CD-OUT/"
    ),
    "civildefence:means_retire": Case(
        lambda w: "/civil-defence/means/M-CD-IN/retire/",
        lambda w: "/civil-defence/means/M-CD-OUT/retire/",
        method="post",
        data=lambda w: {"retire-last_day": "2099-12-31"},
        in_status=302,
    ),
    "civildefence:decisions": Case(lambda w: "/civil-defence/decisions/"),
    "civildefence:decision_new": Case(lambda w: "/civil-defence/decisions/new/"),
    "civildefence:decision_edit": Case(
        lambda w: f"/civil-defence/decisions/{_decision(w, 0)}/",
        lambda w: f"/civil-defence/decisions/{_decision(w, 2)}/",
    ),
    "civildefence:decision_lift": Case(
        lambda w: f"/civil-defence/decisions/{_decision(w, 0)}/lift/",
        lambda w: f"/civil-defence/decisions/{_decision(w, 2)}/lift/",
        method="post",
        data=lambda w: {"lift-ends_on": "2099-12-31"},
        in_status=302,
    ),
    "civildefence:commands": Case(lambda w: "/civil-defence/commands/?all=1"),
    "civildefence:command_new": Case(lambda w: "/civil-defence/commands/new/"),
    "civildefence:command_edit": Case(
        lambda w: f"/civil-defence/commands/{_command(w, 0)}/",
        lambda w: f"/civil-defence/commands/{_command(w, 2)}/",
    ),
    "civildefence:command_end": Case(
        lambda w: f"/civil-defence/commands/{_command(w, 0)}/end/",
        lambda w: f"/civil-defence/commands/{_command(w, 2)}/end/",
        method="post",
        data=lambda w: {"end-last_day": "2099-12-31"},
        in_status=302,
    ),
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
    "civildefence:shelter_new": Write(
        lambda w: "/civil-defence/shelters/new/",
        lambda w: _place(w, 2, "S-NEW"),
        refused=(200, 403),
        why=CHOICES_ONLY,
    ),
    # Another commune's shelter: not found, even when moved to the user's own commune.
    "civildefence:shelter_edit": Write(
        lambda w: "/civil-defence/shelters/S-CD-OUT/", lambda w: _place(w, 0, "S-CD-OUT")
    ),
    "civildefence:shelter_retire": Write(
        lambda w: "/civil-defence/shelters/S-CD-OUT/retire/",
        lambda w: {"retire-last_day": "2099-12-31"},
    ),
    "civildefence:means_new": Write(
        lambda w: "/civil-defence/means/new/",
        lambda w: _place(w, 2, "M-NEW"),
        refused=(200, 403),
        why=CHOICES_ONLY,
    ),
    "civildefence:means_edit": Write(
        lambda w: "/civil-defence/means/M-CD-OUT/", lambda w: _place(w, 0, "M-CD-OUT")
    ),
    "civildefence:means_retire": Write(
        lambda w: "/civil-defence/means/M-CD-OUT/retire/",
        lambda w: {"retire-last_day": "2099-12-31"},
    ),
    "civildefence:decision_new": Write(
        lambda w: "/civil-defence/decisions/new/",
        lambda w: _decision_form(w, 2),
        refused=(200, 403),
        why=CHOICES_ONLY,
    ),
    "civildefence:decision_edit": Write(
        lambda w: f"/civil-defence/decisions/{_decision(w, 2)}/", lambda w: _decision_form(w, 0)
    ),
    "civildefence:decision_lift": Write(
        lambda w: f"/civil-defence/decisions/{_decision(w, 2)}/lift/",
        lambda w: {"lift-ends_on": "2099-12-31"},
    ),
    "civildefence:command_new": Write(
        lambda w: "/civil-defence/commands/new/",
        lambda w: _command_form(w, 2),
        refused=(200, 403),
        why=CHOICES_ONLY,
    ),
    "civildefence:command_edit": Write(
        lambda w: f"/civil-defence/commands/{_command(w, 2)}/", lambda w: _command_form(w, 0)
    ),
    "civildefence:command_end": Write(
        lambda w: f"/civil-defence/commands/{_command(w, 2)}/end/",
        lambda w: {"end-last_day": "2099-12-31"},
    ),
    "civildefence:plan_compute": Write(lambda w: "/civil-defence/hazards/CD-OUT/plan/"),
    # A zone over commune 99003 only: outside the jurisdiction (403), whatever the role.
    "api-v1:hazard_list": Write(lambda w: f"{API}/hazards", _hazard_body, api=True),
    "api-v1:plan_compute": Write(lambda w: f"{API}/hazards/CD-OUT/plans", lambda w: {}, api=True),
}
