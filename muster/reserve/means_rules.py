"""Reserve technical means (pure): what each capability is, which stand in for one another, the
registry file's rows, and which means go to which unit (LLDBĐV Art. 2(3), 13, 18).

Art. 18: means go to the reserve units that need their capability, or — where none has it — a
similar one. Main-force units are served first, as for reservists (Art. 16(3) by analogy: the
law gives no other order), and within a unit the means registered in its recruitment area.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from muster.core.errors import FieldError
from muster.reserve import assignment_rules as r


@dataclass(frozen=True)
class Capability:
    code: str
    kind: str  # MeansKind value
    near: tuple[str, ...] = ()


CAPABILITIES: Final[dict[str, Capability]] = {
    c.code: c
    for c in (
        Capability("cargo_truck", "vehicle", ("tanker_truck", "pickup")),
        Capability("tanker_truck", "vehicle", ("cargo_truck",)),
        Capability("pickup", "vehicle", ("cargo_truck", "passenger_car")),
        Capability("passenger_car", "vehicle", ("pickup", "bus")),
        Capability("bus", "vehicle", ("passenger_car",)),
        Capability("ambulance", "vehicle", ("passenger_car",)),
        Capability("cargo_vessel", "vessel", ("passenger_vessel", "barge")),
        Capability("passenger_vessel", "vessel", ("cargo_vessel",)),
        Capability("barge", "vessel", ("cargo_vessel",)),
        Capability("excavator", "construction", ("bulldozer",)),
        Capability("bulldozer", "construction", ("excavator", "road_roller")),
        Capability("road_roller", "construction", ("bulldozer",)),
        Capability("crane", "handling", ("forklift",)),
        Capability("forklift", "handling", ("crane",)),
        Capability("radio_set", "communications", ("satellite_terminal",)),
        Capability("satellite_terminal", "communications", ("radio_set",)),
        Capability("field_surgery", "medical", ("medical_kit",)),
        Capability("medical_kit", "medical", ("field_surgery",)),
        Capability("other", "other"),
    )
}
# Each capability in words (the pages and files show these; the code stays in the values).
CAPABILITY_LABELS: Final[dict[str, Promise]] = {
    "cargo_truck": _("Cargo truck"),
    "tanker_truck": _("Tanker truck"),
    "pickup": _("Pickup truck"),
    "passenger_car": _("Passenger car"),
    "bus": _("Bus"),
    "ambulance": _("Ambulance"),
    "cargo_vessel": _("Cargo vessel"),
    "passenger_vessel": _("Passenger vessel"),
    "barge": _("Barge"),
    "excavator": _("Excavator"),
    "bulldozer": _("Bulldozer"),
    "road_roller": _("Road roller"),
    "crane": _("Crane"),
    "forklift": _("Forklift"),
    "radio_set": _("Radio set"),
    "satellite_terminal": _("Satellite terminal"),
    "field_surgery": _("Field surgery equipment"),
    "medical_kit": _("Medical kit"),
    "other": _("Other"),
}
STATES: Final = ("ready", "repair", "unusable")
# The registry file (one per registry and year), header exactly these columns.
MEANS_COLUMNS: Final = (
    "kind",
    "registration",
    "capability",
    "capacity",
    "owner",
    "commune",
    "state",
    "registry",
)


@dataclass(frozen=True)
class MeansRow:
    kind: str
    registration: str
    capability: str
    capacity: str
    owner: str
    commune: str
    state: str
    registry: str


def means_row_problems(row: Mapping[str, str], known_communes: frozenset[str]) -> list[FieldError]:
    """What is wrong with one row of a registry file (LLDBĐV Art. 2(3), 13): a kind of means
    the law lists, a registration number, a capability of that kind, an owner, a commune in
    force, a state."""
    problems: list[FieldError] = []
    kind, capability = row.get("kind", ""), row.get("capability", "")
    if kind not in {c.kind for c in CAPABILITIES.values()}:
        problems.append(FieldError("kind", "MEANS_KIND", {"kind": kind}))
    if not row.get("registration", "").strip():
        problems.append(FieldError("registration", "MEANS_REGISTRATION_REQUIRED"))
    found = CAPABILITIES.get(capability)
    if found is None or (kind and found.kind != kind):
        problems.append(
            FieldError("capability", "MEANS_CAPABILITY", {"capability": capability, "kind": kind})
        )
    if not row.get("owner", "").strip():
        problems.append(FieldError("owner", "MEANS_OWNER_REQUIRED"))
    if row.get("commune", "") not in known_communes:
        problems.append(FieldError("commune", "MEANS_COMMUNE", {"code": row.get("commune", "")}))
    if row.get("state", "") not in STATES:
        problems.append(FieldError("state", "MEANS_STATE", {"state": row.get("state", "")}))
    return problems


def capability_match(needed: str, offered: str) -> str | None:
    """`exact`, `near` (a similar capability, Art. 18) or None."""
    if needed == offered:
        return r.EXACT
    found = CAPABILITIES.get(needed)
    return r.NEAR if found is not None and offered in found.near else None


@dataclass(frozen=True)
class Means:
    means_id: int
    capability: str
    area_id: int | None  # the area defence command of the owner's commune
    ready: bool


@dataclass(frozen=True)
class Need:
    unit_id: int
    capability: str
    count: int
    force: str
    area_id: int | None


@dataclass(frozen=True)
class MeansPlacement:
    means_id: int
    unit_id: int
    capability: str
    match: str


def assign_means(needs: Sequence[Need], means: Iterable[Means]) -> list[MeansPlacement]:
    """Means in working order to the units' needs (module docstring): every exact match first,
    main-force units first, the unit's own recruitment area first; then similar capabilities
    for what is still short. Means in repair or unusable are not assigned."""
    pool = sorted((m for m in means if m.ready), key=lambda m: m.means_id)
    taken: set[int] = set()
    placed: list[MeansPlacement] = []
    left = {i: need.count for i, need in enumerate(needs)}
    order = sorted(
        range(len(needs)),
        key=lambda i: (needs[i].force != r.MAIN, needs[i].unit_id, needs[i].capability),
    )
    for match in (r.EXACT, r.NEAR):
        for i in order:
            need = needs[i]
            fits = [
                m
                for m in pool
                if m.means_id not in taken
                and capability_match(need.capability, m.capability) == match
            ]
            fits.sort(key=lambda m: (m.area_id != need.area_id or need.area_id is None, m.means_id))
            for m in fits[: left[i]]:
                taken.add(m.means_id)
                left[i] -= 1
                placed.append(MeansPlacement(m.means_id, need.unit_id, need.capability, match))
    return placed
