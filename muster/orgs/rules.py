"""Pure decisions for the military organisation: names, codes, positions, area clustering.

No ORM and no I/O here. Sources are cited per function; "domain-rules" is
/work/shared/domain-rules.md (§4: the 2025 reform and the military reorganisation; §9: military
regions and provinces after 1 July 2025).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from muster.core.errors import FieldError
from muster.core.text import fold, nfc

# --- Codes and names ---------------------------------------------------------------------------

CAPITAL_COMMAND_CODE = "BTLTD"


# The two cities' commands are one unit each, across the 2025 reform (the cities kept their
# province codes): Hà Nội's is the Capital Command itself, at the region's echelon, with no
# provincial command under it; Ho Chi Minh City's sits under Military Region 7 (domain-rules §9).
CITY_COMMAND_CODES = {"01": CAPITAL_COMMAND_CODE, "79": "BCHQS-79"}


def provincial_command_code(province_code: str) -> str:
    """ "BCHQS-<2025 province code>", e.g. "BCHQS-38"; Hà Nội's command is the Capital Command
    ("BTLTD"), Ho Chi Minh City's is "BCHQS-79" (domain-rules §9)."""
    return CITY_COMMAND_CODES.get(province_code, f"BCHQS-{province_code}")


def legacy_provincial_command_code(province_code: str) -> str:
    """ "BCHQS-L-<legacy province code>": legacy and 2025 province codes overlap ("38"). The
    two cities' commands are the same units in both editions (`CITY_COMMAND_CODES`)."""
    return CITY_COMMAND_CODES.get(province_code, f"BCHQS-L-{province_code}")


def is_city_command(code: str) -> bool:
    """Whether `code` is Hà Nội's or Ho Chi Minh City's command: one unit before and after the
    reform, so it has no start date (domain-rules §9)."""
    return code in CITY_COMMAND_CODES.values()


def district_command_code(district_code: str) -> str:
    """ "BCHQS-H-<legacy district code>" (H for huyện, the district echelon)."""
    return f"BCHQS-H-{district_code}"


def area_defence_command_code(province_code: str, number: int) -> str:
    """ "PTKV-<province code>-<n>", e.g. "PTKV-38-1"."""
    return f"PTKV-{province_code}-{number}"


def commune_command_code(commune_code: str) -> str:
    """ "BCHQS-X-<2025 commune code>" (X for xã, the commune echelon)."""
    return f"BCHQS-X-{commune_code}"


# Legacy commune commands: legacy ward codes overlap 2025 commune codes, hence the "L".
LEGACY_COMMUNE_PREFIX = "BCHQS-X-L-"


def legacy_commune_command_code(ward_code: str) -> str:
    """ "BCHQS-X-L-<legacy ward code>" (a pre-2025 commune command)."""
    return f"{LEGACY_COMMUNE_PREFIX}{ward_code}"


def _lower_first(unit_type: str) -> str:
    # Inside a name the unit type is lower case: "Ban Chỉ huy Quân sự phường Hồng Hà".
    unit_type = nfc(unit_type)
    return unit_type[:1].lower() + unit_type[1:]


# Hà Nội's and Ho Chi Minh City's military commands are not provincial military commands: the
# Capital Command and the Ho Chi Minh City Command (domain-rules §9), in both editions (the two
# cities kept their codes across the 2025 reform).
CITY_COMMAND_NAMES = {
    "01": "Bộ Tư lệnh Thủ đô Hà Nội",
    "79": "Bộ Tư lệnh Thành phố Hồ Chí Minh",
}


def provincial_command_name(unit_type: str, short_name: str, province_code: str = "") -> str:
    """ "Bộ Chỉ huy Quân sự tỉnh Thanh Hóa" (Law 48/2019 Art. 28); for Hà Nội (01) and Ho Chi
    Minh City (79), the Capital Command and the Ho Chi Minh City Command (domain-rules §9)."""
    if province_code in CITY_COMMAND_NAMES:
        return CITY_COMMAND_NAMES[province_code]
    return f"Bộ Chỉ huy Quân sự {_lower_first(unit_type)} {nfc(short_name)}"


def district_command_name(unit_type: str, short_name: str) -> str:
    """ "Ban Chỉ huy Quân sự huyện Sóc Sơn" (the pre-2025 district echelon, domain-rules §4)."""
    return f"Ban Chỉ huy Quân sự {_lower_first(unit_type)} {nfc(short_name)}"


