"""Civil-defence reads, scoped: hazard zones a user may see (those touching a commune of the
jurisdiction), exposure per commune on a day, the register, plans.

Exposure is an estimate until people carry point locations: a commune's people, households and
vulnerable people count in the zone in proportion to the share of the commune's drawn shape
inside it (uniform density; `rules.in_zone`). Residence is the person's current
`residence_commune`; the day decides who is alive, how old, and which communes exist. The
counts are kept ahead of time in the readiness commune snapshots of each day and counted live
where a day has none (`exposure_counts`). Counts name no one, so no read is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from muster.accounts.scope import scope_for
from muster.civildefence import rules
from muster.civildefence.models import (
    HazardCommune,
    HazardZone,
    RescueMeans,
    ResponsePlan,
    Shelter,
)
from muster.core.errors import NotFound
from muster.core.validity import valid_on
from muster.people import counts as people_counts
from muster.readiness.models import CommuneSnapshot, PendingRefresh


def _visible(user: Any, day: date) -> frozenset[int] | None:
    """The commune ids `user` sees on `day` (None: all; the system sees all)."""
    if user is None:
        return None
    return scope_for(user, day).commune_ids


def hazards_visible(user: Any, day: date, *, current: bool = True) -> QuerySet[HazardZone]:
    """Hazard zone versions touching a commune of `user`'s jurisdiction (current ones only
    unless `current` is False), newest first."""
    zones = HazardZone.objects.all()
    if current:
        zones = zones.filter(superseded_at__isnull=True)
    visible = _visible(user, day)
    if visible is not None:
        zones = zones.filter(
            Exists(
                HazardCommune.objects.filter(
                    zone_id=OuterRef("pk"), commune_id__in_array=sorted(visible)
                )
            )
        )
    return zones.order_by("-valid_from", "key", "-version")


def access_hazard(user: Any, key: str, day: date, version: int | None = None) -> HazardZone:
    """The current version of hazard `key` (or `version`), NotFound when absent or outside the
    jurisdiction."""
    zones = hazards_visible(user, day, current=version is None).filter(key=key)
    if version is not None:
        zones = zones.filter(version=version)
    zone = zones.first()
    if zone is None:
        raise NotFound("HAZARD_NOT_FOUND", {"key": key})
    return zone


def hazard_history(zone: HazardZone) -> list[HazardZone]:
    """Every version of the zone's key, newest first."""
    return list(HazardZone.objects.filter(key=zone.key).order_by("-version"))


@dataclass(frozen=True)
class ExposureRow:
    commune_id: int
    commune_code: str
    commune_name: str
    share: float  # of the commune's drawn shape inside the zone
    people: int  # the commune's people on the day
    households: int
    vulnerable: int
    people_in_zone: int  # estimates, rounded to whole people
    households_in_zone: int
    vulnerable_in_zone: int
    lat: float
    lon: float


@dataclass(frozen=True)
class Exposure:
    """The exposure of a zone on a day and where its counts came from: the readiness commune
    snapshots of the day (`computed_at`: the oldest read), or counted now (`live`: how many
    communes had no snapshot of the day, or one a change since has made stale)."""

    rows: list[ExposureRow]
    day: date
    computed_at: datetime | None
    live: int
    scoped: bool = False  # the rows of a user's jurisdiction only

    @property
    def source(self) -> str:
        """ "snapshot" (every commune's counts read), "live" (none) or "mixed"."""
        if not self.live:
            return "snapshot"
        return "live" if self.computed_at is None else "mixed"


def _snapshot_counts(
    ids: list[int], day: date
) -> tuple[dict[int, people_counts.CommuneCounts], datetime | None]:
    """The counts of `day`'s readiness snapshots of `ids` that hold them and that no change
    since has made stale (a `PendingRefresh` of the commune and day), and the oldest
    `computed_at` among them."""
    stale = set(
        PendingRefresh.objects.filter(
            as_of=day, kind=PendingRefresh.COMMUNE, ref_id__in_array=ids
        ).values_list("ref_id", flat=True)
    )
    found: dict[int, people_counts.CommuneCounts] = {}
    oldest: datetime | None = None
    for commune_id, people, households, vulnerable, computed_at in CommuneSnapshot.objects.filter(
        as_of=day,
        commune_id__in_array=ids,
        households__isnull=False,
        vulnerable__isnull=False,
    ).values_list("commune_id", "people", "households", "vulnerable", "computed_at"):
        if commune_id in stale or households is None or vulnerable is None:
            continue
        found[commune_id] = people_counts.CommuneCounts(people, households, vulnerable)
        oldest = computed_at if oldest is None or computed_at < oldest else oldest
    return found, oldest


