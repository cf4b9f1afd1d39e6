"""Readiness figures for a user's jurisdiction: set-based aggregates, always scoped.

Residence is the person's current `residence_commune`; `as_of` decides who is alive, who is of
military age and which communes exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from muster.accounts.models import User
from muster.accounts.scope import Scope, scope_for
from muster.core.collation import vi
from muster.core.errors import NotFound
from muster.core.text import fold
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Edition, Level
from muster.people.models import LifeStatus, Person, Sex
from muster.readiness import rules


@dataclass(frozen=True)
class JurisdictionFigures:
    as_of: date
    people: int
    military_age_men: int  # men 18–27 (MSL Art. 30)
    communes: int


@dataclass(frozen=True)
class CommuneFigures:
    commune_id: int
    people: int
    military_age_men: int
    area_km2: float | None
    density: float | None  # people per km²


def _alive_on(day: date) -> Q:
    """Born by `day` and not dead on it (a death after `day` still counts as alive then)."""
    return Q(birth_date__lte=day) & (Q(life_status=LifeStatus.ALIVE) | Q(died_on__gt=day))


def _military_age_men(day: date) -> Q:
    first, last = rules.military_age_birth_window(day)
    return Q(sex=Sex.MALE, birth_date__gte=first, birth_date__lte=last)


def _communes(scope: Scope, day: date) -> QuerySet[AdminUnit]:
    units = AdminUnit.objects.filter(valid_on(day), level=Level.COMMUNE)
    if scope.commune_ids is not None:
        return units.filter(id__in=sorted(scope.commune_ids))
    return units


def communes_in_scope(
    user: User, as_of: date | None = None, *, q: str | None = None
) -> QuerySet[AdminUnit]:
    """Commune-level units `user` may see on `as_of`; `q` filters by name, diacritics ignored."""
    day = as_of or timezone.localdate()
    units = _communes(scope_for(user, day), day)
    if q:
        units = units.filter(search_key__contains=fold(q))
    return units.select_related("parent").order_by(vi("short_name"), "code")


def access_commune(user: User, code: str, as_of: date | None = None) -> AdminUnit:
    """The 2025-edition commune `code`; NotFound when absent or outside the jurisdiction."""
    day = as_of or timezone.localdate()
    unit = (
        AdminUnit.objects.select_related("parent")
        .filter(edition=Edition.V2025, level=Level.COMMUNE, code=code)
        .first()
    )
    if unit is None or not scope_for(user, day).allows(unit.id):
        raise NotFound("COMMUNE_NOT_FOUND", {"code": code})
    return unit


def jurisdiction_figures(user: User, as_of: date | None = None) -> JurisdictionFigures:
    """People alive, men 18–27 and communes in `user`'s jurisdiction on `as_of` (default today).

    Two queries after the scope: one aggregate over persons, one count of communes.
    """
    day = as_of or timezone.localdate()
    scope = scope_for(user, day)
    totals = Person.objects.filter(scope.filter("residence_commune_id"), _alive_on(day)).aggregate(
        people=Count("id"), men=Count("id", filter=_military_age_men(day))
    )
    return JurisdictionFigures(
        as_of=day,
        people=totals["people"],
        military_age_men=totals["men"],
        communes=_communes(scope, day).count(),
    )


def commune_figures(user: User, as_of: date | None = None) -> dict[int, CommuneFigures]:
    """Figures per visible commune id, communes without people included (zeros).

    One GROUP BY over persons (served by the (residence_commune, sex, birth_date) index) and
    one read of the communes' areas, however many communes the jurisdiction holds.
    """
    day = as_of or timezone.localdate()
    scope = scope_for(user, day)
    areas = dict(_communes(scope, day).values_list("id", "area_km2"))
    counts = {
        row["residence_commune_id"]: (row["people"], row["men"])
        for row in Person.objects.filter(scope.filter("residence_commune_id"), _alive_on(day))
        .values("residence_commune_id")
        .annotate(people=Count("id"), men=Count("id", filter=_military_age_men(day)))
        .order_by()
    }
    figures: dict[int, CommuneFigures] = {}
    for commune_id, area in areas.items():
        people, men = counts.get(commune_id, (0, 0))
        figures[commune_id] = CommuneFigures(
            commune_id=commune_id,
            people=people,
            military_age_men=men,
            area_km2=area,
            density=rules.density(people, area),
        )
    return figures
