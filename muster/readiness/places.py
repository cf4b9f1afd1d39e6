"""The org structure a readiness page stands on: the unit a code names on a day, the unit above
it, the units below it and, for a commune command, its communes — read once and cached per code,
day and structure version (core.structure), as the jurisdictions' scopes are (accounts.scope).

A page then reads nothing but the snapshots of what it shows (`summary.page_snapshots`): the
structure changes a few times a year, the figures every night and after each change. A change of
a unit, a territory or the org tree bumps the structure version, so no page shows a stale tree
(other processes, with the default per-process cache, within `STRUCTURE_CACHE_SECONDS`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from django.core.cache import cache

from muster.accounts.scope import unit_communes
from muster.core.collation import vi
from muster.core.structure import STRUCTURE_CACHE_SECONDS, structure_version
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit
from muster.orgs.models import OrgKind, OrgUnit


@dataclass(frozen=True)
class Commune:
    """A commune a commune command covers, as its page's table names it."""

    id: int
    code: str
    name: str


@dataclass(frozen=True)
class Place:
    """`unit` (valid on the day); the units above it, its parent first, up to the top (as
    `unit.parent`, `unit.parent.parent`… read them); the units directly below it valid on the
    day, by name; and, for a commune command, the communes it covers on the day, by name
    (empty for any other unit)."""

    unit: OrgUnit
    above: tuple[OrgUnit, ...]
    below: tuple[OrgUnit, ...]
    communes: tuple[Commune, ...]

    @property
    def parent(self) -> OrgUnit | None:
        return self.above[0] if self.above else None

    def around(self, unit_id: int | None) -> OrgUnit | None:
        """The unit `unit_id` when it is this one or one above it (a user's jurisdiction, for
        the page's user box), else None."""
        return next((u for u in (self.unit, *self.above) if u.pk == unit_id), None)


def _key(code: str, day: date) -> str:
    # The code comes from the address: hashed, so any text makes a valid key for any backend.
    digest = hashlib.sha256(code.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"muster:readiness-place:{digest}:{day.isoformat()}:{structure_version()}"


def place(code: str, day: date) -> Place | None:
    """The unit `code` names on `day` with what its page shows around it; None when no unit
    valid on the day has that code. Not scoped: `dashboard.access_place` checks the user."""
    key = _key(code, day)
    found: Place | None = cache.get(key)
    if found is None or found.unit.code != code:
        found = _read(code, day)
        if found is not None:
            cache.set(key, found, timeout=STRUCTURE_CACHE_SECONDS)
    return found


def _read(code: str, day: date) -> Place | None:
    unit = OrgUnit.objects.filter(valid_on(day), code=code).first()
    if unit is None:
        return None
    above: list[OrgUnit] = []
    parent_id = unit.parent_id
    while parent_id is not None and parent_id not in {unit.pk, *(u.pk for u in above)}:
        parent = OrgUnit.objects.filter(pk=parent_id).first()
        if parent is None:
            break
        above.append(parent)
        parent_id = parent.parent_id
    below = tuple(OrgUnit.objects.filter(valid_on(day), parent=unit).order_by(vi("name"), "code"))
    communes: tuple[Commune, ...] = ()
    if unit.kind == OrgKind.COMMUNE_COMMAND:
        communes = tuple(
            Commune(pk, commune_code, name)
            for pk, commune_code, name in AdminUnit.objects.filter(
                id__in_array=sorted(unit_communes(unit.pk, day))
            )
            .order_by(vi("short_name"), "code")
            .values_list("id", "code", "name")
        )
    return Place(unit, tuple(above), below, communes)
