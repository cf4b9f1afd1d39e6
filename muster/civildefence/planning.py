"""Computing a response plan: the tasks a hazard's exposure asks for in each commune, the
forces and means on record (`civildefence.resources`), an assignment by minimum-cost flow
(`civildefence.solver`), stored as the next version of the owning command's plan for the
hazard, audited. Shortfalls are stored and shown as rows of their own, never hidden.

The owner is the command given, else the lowest command whose territory covers every commune
the zone touches (in the user's jurisdiction, for a user who does not see them all) (a commune's command for a zone inside one commune: the commune civil-defence
command's plan, Decree 200/2025 Art. 8). Tasks and resources stay inside the owner's communes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from networkx import NetworkXError  # type: ignore[import-untyped]

from muster import audit
from muster.accounts import permissions
from muster.accounts.scope import scope_for, unit_communes
from muster.civildefence import queries, rules, solver
from muster.civildefence.models import (
    CivilDefenceCommand,
    HazardZone,
    PlanAssignment,
    PlanTask,
    ResponsePlan,
)
from muster.civildefence.resources import Gathered, Resource, gather
from muster.core.errors import FieldError, InvalidInput, NotFound
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit
from muster.orgs.models import OrgKind, OrgUnit, Territory

PLAN_CSV_HEADER = (
    "task_id",
    "task_kind",
    "commune_code",
    "people",
    "resource_kind",
    "resource_code",
    "assigned",
    "capacity",
    "travel_km",
)


def default_terrain_factor() -> float:
    return float(getattr(settings, "MUSTER_CD_TERRAIN_FACTOR", rules.DEFAULT_TERRAIN_FACTOR))


# Where the walk up starts: the most local command holding the commune (or its province).
OWNER_KINDS = (
    OrgKind.COMMUNE_COMMAND,
    OrgKind.AREA_DEFENCE_COMMAND,
    OrgKind.PROVINCIAL_COMMAND,
    OrgKind.CAPITAL_COMMAND,
    OrgKind.MILITARY_REGION,
)


def owner_for(commune_ids: list[int], day: date) -> OrgUnit | None:
    """The lowest command whose territory covers every commune of `commune_ids` on `day`:
    up from the most local command holding the first commune (a commune command; where the
    organisation has none, the area or provincial command holding it or its province)
    through its parents; when none covers them all, the highest reached (the plan then keeps
    to its communes, the rest left to their own commands)."""
    if not commune_ids:
        return None
    commune = AdminUnit.objects.filter(pk=commune_ids[0]).values_list("pk", "parent_id").first()
    if commune is None:
        return None
    held = Territory.objects.filter(
        valid_on(day), admin_unit_id__in=[c for c in commune if c], org_unit__kind__in=OWNER_KINDS
    ).select_related("org_unit")
    rank = {str(kind): n for n, kind in enumerate(OWNER_KINDS)}
    found = sorted(held, key=lambda t: (t.admin_unit_id != commune[0], rank[t.org_unit.kind]))
    unit = found[0].org_unit if found else None
    wanted = set(commune_ids)
    top = unit
    while unit is not None:
        if wanted <= unit_communes(unit.pk, day):
            return unit
        top, unit = unit, unit.parent
    return top  # none covers them all (a zone across regions): the highest reached


@dataclass(frozen=True)
class TaskSpec:
    code: str
    kind: str
    commune_id: int
    people: int
    demand: int
    lat: float
    lon: float


def _tasks(rows: list[queries.ExposureRow], zone: HazardZone) -> list[TaskSpec]:
    found = []
    for row in rows:
        for demand in rules.task_demands(
            zone.kind, zone.severity, row.people_in_zone, row.vulnerable_in_zone
        ):
            found.append((row, demand))
    order = {k: i for i, k in enumerate(rules.TASK_ORDER)}
    found.sort(key=lambda p: (p[0].commune_code, order[p[1].kind]))
    return [
        TaskSpec(
            f"T{n:04d}", d.kind, row.commune_id, row.people_in_zone, d.demand, row.lat, row.lon
        )
        for n, (row, d) in enumerate(found, start=1)
    ]


def _travel(
    needs: list[solver.Point],
    supplies: list[solver.Point],
    factor: float,
    roads: solver.RoadGraph | None,
) -> np.ndarray[Any, Any]:
    if roads is None:
        return solver.km_matrix(needs, supplies) * factor
    return roads.km(needs, supplies)


def _road_graph(path: Path | None) -> solver.RoadGraph | None:
    if path is None:
        return None
    try:
        return solver.RoadGraph(path)
    except (OSError, ValueError, KeyError, TypeError, SyntaxError, NetworkXError) as exc:
        raise InvalidInput.single("roads", "ROAD_GRAPH_UNREADABLE", {"reason": str(exc)}) from None


@dataclass
class Solved:
    tasks: list[TaskSpec]
    resources: list[Resource]
    flows: list[solver.Flow]


def _solve(
    tasks: list[TaskSpec],
    resources: list[Resource],
    factor: float,
    roads: solver.RoadGraph | None,
) -> Solved:
    flows: list[solver.Flow] = []
    for kind in rules.TASK_ORDER:
        t_idx = [i for i, t in enumerate(tasks) if t.kind == kind]
        r_idx = [j for j, r in enumerate(resources) if r.task == kind]
        if not t_idx:
            continue
        needs = [
            solver.Need(i, tasks[i].demand, solver.Point(tasks[i].lat, tasks[i].lon)) for i in t_idx
        ]
        supplies = [
            solver.Supply(
                j, resources[j].capacity, solver.Point(resources[j].lat, resources[j].lon)
            )
            for j in r_idx
        ]
        km = (
            _travel([n.at for n in needs], [s.at for s in supplies], factor, roads)
            if supplies
            else np.zeros((len(needs), 0))
        )
        flows += solver.solve(needs, supplies, km)
    return Solved(tasks, resources, flows)


def _owner(unit_code: str | None, touched: list[int], day: date, acting_user: Any) -> OrgUnit:
    if unit_code:
        unit = OrgUnit.objects.filter(valid_on(day), code=unit_code).first()
        if unit is None or not permissions.covers(acting_user, unit=unit, day=day):
            raise NotFound("CD_UNIT_NOT_FOUND", {"code": unit_code})
        return unit
    scope = scope_for(acting_user, day) if acting_user is not None else None
    if scope is not None and not scope.is_national:
        touched = [c for c in touched if scope.allows(c)] or touched
    owner = owner_for(touched, day)
    if owner is None:
        raise InvalidInput([FieldError("unit", "CD_UNIT_NOT_FOUND", {"code": "—"})])
    return owner


def plan_compute(
    *,
    zone: HazardZone,
    as_of: date,
    acting_user: Any,
    unit_code: str | None = None,
    terrain_factor: float | None = None,
    roads: Path | None = None,
    exposure: queries.Exposure | None = None,
) -> ResponsePlan:
    """Solve the plan for `zone` on `as_of` and store it as the owner's next version (the
    previous one superseded); the owner's communes only. `exposure`: the zone's exposure on
    `as_of` already read (`queries.exposure_counts`, unscoped), reused rather than read again."""
    factor = default_terrain_factor() if terrain_factor is None else terrain_factor
    problems = rules.terrain_factor_problems(factor)
    if problems:
        raise InvalidInput([FieldError(p.field, p.code, p.params) for p in problems])
    graph = _road_graph(roads)
    if exposure is None or exposure.day != as_of or exposure.scoped:
        exposure = queries.exposure_counts(zone, as_of)
    # The walk up to the owner starts from the commune with the most people in the zone.
    touched = [r.commune_id for r in sorted(exposure.rows, key=lambda r: -r.people_in_zone)]
    owner = _owner(unit_code, touched, as_of, acting_user)
    permissions.require(acting_user, "civildefence.plan.compute", unit=owner, day=as_of)
    area = unit_communes(owner.pk, as_of)
    rows = [r for r in exposure.rows if r.commune_id in area]
    window = rules.plan_window(zone.valid_from, zone.valid_to, as_of)
    started = time.perf_counter()
    gathered = gather(sorted(area), as_of, window, zone.key)
    solved = _solve(_tasks(rows, zone), gathered.resources, factor, graph)
    seconds = time.perf_counter() - started
    return _store(
        zone,
        owner,
        (as_of, window, factor, roads),
        exposure,
        solved,
        gathered,
        seconds,
        acting_user,
    )


def _store(
    zone: HazardZone,
    owner: OrgUnit,
    setting: tuple[date, tuple[date, date], float, Path | None],
    exposure: queries.Exposure,
    solved: Solved,
    gathered: Gathered,
    seconds: float,
    acting_user: Any,
) -> ResponsePlan:
    """Store the plan as the owner's next version, audited (with where the exposure's counts
    came from: the snapshots of the day, when computed, or counted live)."""
    as_of, window, factor, roads = setting
    conflicts = gathered.conflicts
    shortfall = sum(f.amount for f in solved.flows if f.supply < 0)
    with transaction.atomic():
        previous = ResponsePlan.objects.select_for_update().filter(hazard_key=zone.key, unit=owner)
        version = (previous.aggregate(n=Max("version"))["n"] or 0) + 1
        previous.filter(status="current").update(
            status="superseded", effective_to=window[0] - timedelta(days=1)
        )
        command = (
            CivilDefenceCommand.objects.filter(valid_on(as_of), unit=owner)
            .order_by("-valid_from")
            .first()
        )
        plan = ResponsePlan.objects.create(
            hazard=zone,
            hazard_key=zone.key,
            unit=owner,
            cd_command=command,
            version=version,
            as_of=as_of,
            effective_from=window[0],
            effective_to=window[1],
            travel_method="road_graph" if roads else "straight_line",
            terrain_factor=factor,
            people_in_zone=sum({t.commune_id: t.people for t in solved.tasks}.values()),
            shortfall=shortfall,
            conflicts=conflicts,
            solve_seconds=round(seconds, 3),
            computed_by=acting_user if getattr(acting_user, "pk", None) else None,
        )
        tasks = PlanTask.objects.bulk_create(
            PlanTask(
                plan=plan,
                code=t.code,
                kind=t.kind,
                commune_id=t.commune_id,
                people=t.people,
                demand=t.demand,
                starts_on=window[0],
                ends_on=window[1],
            )
            for t in solved.tasks
        )
        PlanAssignment.objects.bulk_create(_assignments(solved, tasks), batch_size=2000)
        audit.record(
            "civildefence.plan.computed",
            actor=acting_user,
            target=plan,
            data={
                "hazard": zone.key,
                "hazard_version": zone.version,
                "unit": owner.code,
                "version": version,
                "tasks": len(tasks),
                "resources": len(solved.resources),
                "shortfall": shortfall,
                "conflicts": len(conflicts),
                "seconds": round(seconds, 3),
                "exposure": exposure.source,
                "exposure_computed_at": (
                    exposure.computed_at.isoformat() if exposure.computed_at else None
                ),
            },
        )
    return plan


def _assignments(solved: Solved, tasks: list[PlanTask]) -> list[PlanAssignment]:
    found = []
    for flow in solved.flows:
        task = tasks[flow.need]
        if flow.supply < 0:
            found.append(PlanAssignment(task=task, resource_kind="shortfall", assigned=flow.amount))
            continue
        resource = solved.resources[flow.supply]
        found.append(
            PlanAssignment(
                task=task,
                resource_kind=resource.kind,
                resource_code=resource.code,
                resource_name=resource.name[:200],
                assigned=flow.amount,
                capacity=resource.capacity,
                travel_km=round(flow.km or 0.0, 2),
            )
        )
    return found


def plan_assignments(plan: ResponsePlan) -> list[PlanAssignment]:
    """The plan's assignments in task order, resources by travel, the shortfall last."""
    found = PlanAssignment.objects.filter(task__plan=plan).select_related("task__commune")
    return sorted(
        found,
        key=lambda a: (
            a.task.code,
            a.resource_kind == "shortfall",
            a.travel_km or 0.0,
            a.resource_code,
        ),
    )


def plan_csv_rows(plan: ResponsePlan) -> list[tuple[Any, ...]]:
    """The CLI's plan columns (issue 19's contract)."""
    return [
        (
            a.task.code,
            a.task.kind,
            a.task.commune.code,
            a.task.people,
            a.resource_kind,
            a.resource_code,
            a.assigned,
            "" if a.capacity is None else a.capacity,
            "" if a.travel_km is None else f"{a.travel_km:.2f}",
        )
        for a in plan_assignments(plan)
    ]