def commune_command_name(unit_type: str, short_name: str) -> str:
    """ "Ban Chỉ huy Quân sự xã Yên Bài" (Law 48/2019 Art. 29, commune military command)."""
    return f"Ban Chỉ huy Quân sự {_lower_first(unit_type)} {nfc(short_name)}"


def area_defence_command_label(number: int, district_name: str) -> str:
    """ "PTKV 1 – Sóc Sơn": the short label of an area defence command (domain-rules §4, §9)."""
    return f"PTKV {number} – {nfc(district_name)}"


def area_defence_command_name(number: int, district_name: str) -> str:
    """ "Ban Chỉ huy PTKV 1 – Sóc Sơn", the naming pattern reported in domain-rules §4 and §9."""
    return f"Ban Chỉ huy {area_defence_command_label(number, district_name)}"


# --- Positions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PositionSpec:
    kind: str  # a PositionKind value; rules stay free of model imports
    title: str
    ordinal: int


# A commune military command: commander, political officer, deputies and assistants
# (Law 48/2019/QH14 on Militia and Self-Defence Forces, Art. 29 and its 2025 amendment).
COMMUNE_COMMAND_POSITIONS: tuple[PositionSpec, ...] = (
    PositionSpec("commander", "Chỉ huy trưởng", 1),
    PositionSpec("political_officer", "Chính trị viên", 2),
    PositionSpec("deputy_commander", "Chỉ huy phó", 3),
    PositionSpec("deputy_commander", "Chỉ huy phó", 4),
    PositionSpec("assistant", "Trợ lý tác chiến", 5),
    PositionSpec("assistant", "Trợ lý dân quân tự vệ", 6),
    # The deputy political officer (Phó Chính trị viên) of DQTV Art. 20(1): ordinal 7, so
    # commands built before it was added gain it on the next build without renumbering.
    PositionSpec("deputy_commissar", "Phó Chính trị viên", 7),
)

# Higher echelons get their two heads only; their staff is outside Muster's scope.
HEAD_POSITIONS: dict[str, tuple[PositionSpec, ...]] = {
    "military_region": (
        PositionSpec("commander", "Tư lệnh", 1),
        PositionSpec("political_officer", "Chính ủy", 2),
    ),
    "capital_command": (
        PositionSpec("commander", "Tư lệnh", 1),
        PositionSpec("political_officer", "Chính ủy", 2),
    ),
    "provincial_command": (
        PositionSpec("commander", "Chỉ huy trưởng", 1),
        PositionSpec("political_officer", "Chính ủy", 2),
    ),
    "area_defence_command": (
        PositionSpec("commander", "Chỉ huy trưởng", 1),
        PositionSpec("political_officer", "Chính trị viên", 2),
    ),
    "district_command": (
        PositionSpec("commander", "Chỉ huy trưởng", 1),
        PositionSpec("political_officer", "Chính trị viên", 2),
    ),
    "commune_command": COMMUNE_COMMAND_POSITIONS,
}


def positions_for(kind: str) -> tuple[PositionSpec, ...]:
    """The positions the builder creates for an org unit of `kind` (an OrgKind value)."""
    return HEAD_POSITIONS.get(kind, ())


# Decree 72/2020/NĐ-CP Art. 4: at most two deputy commanders in type-1 communes and in border,
# coastal and island communes, one elsewhere. domain-rules §3 marks it [UNCERTAIN] (Decrees
# 16/2025 and 220/2025 may have changed it), so the numbers are configuration: the setting
# MUSTER_COMMUNE_DEPUTY_COMMANDERS overrides these defaults.
DEPUTY_COMMANDERS_DEFAULT: dict[str, int] = {"designated": 2, "other": 1}
DEPUTY_DESIGNATIONS = frozenset({"type_1", "border", "coastal", "island"})


def deputy_commanders_allowed(
    designations: Iterable[str], *, limits: Mapping[str, int] | None = None
) -> int:
    """How many deputy commanders a commune command may have, given the commune's
    designations (`Designation` values). Decree 72/2020/NĐ-CP Art. 4 (rule
    `COMMUNE_DEPUTY_COUNT`, uncertain: configurable through `limits`)."""
    table = {**DEPUTY_COMMANDERS_DEFAULT, **(limits or {})}
    if DEPUTY_DESIGNATIONS & set(designations):
        return table["designated"]
    return table["other"]


