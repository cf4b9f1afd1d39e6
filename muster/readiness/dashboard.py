"""The landing page's figures: the work due, the call-up's progress and the militia against its
target, for the unit a user looks at and for each unit one level below it.

It is the page every user opens first, on old PCs and slow links, so its reads are a fixed
handful of grouped queries whatever the jurisdiction's size: open work items per commune and
kind, the current cycle's quotas and orders per commune, militia members and targets per commune
command — each one GROUP BY over the scope — plus a walk down the org tree (one query per level)
that says which commune lies under which unit below. The figures are added up in Python from the
per-commune rows; nothing names a person, so nothing is logged as read.

Scope: the figures are those of the communes both the user's jurisdiction and the unit looked at
cover (`accounts.scope`); a unit outside the jurisdiction is NotFound, as everywhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from muster.accounts.models import User
from muster.accounts.scope import org_subtree, scope_for, unit_communes
from muster.conscription.models import CallupCycle, CallupOrder, CommuneQuota, HandoverOutcome
from muster.core.collation import vi
from muster.core.errors import NotFound
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Level
from muster.militia.models import MilitiaMembership, MilitiaTarget
from muster.orgs.models import OrgKind, OrgUnit, Territory
from muster.readiness import places, rules
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind

# Every worklist, in the order of the worklist page's tabs.
WORK_KINDS = Kind.ALL


@dataclass(frozen=True)
class Work:
    """Open items of one kind, and how many of them are past their deadline."""

    kind: str
    open: int
    overdue: int


@dataclass(frozen=True)
class Callup:
    """The current call-up cycle's progress: quotas set, orders issued, men who reported."""

    year: int | None
    quota: int = 0
    issued: int = 0
    reported: int = 0

    @property
    def issued_share(self) -> float | None:
        return rules.share(self.issued, self.quota)

    @property
    def reported_share(self) -> float | None:
        return rules.share(self.reported, self.quota)


@dataclass(frozen=True)
class Militia:
    """Militia members today against the commands' targets (commands without one left out of
    the target, and of the shortfall)."""

    members: int = 0
    target: int = 0
    below_target: int = 0  # commands short of their target

    @property
    def share(self) -> float | None:
        return rules.share(self.members, self.target)


@dataclass(frozen=True)
class Figures:
    """One unit's figures (or the whole jurisdiction's, `unit` None)."""

    unit: OrgUnit | None
    communes: int
    work: list[Work]
    callup: Callup
    militia: Militia

    @property
    def open(self) -> int:
        return sum(w.open for w in self.work)

    @property
    def overdue(self) -> int:
        return sum(w.overdue for w in self.work)


@dataclass(frozen=True)
class Dashboard:
    day: date
    figures: Figures
    children: list[Figures] = field(default_factory=list)
    cycles: list[CallupCycle] = field(default_factory=list)  # the current year's, by province
    parent: OrgUnit | None = None  # the unit above, when the user may look at it
    commune_code: str | None = None  # the commune, when the unit is a commune command


@dataclass
class _PerCommune:
    """The grouped rows, per commune id."""

    work: dict[int, dict[str, tuple[int, int]]]
    quota: dict[int, int]
    orders: dict[int, tuple[int, int]]
    militia: dict[int, tuple[int, int | None]]  # members, target (None: no target set)
    year: int | None


def access_place(user: User, code: str, day: date) -> places.Place:
    """An org unit in the user's jurisdiction (his own or one below it), with the units around
    it its page shows (cached: `places`); else NotFound."""
    found = places.place(code, day)
    if found is None or not _may_look_at(user, found.unit, day):
        raise NotFound("ORG_UNIT_NOT_FOUND", {"code": code})
    return found


def access_unit(user: User, code: str, day: date) -> OrgUnit:
    """An org unit in the user's jurisdiction (his own or one below it); else NotFound."""
    return access_place(user, code, day).unit


def _may_look_at(user: User, unit: OrgUnit, day: date) -> bool:
    if scope_for(user, day).is_national:
        return True
    if user.jurisdiction_id is None:
        return False
    return unit.pk in org_subtree(user.jurisdiction_id, day)


