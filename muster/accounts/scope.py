"""Jurisdiction: the one place that decides which communes a user may see.

Every read of personal data goes through `scope_for(user)`; pages and API share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db.models import Q
from django.utils import timezone

from muster.accounts.models import Role, User
from muster.core.structure import STRUCTURE_CACHE_SECONDS, structure_version
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Level
from muster.orgs.models import OrgUnit, Territory

NATIONAL_ROLES = frozenset({Role.ADMINISTRATOR})


@dataclass(frozen=True)
class Scope:
    """`commune_ids` is None for national scope; otherwise the commune-level units visible."""

    commune_ids: frozenset[int] | None

    @property
    def is_national(self) -> bool:
        return self.commune_ids is None

    def allows(self, commune_id: int | None) -> bool:
        return self.commune_ids is None or commune_id in self.commune_ids

    def filter(self, field: str = "residence_commune_id") -> Q:
        """A Q restricting a queryset to the scope through `field` (an AdminUnit id)."""
        if self.commune_ids is None:
            return Q()
        return Q(**{f"{field}__in_array": sorted(self.commune_ids)})


EMPTY = Scope(frozenset())


def org_subtree_ids(root_id: int, day: date) -> set[int]:
    """The org unit and every descendant valid on `day`."""
    ids = {root_id}
    frontier = {root_id}
    while frontier:
        frontier = (
            set(
                OrgUnit.objects.filter(valid_on(day), parent_id__in=frontier).values_list(
                    "id", flat=True
                )
            )
            - ids
        )
        ids |= frontier
    return ids


def org_subtree(root_id: int, day: date) -> frozenset[int]:
    """`org_subtree_ids`, cached per unit and day as `unit_communes` is: the access check of
    every page about an org unit (is it the user's jurisdiction or below it?) reads no tree."""
    key = f"muster:subtree:{root_id}:{day.isoformat()}:{structure_version()}"
    cached: frozenset[int] | None = cache.get(key)
    if cached is None:
        cached = frozenset(org_subtree_ids(root_id, day))
        cache.set(key, cached, timeout=STRUCTURE_CACHE_SECONDS)
    return cached


def commune_ids_under(unit_ids: set[int], day: date) -> set[int]:
    """Commune-level units among `unit_ids` or below them (province → district → commune)."""
    communes: set[int] = set()
    frontier = unit_ids
    seen: set[int] = set()
    while frontier:
        rows = list(AdminUnit.objects.filter(id__in=frontier).values_list("id", "level"))
        communes |= {uid for uid, level in rows if level == Level.COMMUNE}
        seen |= frontier
        frontier = (
            set(
                AdminUnit.objects.filter(
                    Q(parent_id__in=[uid for uid, level in rows if level != Level.COMMUNE])
                    & valid_on(day)
                ).values_list("id", flat=True)
            )
            - seen
        )
    return communes


def scope_for(user: User, day: date | None = None) -> Scope:
    """What `user` may see on `day` (default today). No jurisdiction → nothing, unless national."""
    if not user.is_active:
        return EMPTY
    if user.is_superuser or (user.role in NATIONAL_ROLES and user.jurisdiction_id is None):
        return Scope(None)
    if user.jurisdiction_id is None:
        return EMPTY
    return Scope(unit_communes(user.jurisdiction_id, day or timezone.localdate()))


def unit_communes(org_unit_id: int, day: date) -> frozenset[int]:
    """The communes an org unit covers on `day`: its subtree's territories, down to communes.

    Every request needs a scope; computing it walks the org tree (several queries), so it is
    cached per unit and day, keyed by the structure version (core.structure).
    """
    key = f"muster:scope:{org_unit_id}:{day.isoformat()}:{structure_version()}"
    cached: frozenset[int] | None = cache.get(key)
    if cached is None:
        org_ids = org_subtree_ids(org_unit_id, day)
        unit_ids = set(
            Territory.objects.filter(valid_on(day), org_unit_id__in=org_ids).values_list(
                "admin_unit_id", flat=True
            )
        )
        cached = frozenset(commune_ids_under(unit_ids, day))
        cache.set(key, cached, timeout=STRUCTURE_CACHE_SECONDS)
    return cached


def area_communes(admin_unit_id: int, day: date) -> frozenset[int]:
    """The communes of an administrative unit (a province: all of them) on `day`, cached as
    `unit_communes` is."""
    key = f"muster:area:{admin_unit_id}:{day.isoformat()}:{structure_version()}"
    cached: frozenset[int] | None = cache.get(key)
    if cached is None:
        cached = frozenset(commune_ids_under({admin_unit_id}, day))
        cache.set(key, cached, timeout=STRUCTURE_CACHE_SECONDS)
    return cached