def established_ordinals(
    positions: Iterable[tuple[str, int]], *, deputies_allowed: int
) -> frozenset[int]:
    """The ordinals of a command's positions, given as (kind, ordinal), that are established:
    every position except the deputy commanders past the number allowed
    (`deputy_commanders_allowed`), which are kept (their history stays) but neither counted
    nor reported vacant. Decree 72/2020/NĐ-CP Art. 4."""
    ordinals: set[int] = set()
    deputies = 0
    for kind, ordinal in sorted(positions, key=lambda p: p[1]):
        if kind == "deputy_commander":
            deputies += 1
            if deputies > deputies_allowed:
                continue
        ordinals.add(ordinal)
    return frozenset(ordinals)


# --- Military region configuration -------------------------------------------------------------


EDITIONS = ("2025", "legacy")


@dataclass(frozen=True)
class RegionRow:
    """One row of data/military_regions.csv: a province of one edition (2025, or the legacy
    one until 2025-06-30) and its military region. The regions are the same units in both."""

    line: int
    region_code: str
    region_name: str
    province_code: str
    province_name: str
    edition: str = "2025"

    @property
    def is_capital_command(self) -> bool:
        return self.region_code == CAPITAL_COMMAND_CODE


def check_region_rows(
    rows: Sequence[RegionRow], provinces: dict[str, str], edition: str = "2025"
) -> list[FieldError]:
    """Errors in the region table's rows of one edition against its provinces (code → name).

    Every province must be assigned to exactly one region (domain-rules §9: 34 provinces after
    1 July 2025, 63 before; Military Regions 1, 2, 3, 4, 5, 7, 9 and the Hanoi Capital
    Command); a row's province name must match the province with that code (diacritics and
    case ignored), so a typo in the code cannot silently move a province; one region code has
    one name.
    """
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    region_names: dict[str, str] = {}
    for row in rows:
        where = f"line {row.line}"
        if not row.region_code:
            errors.append(FieldError(f"{where}: region_code", "REQUIRED"))
        if not row.region_name:
            errors.append(FieldError(f"{where}: region_name", "REQUIRED"))
        known = region_names.setdefault(row.region_code, row.region_name)
        if known != row.region_name:
            errors.append(
                FieldError(
                    f"{where}: region_name",
                    "REGION_NAME_DIFFERS",
                    {"name": row.region_name, "known": known, "code": row.region_code},
                )
            )
        if row.province_code not in provinces:
            errors.append(
                FieldError(
                    f"{where}: province_code",
                    "NOT_A_2025_PROVINCE" if edition == "2025" else "NOT_A_LEGACY_PROVINCE",
                    {"code": row.province_code},
                )
            )
            continue
        if row.province_code in seen:
            errors.append(
                FieldError(
                    f"{where}: province_code",
                    "PROVINCE_ASSIGNED_TWICE",
                    {"code": row.province_code, "line": seen[row.province_code]},
                )
            )
        seen.setdefault(row.province_code, row.line)
        actual = provinces[row.province_code]
        if fold(row.province_name) not in fold(actual):
            errors.append(
                FieldError(
                    f"{where}: province_name",
                    "PROVINCE_NAME_MISMATCH",
                    {"name": row.province_name, "code": row.province_code, "actual": actual},
                )
            )
    for code in sorted(set(provinces) - set(seen)):
        errors.append(
            FieldError(
                "province_code", "PROVINCE_WITHOUT_REGION", {"code": code, "name": provinces[code]}
            )
        )
    return errors


# --- Legacy districts ------------------------------------------------------------------


@dataclass(frozen=True)
class District:
    """A legacy (pre-2025) district: `key` is its code, `name` its short name ("Sóc Sơn")."""

    key: str
    name: str


# --- Area defence command clustering -----------------------------------------------------------

# domain-rules §4: "each covers about 20-50 communes"; §9: "Area Defence Commands per province
# are few (Tây Ninh 4, Đồng Nai 4, Phú Thọ 4, Thanh Hóa 5)".
TARGET_SIZE = 25
MAX_SIZE = 50
MAX_USUAL_COUNT = 5
# A small cluster may take a group at most this many times farther than the group's nearest
# cluster: balance, but no leaps across the province.
FAR_FACTOR = 2.0
# A command may grow to 30 % above the province's average (never beyond 50) before it is full.
BALANCE = 1.3


@dataclass(frozen=True)
class CommuneInput:
    """One 2025 commune of a province; `district` is its majority legacy district, if known."""

    id: int
    code: str
    name: str
    lat: float | None
    lon: float | None
    district: District | None