def exposure_counts(zone: HazardZone, day: date, user: Any = None) -> Exposure:
    """One row per commune valid on `day` that `zone` touches and `user` sees, in code order,
    with where the counts came from.

    A commune's people, households and vulnerable people are read from its readiness snapshot
    of `day` (kept ahead of time by the refresh, `readiness.bulk`); a commune without one (or
    whose snapshot a change since has made stale) is counted now by the same functions
    (`people.counts.by_commune`): correct, only slower."""
    touched = HazardCommune.objects.filter(zone=zone).filter(valid_on(day, "commune__"))
    visible = _visible(user, day)
    if visible is not None:
        touched = touched.filter(commune_id__in_array=sorted(visible))
    parts = list(
        touched.values_list(
            "commune_id", "commune__code", "commune__name", "area_share", "lat", "lon"
        )
    )
    ids = sorted(p[0] for p in parts)
    if not ids:
        return Exposure([], day, None, 0, visible is not None)
    counts, computed_at = _snapshot_counts(ids, day)
    missing = [c for c in ids if c not in counts]
    counts.update(people_counts.by_commune(missing, day))
    rows = []
    for commune_id, code, name, share, lat, lon in parts:
        found = counts[commune_id]
        rows.append(
            ExposureRow(
                commune_id=commune_id,
                commune_code=code,
                commune_name=name,
                share=share,
                people=found.people,
                households=found.households,
                vulnerable=found.vulnerable,
                people_in_zone=rules.in_zone(found.people, share),
                households_in_zone=rules.in_zone(found.households, share),
                vulnerable_in_zone=rules.in_zone(found.vulnerable, share),
                lat=lat,
                lon=lon,
            )
        )
    rows.sort(key=lambda r: r.commune_code)
    return Exposure(rows, day, computed_at, len(missing), visible is not None)


def exposure(zone: HazardZone, day: date, user: Any = None) -> list[ExposureRow]:
    """The rows of `exposure_counts`."""
    return exposure_counts(zone, day, user).rows


EXPOSURE_CSV_HEADER = (
    "commune_code",
    "people",
    "people_in_zone",
    "households_in_zone",
    "vulnerable_in_zone",
)


def exposure_csv_rows(rows: list[ExposureRow]) -> list[tuple[Any, ...]]:
    """The CLI's exposure columns (issue 19's contract)."""
    return [
        (r.commune_code, r.people, r.people_in_zone, r.households_in_zone, r.vulnerable_in_zone)
        for r in rows
    ]


# --- the register and plans --------------------------------------------------------------


def shelters_visible(user: Any, day: date) -> QuerySet[Shelter]:
    found = Shelter.objects.filter(valid_on(day)).select_related("unit", "commune")
    visible = _visible(user, day)
    if visible is not None:
        found = found.filter(commune_id__in_array=sorted(visible))
    return found.order_by("commune__code", "code")


def means_visible(user: Any, day: date) -> QuerySet[RescueMeans]:
    found = RescueMeans.objects.filter(valid_on(day)).select_related("unit", "commune")
    visible = _visible(user, day)
    if visible is not None:
        found = found.filter(commune_id__in_array=sorted(visible))
    return found.order_by("commune__code", "code")


def plans_visible(user: Any, day: date, zone: HazardZone | None = None) -> QuerySet[ResponsePlan]:
    """Plans whose owning command lies in `user`'s jurisdiction (every commune of it), newest
    version first; of one hazard key when `zone` is given."""
    from muster.accounts.permissions import covers

    found = ResponsePlan.objects.select_related("unit", "hazard")
    if zone is not None:
        found = found.filter(hazard_key=zone.key)
    found = found.order_by("hazard_key", "unit__code", "-version")
    if user is None or scope_for(user, day).is_national:
        return found
    allowed = [p.pk for p in found if covers(user, unit=p.unit, day=day)]
    return found.filter(pk__in=allowed)


def access_plan(user: Any, plan_id: int, day: date) -> ResponsePlan:
    """Plan `plan_id` if its command lies in `user`'s jurisdiction, else NotFound."""
    from muster.accounts.permissions import covers

    plan = ResponsePlan.objects.select_related("unit", "hazard").filter(pk=plan_id).first()
    if plan is None or not covers(user, unit=plan.unit, day=day):
        raise NotFound("CD_PLAN_NOT_FOUND", {})
    return plan