def dashboard(user: User, *, unit_code: str | None = None, day: date | None = None) -> Dashboard:
    """The figures of the unit `unit_code` (default: the user's jurisdiction, or the whole
    country for a national user) and of each unit directly below it."""
    day = day or timezone.localdate()
    scope = scope_for(user, day)
    unit: OrgUnit | None
    if unit_code:
        unit = access_unit(user, unit_code, day)
    elif user.jurisdiction_id is not None and not scope.is_national:
        unit = OrgUnit.objects.get(pk=user.jurisdiction_id)
    else:
        unit = None
    if unit is not None:
        communes = set(unit_communes(unit.pk, day))
        if scope.commune_ids is not None:
            communes &= scope.commune_ids
        commune_ids: set[int] | None = communes
    else:
        commune_ids = None if scope.is_national else set(scope.commune_ids or ())
    rows = _per_commune(commune_ids, day)
    below = _children(unit, day)
    under = _communes_under([c.pk for c in below], day)
    everything = commune_ids if commune_ids is not None else _all_communes(rows)
    children = [
        _figures(child, under.get(child.pk, set()) & everything, rows)
        for child in below
        if under.get(child.pk, set()) & everything
    ]
    parent = None
    if unit is not None and unit.parent_id is not None:
        above = OrgUnit.objects.filter(pk=unit.parent_id).first()
        if above is not None and _may_look_at(user, above, day):
            parent = above
    total = _figures(unit, everything, rows, count_communes=_count_communes(commune_ids, day))
    cycles = (
        list(
            CallupCycle.objects.filter(year=rows.year, province_id__in=_provinces(commune_ids))
            .select_related("province")
            .order_by("province__code")
        )
        if rows.year is not None
        else []
    )
    commune_code = None
    if unit is not None and unit.kind == OrgKind.COMMUNE_COMMAND and commune_ids:
        commune_code = (
            AdminUnit.objects.filter(pk__in_array=sorted(commune_ids))
            .values_list("code", flat=True)
            .first()
        )
    return Dashboard(day, total, children, cycles, parent, commune_code)


def _in(field_name: str, ids: set[int] | None) -> Q:
    return Q() if ids is None else Q(**{f"{field_name}__in_array": sorted(ids)})


def _per_commune(commune_ids: set[int] | None, day: date) -> _PerCommune:
    work: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for commune_id, kind, n_open, n_overdue in (
        WorkItem.objects.filter(_in("commune_id", commune_ids), resolved_at__isnull=True)
        .values_list("commune_id", "kind")
        .annotate(n=Count("id"), late=Count("id", filter=Q(due_on__lt=day)))
        .order_by()
    ):
        work[commune_id][kind] = (n_open, n_overdue)
    # The current cycle: the latest year with a cycle in one of these communes' provinces.
    year = (
        CallupCycle.objects.filter(province_id__in=_provinces(commune_ids))
        .aggregate(y=Max("year"))
        .get("y")
    )
    quota: dict[int, int] = {}
    orders: dict[int, tuple[int, int]] = {}
    if year is not None:
        quota = dict(
            CommuneQuota.objects.filter(_in("commune_id", commune_ids), cycle__year=year)
            .values_list("commune_id")
            .annotate(q=Sum("quota"))
            .order_by()
        )
        for commune_id, issued, reported in (
            CallupOrder.objects.filter(
                _in("batch__commune_id", commune_ids), cycle__year=year, revoked_at__isnull=True
            )
            .values_list("batch__commune_id")
            .annotate(
                issued=Count("id", filter=Q(issued_on__isnull=False)),
                reported=Count("id", filter=Q(outcome=HandoverOutcome.REPORTED)),
            )
            .order_by()
        ):
            orders[commune_id] = (issued, reported)
    return _PerCommune(work, quota, orders, _militia(commune_ids, day), year)


