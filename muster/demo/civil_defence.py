"""The demo's civil-defence stage (issue 19): the September 2024 flood (typhoon Yagi, storm No. 3)
on the rivers of Lào Cai, its exposure, a response plan and one finished exercise.

The zones are **synthetic**: corridors drawn by this module along approximate courses of the
Red River (sông Thao/Hồng: Lào Cai city → Bảo Thắng → Bảo Hà → Văn Bàn → Yên Bái) and the Chảy
river (Bắc Hà → Bảo Yên → Phúc Khánh → Lục Yên → Thác Bà), a few kilometres wide — not a
survey, not a forecast; each is imported with `synthetic` set and its source saying so. The
register gets what a plan needs in the communes the zones touch: a school and the commune office
as shelters (room for more than the commune's people in the zone), boats, a truck and, every
third commune, a medical team. Everything goes through the civil-defence and exercise actions;
a rerun replaces the zones (same keys: a new version) only when they are missing, and leaves
what exists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from shapely.geometry import LineString, mapping

from muster.accounts.models import User
from muster.civildefence import queries as cd_queries
from muster.civildefence.actions import (
    HazardInput,
    PlaceInput,
    hazard_import,
    means_save,
    shelter_save,
)
from muster.civildefence.models import HazardCommune, HazardZone, PlanAssignment, ResponsePlan
from muster.civildefence.planning import plan_compute
from muster.core.validity import valid_on
from muster.demo.exercise import ExerciseResult, exercise_stage
from muster.geo.models import AdminUnit
from muster.orgs.models import OrgKind, OrgUnit, Territory

YAGI_DAY = date(2024, 9, 9)  # the Thao at Yên Bái reached 33.98 m (civil-defence.md §3)
SOURCE = "demo: synthetic corridor along the river, modelled on 09/2024 (Yagi)"

# (key, name, kind, severity, buffer in degrees, course as (lon, lat))
RIVERS: tuple[tuple[str, str, str, int, float, tuple[tuple[float, float], ...]], ...] = (
    (
        "yagi-2024-song-hong",
        "Lũ sông Hồng tháng 9/2024 (mô phỏng)",
        "flood",
        4,
        0.035,
        (
            (103.96, 22.51),
            (104.03, 22.44),
            (104.12, 22.36),
            (104.19, 22.31),
            (104.29, 22.21),
            (104.36, 22.16),
            (104.47, 22.07),
            (104.60, 21.93),
            (104.75, 21.80),
            (104.87, 21.72),
        ),
    ),
    (
        "yagi-2024-song-chay",
        "Lũ sông Chảy tháng 9/2024 (mô phỏng)",
        "flood",
        3,
        0.025,
        (
            (104.28, 22.66),
            (104.36, 22.47),
            (104.47, 22.25),
            (104.58, 22.15),
            (104.72, 22.09),
            (104.85, 21.98),
            (104.95, 21.90),
        ),
    ),
)


@dataclass(frozen=True)
class CivilDefenceResult:
    zones: int
    communes: int
    people_in_zone: int
    shelters: int
    means: int
    plan_rows: int
    shortfall: int
    exercise: ExerciseResult | None


def _zones() -> list[HazardZone]:
    zones = []
    for key, name, kind, severity, width, course in RIVERS:
        zone = HazardZone.objects.filter(key=key, superseded_at__isnull=True).first()
        if zone is None:
            corridor = LineString(course).buffer(width, quad_segs=4).simplify(0.002)
            zone = hazard_import(
                given=HazardInput(
                    key=key,
                    kind=kind,
                    name=name,
                    valid_from=YAGI_DAY,
                    severity=severity,
                    source=SOURCE,
                    synthetic=True,
                ),
                geojson=json.dumps(mapping(corridor)),
                acting_user=None,
            )
        zones.append(zone)
    return zones


def _commune_commands(commune_ids: set[int], day: date) -> dict[int, OrgUnit]:
    """The commune command of each commune (by its territory on `day`)."""
    found = Territory.objects.filter(
        valid_on(day), admin_unit_id__in=commune_ids, org_unit__kind=OrgKind.COMMUNE_COMMAND
    ).select_related("org_unit")
    return {t.admin_unit_id: t.org_unit for t in found}


def _register(zones: list[HazardZone], today: date) -> tuple[int, int, list[str], list[OrgUnit]]:
    """Shelters and means in the touched communes, sized to the people in the zone there."""
    in_zone: dict[int, int] = {}
    for zone in zones:
        for row in cd_queries.exposure(zone, today):
            in_zone[row.commune_id] = max(in_zone.get(row.commune_id, 0), row.people_in_zone)
    communes = AdminUnit.objects.in_bulk(list(in_zone))
    commands = _commune_commands(set(in_zone), today)
    shelters = means = 0
    means_words: list[str] = []
    ranked = sorted(in_zone, key=lambda c: (-in_zone[c], communes[c].code))
    for index, commune_id in enumerate(ranked):
        commune, command = communes[commune_id], commands.get(commune_id)
        if command is None or commune.lat is None or commune.lon is None:
            continue
        people = in_zone[commune_id]
        lat, lon = commune.lat, commune.lon
        for n, (kind, name, share, dlat) in enumerate(
            (
                ("school", f"Trường THCS {commune.short_name}", 0.8, 0.004),
                ("commune_office", f"Trụ sở UBND {commune.short_name}", 0.5, -0.003),
            ),
            start=1,
        ):
            shelter_save(
                given=PlaceInput(
                    code=f"demo-sh-{commune.code}-{n}",
                    kind=kind,
                    name=name,
                    unit=command,
                    commune=commune,
                    lat=round(lat + dlat, 5),
                    lon=round(lon + 0.003 * n, 5),
                    capacity=max(80, int(people * share) + 20),
                    valid_from=YAGI_DAY,
                ),
                acting_user=None,
            )
            shelters += 1
        kit = [
            ("boat", "Xuồng máy cứu hộ", 12),
            ("boat", "Xuồng cao su", 8),
            ("truck", "Xe tải", 30),
        ]
        if index % 3 == 0:
            kit.append(("medical_team", "Tổ y tế cơ động", 60))
        for n, (kind, name, capacity) in enumerate(kit, start=1):
            means_save(
                given=PlaceInput(
                    code=f"demo-pt-{commune.code}-{n}",
                    kind=kind,
                    name=f"{name} {commune.short_name}",
                    unit=command,
                    commune=commune,
                    lat=round(lat - 0.002 * n, 5),
                    lon=round(lon - 0.003, 5),
                    capacity=capacity,
                    valid_from=YAGI_DAY,
                ),
                operator=None,
                acting_user=None,
            )
            means += 1
            if len(means_words) < 6:
                means_words.append(f"{name} {commune.short_name}")
    ordered = [commands[c] for c in ranked if c in commands]
    return shelters, means, means_words, ordered


def civil_defence_stage(
    *, provincial: OrgUnit, owner: User | None, today: date, seed: int
) -> CivilDefenceResult:
    """The flood zones, the register around them, a plan for the Red River zone, the exercise."""
    zones = _zones()
    shelters, means, means_words, commands = _register(zones, today)
    touched = HazardCommune.objects.filter(zone__in=zones).values("commune_id").distinct().count()
    people = sum(r.people_in_zone for r in cd_queries.exposure(zones[0], today))
    plan_rows, shortfall = _plan(zones[0], provincial, today)
    exercise = exercise_stage(
        provincial=provincial,
        commands=commands,
        hazard_key=zones[0].key,
        means=means_words,
        owner=owner,
        today=today,
        seed=seed,
    )
    return CivilDefenceResult(
        len(zones), touched, people, shelters, means, plan_rows, shortfall, exercise
    )


def _plan(zone: HazardZone, provincial: OrgUnit, today: date) -> tuple[int, int]:
    """Solve the response plan of the zone for the provincial command (once: a rerun keeps
    the current version). Returns the plan's assignment rows and its shortfall."""
    plan = (
        ResponsePlan.objects.filter(hazard_key=zone.key, unit=provincial, status="current")
        .order_by("-version")
        .first()
    )
    if plan is None:
        plan = plan_compute(zone=zone, as_of=today, acting_user=None, unit_code=provincial.code)
    return PlanAssignment.objects.filter(task__plan=plan).count(), plan.shortfall


def civil_defence_summary(result: CivilDefenceResult) -> str:
    done = (
        f"{result.zones} flood zones (synthetic, 09/2024) over {result.communes} communes, "
        f"{result.people_in_zone} people in the Red River zone; {result.shelters} shelters, "
        f"{result.means} means; plan: {result.plan_rows} rows, shortfall {result.shortfall}"
    )
    if result.exercise is not None:
        done += (
            f"; exercise: {result.exercise.members} members, "
            f"{result.exercise.training_sessions} training sessions"
        )
    return done
