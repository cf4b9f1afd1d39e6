"""Pure decisions of civil defence: level decisions, who counts as vulnerable, the exposure
estimate, what a hazard asks of the forces, what a resource can do, and travel. No ORM, no I/O.

Sources (../shared/civil-defence.md):

- `CD_LEVELS` — Civil Defence Law 18/2023/QH15 Art. 7, Art. 20 as amended by Law 98/2025/QH15,
  Decree 200/2025/NĐ-CP Art. 14: level 1 in one commune, declared by the commune PC chairman;
  level 2 in one province, by the provincial PC chairman; level 3, one or more provinces, by
  the Prime Minister.
- `DISASTER_RISK_LEVELS` — Decision 18/2021/QĐ-TTg Art. 4: levels 1–5 per hazard type; storms
  3–5 (Art. 42), flash floods, landslides and subsidence 1–3 (Art. 46); river floods 1–5 and
  heavy-rain inundation 1–4 are [UNCERTAIN] in the brief and kept so here.
- `VULNERABLE_GROUPS` — CD Law Art. 2(4): children, older people, people with disabilities or
  serious illness … The registry knows ages and, as a person fact, who needs help to move:
  children under 16, people aged 60 and over (the Law on the Elderly's age) and anyone flagged.
- `EVACUATION` — CD Law Art. 22 (evacuation is the first level-1 measure); Decree 66/2021
  Art. 7 as amended by Decree 53/2026 (the commune moves the households at risk). The shares
  evacuated per severity and the rescuers per person are planning norms of this registry,
  configurable, not law.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from muster.people import rules as people_rules

# --- level decisions ---------------------------------------------------------------------

CD_LEVEL_ISSUER = {1: "commune_chairman", 2: "province_chairman", 3: "prime_minister"}
CD_LEVEL_AREA = {1: "commune", 2: "province", 3: "province"}
# Decision 18/2021/QĐ-TTg: the risk levels a bulletin may give each hazard type.
RISK_RANGE: dict[str, tuple[int, int]] = {
    "storm": (3, 5),
    "flash_flood": (1, 3),
    "landslide": (1, 3),
    "subsidence": (1, 3),
    "flood": (1, 5),  # [UNCERTAIN]
    "inundation": (1, 4),  # [UNCERTAIN]
    "storm_surge": (1, 5),  # [UNCERTAIN]
    "other": (1, 5),
}


@dataclass(frozen=True)
class Problem:
    field: str
    code: str
    params: dict[str, object]


def cd_level_problems(level: int, area_level: str, issuer: str) -> list[Problem]:
    """What is wrong with declaring civil-defence level `level` over an area of `area_level`
    ("commune" | "province") by `issuer` (CD_LEVELS: CD Law Art. 7, Art. 20 as amended by
    Law 98/2025; Decree 200/2025 Art. 14)."""
    if level not in CD_LEVEL_ISSUER:
        return [Problem("level", "CD_LEVEL_RANGE", {"min": 1, "max": 3})]
    found = []
    if area_level != CD_LEVEL_AREA[level]:
        found.append(Problem("area", "CD_LEVEL_AREA", {"level": level}))
    if issuer != CD_LEVEL_ISSUER[level]:
        found.append(Problem("issuer", "CD_LEVEL_ISSUER", {"level": level}))
    return found


def risk_level_problems(level: int, hazard_kind: str) -> list[Problem]:
    """What is wrong with disaster risk level `level` for `hazard_kind` (Decision 18/2021/
    QĐ-TTg Art. 4, 42, 46; DISASTER_RISK_LEVELS)."""
    low, high = RISK_RANGE.get(hazard_kind, (1, 5))
    if not low <= level <= high:
        return [Problem("level", "RISK_LEVEL_RANGE", {"min": low, "max": high})]
    return []


def severity_problems(severity: int) -> list[Problem]:
    """A hazard zone's severity is a risk level, 1–5 (Decision 18/2021/QĐ-TTg Art. 4)."""
    if not 1 <= severity <= 5:
        return [Problem("severity", "HAZARD_SEVERITY_RANGE", {"min": 1, "max": 5})]
    return []


KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,59}$")


def key_problems(key: str) -> list[Problem]:
    """A hazard key: 1–60 letters, digits, `_`, `.` or `-`, starting with a letter or digit."""
    if not KEY_PATTERN.match(key):
        return [Problem("key", "HAZARD_KEY_FORMAT", {})]
    return []


# --- vulnerability and exposure ----------------------------------------------------------

# The groups the registry knows and their bounds (`people.rules`) are those of the counts the
# readiness snapshots and the live exposure share (`people.counts`): the two cannot disagree.
CHILD_UNDER = people_rules.CHILD_UNDER
OLDER_FROM = people_rules.OLDER_FROM
MOBILITY_FACT = people_rules.MOBILITY_FACT  # people.FactKind: the latest "yes" flags the person
MOBILITY_YES = people_rules.MOBILITY_YES
years_before = people_rules.years_before
vulnerable_birth_bounds = people_rules.vulnerable_birth_bounds


def is_vulnerable(birth_date: date, day: date, needs_help_to_move: bool) -> bool:
    """Under 16, 60 or over, or flagged as needing help to move (CD Law Art. 2(4))."""
    child_after, older_by = vulnerable_birth_bounds(day)
    return needs_help_to_move or birth_date > child_after or birth_date <= older_by


def in_zone(count: float, share: float) -> int:
    """People (or households) of a commune in the zone, assuming a uniform density over the
    commune's drawn shape: `count × share`, rounded half up to whole people. An estimate."""
    share = min(max(share, 0.0), 1.0)
    return math.floor(count * share + 0.5)


# --- tasks -------------------------------------------------------------------------------

EVACUATE, TRANSPORT, RESCUE, RELIEF = "evacuate", "transport", "search_and_rescue", "relief"
TASK_ORDER = (EVACUATE, TRANSPORT, RESCUE, RELIEF)
# Share of the people in the zone evacuated by severity: 1 warn only, 2 the vulnerable, 3+ all.
EVACUATED_BY_SEVERITY = {1: "none", 2: "vulnerable", 3: "all", 4: "all", 5: "all"}
# People in the zone per rescuer needed (planning norm; fast, violent hazards need more).
PEOPLE_PER_RESCUER = {
    "flash_flood": 20,
    "landslide": 20,
    "subsidence": 40,
    "flood": 100,
    "inundation": 150,
    "storm_surge": 100,
    "storm": 200,
    "other": 100,
}
RESCUE_FROM_SEVERITY = 2
PEOPLE_PER_MEDIC = 50  # people one militia or reserve medic serves in relief


@dataclass(frozen=True)
class Demand:
    kind: str
    demand: int


def task_demands(
    hazard_kind: str, severity: int, people_in_zone: int, vulnerable_in_zone: int
) -> list[Demand]:
    """What a commune's part of a zone asks for (EVACUATION; norms above): people evacuated
    to shelters, those of them who need transport (the vulnerable), rescuers, and people
    served by relief at the shelters. Zero demands are left out."""
    mode = EVACUATED_BY_SEVERITY.get(severity, "all")
    vulnerable = min(vulnerable_in_zone, people_in_zone)
    evacuated = {"none": 0, "vulnerable": vulnerable, "all": people_in_zone}[mode]
    carried = min(vulnerable, evacuated)
    rescuers = 0
    if severity >= RESCUE_FROM_SEVERITY and people_in_zone:
        rescuers = math.ceil(people_in_zone / PEOPLE_PER_RESCUER.get(hazard_kind, 100))
    found = [
        Demand(EVACUATE, evacuated),
        Demand(TRANSPORT, carried),
        Demand(RESCUE, rescuers),
        Demand(RELIEF, evacuated),
    ]
    return [d for d in found if d.demand > 0]


# --- resources ---------------------------------------------------------------------------