def _militia(commune_ids: set[int] | None, day: date) -> dict[int, tuple[int, int | None]]:
    """Members and target per commune, through the commune command covering it."""
    command_of = dict(
        Territory.objects.filter(
            _in("admin_unit_id", commune_ids),
            valid_on(day),
            org_unit__kind=OrgKind.COMMUNE_COMMAND,
        ).values_list("org_unit_id", "admin_unit_id")
    )
    members = dict(
        MilitiaMembership.objects.as_of(day)
        .filter(_in("unit_id", set(command_of) if commune_ids is not None else None))
        .values_list("unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    targets = dict(
        MilitiaTarget.objects.as_of(day)
        .filter(_in("unit_id", set(command_of) if commune_ids is not None else None))
        .values_list("unit_id", "size")
    )
    return {
        commune_id: (members.get(command_id, 0), targets.get(command_id))
        for command_id, commune_id in command_of.items()
    }


def _provinces(commune_ids: set[int] | None) -> QuerySet[AdminUnit, Any]:
    """The provinces of these communes (all, for the country), as a subquery."""
    if commune_ids is None:
        return AdminUnit.objects.filter(level=Level.PROVINCE).values("id")
    return AdminUnit.objects.filter(id__in_array=sorted(commune_ids)).values("parent_id")


def _all_communes(rows: _PerCommune) -> set[int]:
    return set(rows.work) | set(rows.quota) | set(rows.orders) | set(rows.militia)


def _count_communes(commune_ids: set[int] | None, day: date) -> int:
    if commune_ids is not None:
        return len(commune_ids)
    return AdminUnit.objects.filter(valid_on(day), level=Level.COMMUNE, edition="2025").count()


def _figures(
    unit: OrgUnit | None, communes: set[int], rows: _PerCommune, *, count_communes: int = -1
) -> Figures:
    work = []
    for kind in WORK_KINDS:
        n_open = n_overdue = 0
        for commune_id in communes & set(rows.work):
            got = rows.work[commune_id].get(kind, (0, 0))
            n_open, n_overdue = n_open + got[0], n_overdue + got[1]
        work.append(Work(kind, n_open, n_overdue))
    issued = sum(rows.orders[c][0] for c in communes & set(rows.orders))
    reported = sum(rows.orders[c][1] for c in communes & set(rows.orders))
    quota = sum(rows.quota[c] for c in communes & set(rows.quota))
    militia = [rows.militia[c] for c in communes & set(rows.militia)]
    with_target = [(m, t) for m, t in militia if t is not None]
    return Figures(
        unit=unit,
        communes=count_communes if count_communes >= 0 else len(communes),
        work=work,
        callup=Callup(rows.year, quota, issued, reported),
        militia=Militia(
            members=sum(m for m, _ in militia),
            target=sum(t for _, t in with_target),
            below_target=sum(1 for m, t in with_target if m < t),
        ),
    )


def _children(unit: OrgUnit | None, day: date) -> list[OrgUnit]:
    """The units one level below (the regions and the Capital Command for the country)."""
    units = OrgUnit.objects.filter(valid_on(day))
    units = units.filter(parent__isnull=True) if unit is None else units.filter(parent=unit)
    return list(units.order_by(vi("name"), "code"))


def _communes_under(roots: list[int], day: date) -> dict[int, set[int]]:
    """root id → the communes its subtree covers on `day`: one query per org level, one for the
    territories, one per admin level below the territories (provinces → communes)."""
    root_of = {r: r for r in roots}
    frontier = set(roots)
    while frontier:
        found = dict(
            OrgUnit.objects.filter(valid_on(day), parent_id__in_array=sorted(frontier))
            .exclude(pk__in_array=sorted(root_of))
            .values_list("id", "parent_id")
        )
        for child, parent in found.items():
            root_of[child] = root_of[parent]
        frontier = set(found)
    admin_root: dict[int, set[int]] = defaultdict(set)
    for org_id, admin_id in Territory.objects.filter(
        valid_on(day), org_unit_id__in_array=sorted(root_of)
    ).values_list("org_unit_id", "admin_unit_id"):
        admin_root[admin_id].add(root_of[org_id])
    under: dict[int, set[int]] = defaultdict(set)
    frontier = set(admin_root)
    while frontier:
        rows = list(
            AdminUnit.objects.filter(
                Q(pk__in_array=sorted(frontier)) | Q(parent_id__in_array=sorted(frontier)),
                valid_on(day),
            ).values_list("id", "parent_id", "level")
        )
        next_frontier: set[int] = set()
        for admin_id, parent_id, level in rows:
            if admin_id in frontier:
                if level == Level.COMMUNE:
                    for root in admin_root[admin_id]:
                        under[root].add(admin_id)
                continue
            if parent_id in frontier:
                admin_root[admin_id] |= admin_root[parent_id]
                if level == Level.COMMUNE:
                    for root in admin_root[admin_id]:
                        under[root].add(admin_id)
                else:
                    next_frontier.add(admin_id)
        frontier = next_frontier
    return under
