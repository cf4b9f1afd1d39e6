"""Reads of the register of reserve technical means (LLDBĐV Art. 2(3), 13), scoped by the
commune the means are registered in (`accounts.scope`): a user sees the means of the communes
of the jurisdiction, the unit each is assigned to on a day and its assignments' history.

The register names owners (often a business, sometimes a person) but no person of the
registry: nothing here is a person's record, so nothing is logged as a person read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.core.collation import vi
from muster.core.errors import NotFound
from muster.core.text import nfc
from muster.geo.models import AdminUnit, Edition, Level
from muster.reserve.models_units import MeansAssignment, TechnicalMeans

CURRENT, RETIRED, EVERY = "current", "retired", "all"


@dataclass(frozen=True)
class MeansFilters:
    """The list's filters as asked (`?kind=&capability=&state=&commune=&q=&register=`)."""

    kind: str = ""
    capability: str = ""
    state: str = ""
    commune: str = ""  # a commune code
    q: str = ""  # the start of a registration number (any case), or part of the owner's name
    register: str = CURRENT  # current | retired | all


@dataclass(frozen=True)
class MeansRow:
    means: TechnicalMeans
    unit_code: str  # the reserve unit it is assigned to on the day, empty when none
    unit_name: str


@dataclass(frozen=True)
class MeansPage:
    rows: list[MeansRow]
    count: int


def _scoped(user: User | None, day: date) -> QuerySet[TechnicalMeans]:
    found = TechnicalMeans.objects.all()
    if user is not None:
        found = found.filter(scope_for(user, day).filter("commune_id"))
    return found


def _filtered(user: User | None, filters: MeansFilters, day: date) -> QuerySet[TechnicalMeans]:
    found = _scoped(user, day)
    if filters.register == CURRENT:
        found = found.filter(retired_on__isnull=True)
    elif filters.register == RETIRED:
        found = found.filter(retired_on__isnull=False)
    for name in ("kind", "capability", "state"):
        if value := getattr(filters, name):
            found = found.filter(**{name: value})
    if filters.commune:
        found = found.filter(commune__code=filters.commune)
    if q := nfc(filters.q).strip():
        # Registration numbers are kept in capitals (plates, hulls); an owner as written. Plain
        # LIKE on both databases (SQLite's is case-sensitive here, `core.sqlite`).
        found = found.filter(Q(registration__startswith=q.upper()) | Q(owner__contains=q))
    return found.select_related("commune").order_by("commune__code", "kind", "registration", "pk")


def _rows(means: list[TechnicalMeans], day: date) -> list[MeansRow]:
    held = {
        a.means_id: a
        for a in MeansAssignment.objects.as_of(day)
        .filter(means_id__in=[m.pk for m in means])
        .select_related("unit")
    }
    return [
        MeansRow(
            m,
            held[m.pk].unit.code if m.pk in held else "",
            held[m.pk].unit.name if m.pk in held else "",
        )
        for m in means
    ]


def means_page(
    user: User | None, *, filters: MeansFilters, day: date, page: int, page_size: int
) -> MeansPage:
    """One page of the means of `user`'s communes matching `filters`, by commune, kind and
    registration number, with the unit each is assigned to on `day`; the exact count."""
    found = _filtered(user, filters, day)
    start = (page - 1) * page_size
    return MeansPage(_rows(list(found[start : start + page_size]), day), found.count())


def means_for_file(
    user: User | None, *, filters: MeansFilters, day: date, limit: int
) -> tuple[list[MeansRow], bool]:
    """The list's rows for a download, at most `limit`, and whether there were more."""
    found = list(_filtered(user, filters, day)[: limit + 1])
    return _rows(found[:limit], day), len(found) > limit


def access_means(user: User | None, means_id: int, *, day: date) -> TechnicalMeans:
    """The item `means_id` when its commune lies in `user`'s jurisdiction; else NotFound
    (absent and out of scope answer alike)."""
    found = _scoped(user, day).select_related("commune").filter(pk=means_id).first()
    if found is None:
        raise NotFound("RESERVE_MEANS_NOT_FOUND", {"id": means_id})
    return found


def means_history(means: TechnicalMeans) -> list[MeansAssignment]:
    """The item's assignments to reserve units, latest first."""
    return list(
        MeansAssignment.objects.filter(means=means)
        .select_related("unit")
        .order_by("-valid_from", "-pk")
    )


def means_communes(user: User | None, day: date) -> list[AdminUnit]:
    """The 2025 communes in force on `day` inside `user`'s jurisdiction, by name: where means
    may be registered (geography, not personal data)."""
    found = AdminUnit.objects.as_of(day).filter(edition=Edition.V2025, level=Level.COMMUNE)
    if user is not None:
        found = found.filter(scope_for(user, day).filter("id"))
    return list(found.order_by(vi("name"), "code"))


def communes_with_means(user: User | None, day: date) -> list[AdminUnit]:
    """The communes of `user`'s jurisdiction where some means are registered, by name (the
    list's filter: a short list even for a national user)."""
    held = _scoped(user, day).values("commune_id")
    return list(AdminUnit.objects.filter(pk__in=held).order_by(vi("name"), "code"))