# The task a civil-defence register means' capacity serves, by its kind.
MEANS_USE = {
    "boat": TRANSPORT,
    "truck": TRANSPORT,
    "bus": TRANSPORT,
    "excavator": RESCUE,
    "radio": RESCUE,
    "medical_team": RELIEF,
    "generator": RELIEF,
    "pump": RELIEF,
    "other": RESCUE,
}
# Reserve technical means (reserve.MeansKind) read through: (task, capacity when unstated).
RESERVE_MEANS_USE = {
    "vessel": (TRANSPORT, 12),
    "vehicle": (TRANSPORT, 20),
    "construction": (RESCUE, 5),
    "medical": (RELIEF, 100),
}
TRIPS_PER_WINDOW = 4  # a boat or truck carries its seats this many times in a task window
MEDICAL_SPECIALTIES = frozenset({"MEDIC", "PHYSICIAN", "PHARMACY"})
NUMBER = re.compile(r"\d+")


def stated_capacity(text: str, default: int) -> int:
    """The first whole number of a registry's capacity text ("30 seats" → 30), else
    `default`."""
    found = NUMBER.search(text or "")
    return int(found.group()) if found and int(found.group()) > 0 else default


def reserve_means_capacity(kind: str, capacity_text: str) -> tuple[str, int] | None:
    """(task, capacity in the task's units) of a reserve technical means, None when it serves
    no civil-defence task; carriers take their seats `TRIPS_PER_WINDOW` times."""
    use = RESERVE_MEANS_USE.get(kind)
    if use is None:
        return None
    task, default = use
    capacity = stated_capacity(capacity_text, default) if task == TRANSPORT else default
    return task, capacity * (TRIPS_PER_WINDOW if task == TRANSPORT else 1)


def militia_capacity(specialty: str, headcount: int) -> tuple[str, int]:
    """A militia unit's task and capacity: medical units serve people in relief
    (`PEOPLE_PER_MEDIC` each), every other unit rescues with its headcount."""
    if specialty == "medical":
        return RELIEF, headcount * PEOPLE_PER_MEDIC
    return RESCUE, headcount


def reservist_task(specialty: str) -> tuple[str, int]:
    """A reservist's task and capacity (one rescuer, or a medic serving people in relief)."""
    if specialty in MEDICAL_SPECIALTIES:
        return RELIEF, PEOPLE_PER_MEDIC
    return RESCUE, 1


# --- one person, one role per window -----------------------------------------------------

ROLE_ORDER = ("rescue_means", "militia", "reservist")  # the role a person keeps, first first


def keep_one_role(roles: set[str]) -> tuple[str, list[str]]:
    """A person in several roles in one task window is assigned once: the role kept (a means'
    operator stays with the means, a militia member with the unit) and the roles refused."""
    ordered = [r for r in ROLE_ORDER if r in roles]
    return ordered[0], ordered[1:]


def windows_overlap(a: tuple[date, date], b: tuple[date, date]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


# --- travel ------------------------------------------------------------------------------

EARTH_KM = 6371.0088
DEFAULT_TERRAIN_FACTOR = 1.4


def straight_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_KM * math.asin(min(1.0, math.sqrt(h)))


def terrain_factor_problems(factor: float) -> list[Problem]:
    """The factor turning straight-line km into travel km: 1 (flat, straight roads) to 5."""
    if not 1.0 <= factor <= 5.0:
        return [Problem("terrain_factor", "TERRAIN_FACTOR_RANGE", {"min": 1, "max": 5})]
    return []


# --- plans and restructuring -------------------------------------------------------------

REVISION_RESTRUCTURED = "restructured"  # the owner or an area unit ended (docs/restructure.md)
REVISION_HAZARD_CHANGED = "hazard_changed"  # a new version of the zone was imported


def plan_window(valid_from: date, valid_to: date | None, as_of: date) -> tuple[date, date]:
    """The task window: from the later of the zone's start and `as_of`, to the zone's end
    (or 7 days on when the zone has none)."""
    start = max(valid_from, as_of)
    end = (
        valid_to
        if valid_to is not None and valid_to >= start
        else date.fromordinal(start.toordinal() + 7)
    )
    return start, end
