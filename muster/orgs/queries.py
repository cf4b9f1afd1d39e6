"""Reads of the military organisation.

The organisation tree is not personal data: any logged-in user may read it. Holders' personal
ID numbers are: `positions_with_holders` shows them only to a viewer whose scope covers every
commune of the unit (the caller passes the viewer and their scope; orgs sits below accounts),
and logs each one shown as a read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol, cast

from django.db.models import Q, QuerySet

from muster import audit
from muster.core.errors import NotFound
from muster.core.text import vi_sort_key
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Level
from muster.orgs.models import Appointment, OrgKind, OrgUnit, Position, Territory


class CommuneScope(Protocol):
    """What positions_with_holders needs of muster.accounts.scope.Scope."""

    def allows(self, commune_id: int | None) -> bool: ...


@dataclass(frozen=True)
class HolderViewer:
    """Who asks for a unit's holders: their scope decides whether personal IDs show, and each
    one shown is logged as a read by `user` (an accounts.User) on `channel`."""

    scope: CommuneScope
    user: Any
    channel: str


HOLDER_READ = "orgs.holder.viewed"


@dataclass
class OrgNode:
    """One unit of the tree with its children and the communes it covers (with descendants)."""

    unit: OrgUnit
    children: list[OrgNode] = field(default_factory=list)
    commune_count: int = 0


@dataclass(frozen=True)
class PositionHolder:
    """A position and who held it on the day asked (None when vacant)."""

    position: Position
    appointment: Appointment | None
    # "" unless the viewer's scope covers the unit's communes.
    holder_personal_id: str = ""

    @property
    def holder_name(self) -> str:
        return self.appointment.holder_name if self.appointment else ""

    @property
    def rank(self) -> str:
        return self.appointment.rank if self.appointment else ""


def _admin_units() -> QuerySet[AdminUnit]:
    return cast("QuerySet[AdminUnit]", AdminUnit.objects.all())


def org_unit_get(code: str) -> OrgUnit:
    """The org unit with `code`, whatever its validity; NotFound if there is none."""
    unit = OrgUnit.objects.select_related("parent").filter(code=code).first()
    if unit is None:
        raise NotFound("ORG_UNIT_NOT_FOUND", {"code": code})
    return unit


def org_units_list(
    *, kind: str | None = None, parent_code: str | None = None, as_of: date | None = None
) -> QuerySet[OrgUnit]:
    """Org units ordered by code, optionally of one kind, under one parent, valid on a day."""
    units = OrgUnit.objects.select_related("parent").order_by("code")
    if kind is not None:
        units = units.filter(kind=kind)
    if parent_code is not None:
        units = units.filter(parent__code=parent_code)
    if as_of is not None:
        units = units.as_of(as_of)
    return units


def subtree_ids(root: OrgUnit, as_of: date) -> set[int]:
    """`root` and its descendants valid on `as_of` (one query per echelon)."""
    ids = {root.pk}
    frontier = {root.pk}
    while frontier:
        frontier = (
            set(
                OrgUnit.objects.as_of(as_of)
                .filter(parent_id__in=frontier)
                .values_list("id", flat=True)
            )
            - ids
        )
        ids |= frontier
    return ids


def _communes_under(admin_ids: Iterable[int], as_of: date) -> QuerySet[AdminUnit]:
    # A territory may be a commune, a (legacy) district or a province: reach down two levels.
    ids = sorted(set(admin_ids))
    return _admin_units().filter(
        Q(id__in=ids) | Q(parent_id__in=ids) | Q(parent__parent_id__in=ids),
        valid_on(as_of),
        level=Level.COMMUNE,
    )


def communes_of(org_unit: OrgUnit, as_of: date) -> QuerySet[AdminUnit]:
    """Commune-level units covered on `as_of` by the unit's or its descendants' territories.

    Below the unit itself, commune commands are not consulted: their parent link has no
    history, while the area defence command's own territory rows do (see actions.territory_move).
    """
    ids = subtree_ids(org_unit, as_of)
    nested_communes = OrgUnit.objects.filter(id__in=ids, kind=OrgKind.COMMUNE_COMMAND).exclude(
        pk=org_unit.pk
    )
    territory_ids = Territory.objects.as_of(as_of).filter(
        org_unit_id__in=ids - set(nested_communes.values_list("id", flat=True))
    )
    return _communes_under(territory_ids.values_list("admin_unit_id", flat=True), as_of).order_by(
        "code"
    )


def commune_command_of(commune: AdminUnit, as_of: date) -> OrgUnit | None:
    """The commune military command covering `commune` on `as_of`, if any."""
    return (
        OrgUnit.objects.as_of(as_of)
        .filter(
            Q(territories__valid_from__isnull=True) | Q(territories__valid_from__lte=as_of),
            Q(territories__valid_to__isnull=True) | Q(territories__valid_to__gte=as_of),
            kind=OrgKind.COMMUNE_COMMAND,
            territories__admin_unit=commune,
        )
        .order_by("code")
        .first()
    )


def org_tree(root: OrgUnit | None, as_of: date) -> list[OrgNode]:
    """The organisation valid on `as_of` as nested nodes, with commune counts.

    With `root`, a one-element list holding that unit's subtree; without, every unit whose
    parent is absent or not valid that day is a root. Four queries whatever the size: units,
    territories, communes under province/district territories, nothing per node.
    """
    # Siblings in Vietnamese alphabetical order of their names (codes break ties).
    units = sorted(
        OrgUnit.objects.as_of(as_of).order_by("code"), key=lambda u: (vi_sort_key(u.name), u.code)
    )
    by_id = {u.pk: u for u in units}
    children: dict[int | None, list[OrgUnit]] = defaultdict(list)
    for unit in units:
        parent_id = unit.parent_id if unit.parent_id in by_id else None
        children[parent_id].append(unit)

    direct: dict[int, set[int]] = defaultdict(set)
    wider: dict[int, list[int]] = defaultdict(list)  # org unit → province/district ids
    for org_unit_id, admin_id, level in Territory.objects.as_of(as_of).values_list(
        "org_unit_id", "admin_unit_id", "admin_unit__level"
    ):
        if level == Level.COMMUNE:
            direct[org_unit_id].add(admin_id)
        else:
            wider[org_unit_id].append(admin_id)
    if wider:
        area_ids = {a for ids in wider.values() for a in ids}
        under: dict[int, set[int]] = defaultdict(set)
        for commune_id, parent_id, grandparent_id in (
            _communes_under(area_ids, as_of)
            .filter(~Q(id__in=sorted(area_ids)))
            .values_list("id", "parent_id", "parent__parent_id")
        ):
            for area_id in (parent_id, grandparent_id):
                if area_id in area_ids:
                    under[area_id].add(commune_id)
        for org_unit_id, ids in wider.items():
            for area_id in ids:
                direct[org_unit_id] |= under[area_id]

    def build(unit: OrgUnit) -> tuple[OrgNode, set[int]]:
        node = OrgNode(unit=unit)
        covered = set(direct.get(unit.pk, ()))
        for child in children.get(unit.pk, []):
            child_node, child_covered = build(child)
            node.children.append(child_node)
            # A commune command's commune is already in its area command's territory, which
            # keeps history; the child's parent link does not (see communes_of).
            if child.kind != OrgKind.COMMUNE_COMMAND:
                covered |= child_covered
        node.commune_count = len(covered)
        return node, covered

    if root is not None:
        if root.pk not in by_id:
            return []
        return [build(by_id[root.pk])[0]]
    return [build(unit)[0] for unit in children[None]]


def positions_with_holders(
    org_unit: OrgUnit, as_of: date, *, viewer: HolderViewer | None = None
) -> list[PositionHolder]:
    """The unit's positions in order, each with its holder on `as_of`.

    `holder_personal_id` is filled only when the viewer's scope allows every commune the unit
    covers (Law 91/2025/QH15 on personal data protection: need to know; domain-rules §5), and
    each one filled is logged as a read of that appointment.
    """
    positions = list(Position.objects.filter(org_unit=org_unit).order_by("ordinal"))
    holders: dict[int, Appointment] = {}
    for appointment in (
        Appointment.objects.as_of(as_of)
        .filter(position__in=positions)
        .order_by("position_id", "valid_from")
    ):
        holders[appointment.position_id] = appointment  # the latest start wins
    reveal = False
    if viewer is not None and holders:
        commune_ids = list(communes_of(org_unit, as_of).values_list("id", flat=True))
        reveal = bool(commune_ids) and all(viewer.scope.allows(c) for c in commune_ids)
    if reveal and viewer is not None:
        shown = [a for a in holders.values() if a.holder_personal_id]
        audit.record_reads(HOLDER_READ, actor=viewer.user, targets=shown, channel=viewer.channel)
    return [
        PositionHolder(
            position=position,
            appointment=holders.get(position.pk),
            holder_personal_id=(
                holders[position.pk].holder_personal_id if reveal and position.pk in holders else ""
            ),
        )
        for position in positions
    ]