@dataclass
class AdcCluster:
    """One area defence command: its number, the district it is named after, its communes."""

    number: int
    district_name: str
    district_keys: list[str]
    commune_ids: list[int] = field(default_factory=list)
    commune_codes: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return area_defence_command_label(self.number, self.district_name)

    @property
    def size(self) -> int:
        return len(self.commune_ids)


@dataclass
class _Group:
    key: str
    name: str
    communes: list[CommuneInput]
    lat: float | None
    lon: float | None

    @property
    def size(self) -> int:
        return len(self.communes)

    @property
    def first_code(self) -> str:
        return min(c.code for c in self.communes)


def area_defence_command_count(commune_count: int, group_count: int) -> int:
    """How many area defence commands a province gets.

    k = max(⌈n / 50⌉, min(5, round(n / 25))), then at least 1 and at most the number of former
    district groups (a group is never split). So a province of 38 communes gets 2, 98 gets 4,
    166 gets 5, and only a province above 250 communes goes beyond 5 to keep each command at or
    under 50. Source: domain-rules §4 ("about 20–50 communes" each) and §9 (4–5 per province in
    the reported examples).
    """
    if commune_count <= 0:
        return 0
    by_target = math.floor(commune_count / TARGET_SIZE + 0.5)
    k = max(math.ceil(commune_count / MAX_SIZE), min(MAX_USUAL_COUNT, by_target), 1)
    return min(k, max(group_count, 1))


def _distance_km(a_lat: float, a_lon: float, b_lat: float, b_lon: float) -> float:
    # Equirectangular approximation: exact enough inside one province, and deterministic.
    mean_lat = math.radians((a_lat + b_lat) / 2)
    dx = math.radians(b_lon - a_lon) * math.cos(mean_lat)
    dy = math.radians(b_lat - a_lat)
    return 6371.0 * math.hypot(dx, dy)


def _group_distance(a: _Group, b: _Group) -> float:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return math.inf
    return _distance_km(a.lat, a.lon, b.lat, b.lon)


def _groups(communes: Sequence[CommuneInput]) -> list[_Group]:
    by_key: dict[str, list[CommuneInput]] = {}
    names: dict[str, str] = {}
    for commune in communes:
        if commune.district is not None:
            key, name = f"d:{commune.district.key}", commune.district.name
        else:
            # No known predecessor: the commune stands alone, named after itself.
            key, name = f"c:{commune.code}", commune.name
        by_key.setdefault(key, []).append(commune)
        names.setdefault(key, name)
    groups = []
    for key in sorted(by_key):
        members = sorted(by_key[key], key=lambda c: c.code)
        located = [c for c in members if c.lat is not None and c.lon is not None]
        lat = sum(c.lat for c in located if c.lat is not None) / len(located) if located else None
        lon = sum(c.lon for c in located if c.lon is not None) / len(located) if located else None
        groups.append(_Group(key, names[key], members, lat, lon))
    return groups


def _nearest_group(groups: Sequence[_Group], lat: float, lon: float) -> _Group | None:
    best: tuple[float, str] | None = None
    nearest = None
    for group in groups:
        if group.lat is None or group.lon is None:
            continue
        rank = (_distance_km(lat, lon, group.lat, group.lon), group.key)
        if best is None or rank < best:
            best, nearest = rank, group
    return nearest


