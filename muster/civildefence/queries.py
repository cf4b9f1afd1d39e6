"""Civil-defence reads, scoped: hazard zones a user may see (those touching a commune of the
jurisdiction), exposure per commune on a day, the register, plans.

Exposure is an estimate until people carry point locations: a commune's people, households and
vulnerable people count in the zone in proportion to the share of the commune's drawn shape
inside it (uniform density; `rules.in_zone`). Residence is the person's current
`residence_commune`; the day decides who is alive, how old, and which communes exist. Counts
name no one, so no read is logged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

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
from muster.people.models import LifeStatus, Person, PersonFact


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


def _alive_on(day: date) -> Q:
    return Q(birth_date__lte=day) & (Q(life_status=LifeStatus.ALIVE) | Q(died_on__gt=day))


def _flagged(commune_ids: list[int], day: date) -> dict[int, int]:
    """Per commune: people alive on `day` whose latest mobility fact by then says they need
    help to move and whose age alone does not make them vulnerable."""
    child_after, older_by = rules.vulnerable_birth_bounds(day)
    facts = (
        PersonFact.objects.filter(
            kind=rules.MOBILITY_FACT,
            recorded_on__lte=day,
            person__residence_commune_id__in_array=commune_ids,
        )
        .filter(Q(person__birth_date__gt=older_by) & Q(person__birth_date__lte=child_after))
        .filter(
            Q(person__life_status=LifeStatus.ALIVE) | Q(person__died_on__gt=day),
        )
        .order_by("person_id", "recorded_on", "id")
        .values_list("person_id", "person__residence_commune_id", "value")
    )
    latest: dict[int, tuple[int, str]] = {}
    for person_id, commune_id, value in facts:
        latest[person_id] = (commune_id, value)
    counts: dict[int, int] = {}
    for commune_id, value in latest.values():
        if value == rules.MOBILITY_YES:
            counts[commune_id] = counts.get(commune_id, 0) + 1
    return counts


def exposure(zone: HazardZone, day: date, user: Any = None) -> list[ExposureRow]:
    """One row per commune valid on `day` that `zone` touches and `user` sees, in code order.

    One grouped query over persons (the (residence_commune, sex, birth_date) index narrows it
    to the communes touched), one over the rare mobility facts."""
    touched = HazardCommune.objects.filter(zone=zone).filter(valid_on(day, "commune__"))
    visible = _visible(user, day)
    if visible is not None:
        touched = touched.filter(commune_id__in_array=sorted(visible))
    parts = list(
        touched.values_list(
            "commune_id", "commune__code", "commune__name", "area_share", "lat", "lon"
        )
    )
    ids = [p[0] for p in parts]
    if not ids:
        return []
    child_after, older_by = rules.vulnerable_birth_bounds(day)
    counts = {
        row["residence_commune_id"]: row
        for row in Person.objects.filter(_alive_on(day), residence_commune_id__in_array=ids)
        .values("residence_commune_id")
        .annotate(
            people=Count("id"),
            households=Count("household_id", distinct=True, filter=~Q(household_id="")),
            alone=Count("id", filter=Q(household_id="")),
            vulnerable=Count(
                "id", filter=Q(birth_date__gt=child_after) | Q(birth_date__lte=older_by)
            ),
        )
        .order_by()
    }
    flagged = _flagged(ids, day)
    rows = []
    for commune_id, code, name, share, lat, lon in parts:
        found = counts.get(commune_id, {})
        people = found.get("people", 0)
        households = found.get("households", 0) + found.get("alone", 0)
        vulnerable = found.get("vulnerable", 0) + flagged.get(commune_id, 0)
        rows.append(
            ExposureRow(
                commune_id=commune_id,
                commune_code=code,
                commune_name=name,
                share=share,
                people=people,
                households=households,
                vulnerable=vulnerable,
                people_in_zone=rules.in_zone(people, share),
                households_in_zone=rules.in_zone(households, share),
                vulnerable_in_zone=rules.in_zone(vulnerable, share),
                lat=lat,
                lon=lon,
            )
        )
    return sorted(rows, key=lambda r: r.commune_code)


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