def cluster_area_defence_commands(
    communes: Sequence[CommuneInput], *, capital: tuple[float, float] | None = None
) -> list[AdcCluster]:
    """Group one province's communes into area defence commands (PTKV).

    Rule (deterministic; same input, same output):

    1. Group communes by their majority legacy district (see `majority_district`): a PTKV
       "groups the communes of one or more former districts" (domain-rules §9). A commune
       with no known predecessor forms a group of its own.
    2. k = `area_defence_command_count(n, groups)` commands.
    3. Seeds: the group nearest `capital` (the province's reference point; without it the
       largest group), then repeatedly, among groups at least as large as the median group,
       the one farthest from every seed so far (ties: lower key) — spread out, but a far-off
       island commune is not made a centre.
    4. Growth, one group at a time: the smallest open cluster (ties: lower index) takes its
       nearest unassigned group (centroid to nearest centroid in the cluster), unless another
       open cluster is more than 2× nearer to that group — then the next smallest tries. A
       cluster is open below cap, and takes only groups that keep it within the cap while any
       do; cap = max(⌈n / k⌉, min(50, ⌈1.3 n / k⌉)) communes. So clusters
       stay balanced and contiguous-ish. Groups without coordinates go last, each to the
       then smallest cluster.
    5. Naming: "PTKV <n> – <former district>", the district contributing most communes to
       the cluster (ties: lower district code) — domain-rules §4: "Ban Chỉ huy PTKV <n> –
       <former district name>", e.g. "PTKV 1 – Sóc Sơn".
    6. Numbering: the cluster holding the capital's nearest group is 1; the rest follow in
       order of their lowest commune code.
    """
    if not communes:
        return []
    codes = [c.code for c in communes]
    if len(set(codes)) != len(codes):
        dup = sorted(code for code, n in Counter(codes).items() if n > 1)
        raise ValueError(f"communes: duplicate commune codes {dup}")
    groups = _groups(communes)
    k = area_defence_command_count(len(communes), len(groups))
    located = [g for g in groups if g.lat is not None]
    unlocated = [g for g in groups if g.lat is None]

    capital_group = _nearest_group(groups, *capital) if capital else None
    first = capital_group or (
        min(located, key=lambda g: (-g.size, g.key))
        if located
        else min(groups, key=lambda g: (-g.size, g.key))
    )
    seeds = [first]
    # Seeds come from the larger half of the groups: a far-off island is not a centre.
    sizes_sorted = sorted(g.size for g in located)
    median = sizes_sorted[len(sizes_sorted) // 2] if sizes_sorted else 0
    seedable = [g for g in located if g.size >= median]
    while len(seeds) < k and len(seeds) < len(seedable) + (first not in seedable):
        candidates = [g for g in seedable if g not in seeds]
        if not candidates:
            break
        seeds.append(
            min(
                candidates,
                key=lambda g: (-min(_group_distance(g, s) for s in seeds), g.key),
            )
        )
    # Too few seedable groups (or no coordinates): the largest groups left become seeds.
    for group in sorted(groups, key=lambda g: (-g.size, g.key)):
        if len(seeds) >= k:
            break
        if group not in seeds:
            seeds.append(group)

    members: list[list[_Group]] = [[seed] for seed in seeds]
    sizes = [seed.size for seed in seeds]
    remaining = [g for g in located if g not in seeds]
    cap = max(math.ceil(len(communes) / k), min(MAX_SIZE, math.ceil(len(communes) / k * BALANCE)))

    def distance_to(group: _Group, index: int) -> float:
        return min(_group_distance(group, m) for m in members[index])

    while remaining:
        # The smallest cluster grows first, taking its nearest group, unless some other
        # cluster is much nearer to that group (then the next smallest cluster tries).
        # Full clusters (no group left fits under the cap) take no more, unless all are full.
        smallest_left = min(g.size for g in remaining)
        open_ = [i for i in range(len(members)) if sizes[i] + smallest_left <= cap] or list(
            range(len(members))
        )
        choice: tuple[int, _Group] | None = None
        for index in sorted(open_, key=lambda i: (sizes[i], i)):
            fitting = [g for g in remaining if sizes[index] + g.size <= cap] or remaining
            group = min(fitting, key=lambda g: (distance_to(g, index), g.key))
            nearest = min(distance_to(group, i) for i in open_)
            if distance_to(group, index) <= FAR_FACTOR * nearest:
                choice = (index, group)
                break
        if choice is None:  # pragma: no cover - the nearest cluster always accepts
            raise AssertionError("no cluster accepted a group")
        index, group = choice
        members[index].append(group)
        sizes[index] += group.size
        remaining.remove(group)
    for group in unlocated:
        if group in seeds:
            continue
        index = min(range(len(members)), key=lambda i: (sizes[i], i))
        members[index].append(group)
        sizes[index] += group.size

    def naming_group(groups_: list[_Group]) -> _Group:
        return min(groups_, key=lambda g: (-g.size, g.key))

    def first_code(groups_: list[_Group]) -> str:
        return min(g.first_code for g in groups_)

    ordered = sorted(
        members,
        key=lambda gs: (
            0 if capital_group is not None and capital_group in gs else 1,
            first_code(gs),
        ),
    )
    clusters = []
    for number, groups_ in enumerate(ordered, start=1):
        all_communes = sorted((c for g in groups_ for c in g.communes), key=lambda c: c.code)
        clusters.append(
            AdcCluster(
                number=number,
                district_name=naming_group(groups_).name,
                district_keys=sorted(g.key for g in groups_),
                commune_ids=[c.id for c in all_communes],
                commune_codes=[c.code for c in all_communes],
            )
        )
    return clusters
