"""The forces and means on record for a plan, read set-based for a set of communes on a day:
shelters and rescue means of the civil-defence register, the reserve's technical means in
working order, militia members serving (by militia unit, or by commune command when in no
unit) and reservists in the reserve (by commune and task).

A person in several roles — a means' operator, a militia member, a reservist — is counted once
per task window: in the role `rules.keep_one_role` keeps, the others refused with the reason
(`PERSON_ALREADY_ASSIGNED`, kept on the plan). Resources other current plans assign in an
overlapping window give only what they have left.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Q, Sum

from muster.civildefence import rules
from muster.civildefence.models import PlanAssignment, RescueMeans, Shelter
from muster.core.validity import valid_on
from muster.geo.models import AdminUnit
from muster.militia.models import MilitiaMembership
from muster.orgs.models import OrgKind, Territory
from muster.people.models import LifeStatus
from muster.reserve.models import ReserveMembership
from muster.reserve.models_units import MeansState, TechnicalMeans


@dataclass
class Resource:
    kind: str  # models.ResourceKind
    code: str
    name: str
    task: str  # the task kind it serves (rules.TASK_ORDER)
    capacity: int
    lat: float
    lon: float
    persons: set[int] = field(default_factory=set)


@dataclass
class Gathered:
    resources: list[Resource]
    conflicts: list[dict[str, Any]]


def _centres(commune_ids: list[int]) -> dict[int, tuple[float, float, str]]:
    return {
        pk: (lat or 0.0, lon or 0.0, code)
        for pk, lat, lon, code in AdminUnit.objects.filter(id__in_array=commune_ids).values_list(
            "id", "lat", "lon", "code"
        )
    }


def _register(commune_ids: list[int], day: date) -> tuple[list[Resource], dict[int, str]]:
    found = [
        Resource("shelter", s.code, s.name, rules.EVACUATE, s.capacity, s.lat, s.lon)
        for s in Shelter.objects.filter(valid_on(day), commune_id__in_array=commune_ids)
    ]
    operators: dict[int, str] = {}
    for m in RescueMeans.objects.filter(valid_on(day), commune_id__in_array=commune_ids):
        resource = Resource(
            "rescue_means", m.code, m.name, rules.MEANS_USE[m.kind], m.capacity, m.lat, m.lon
        )
        if m.operator_id:
            resource.persons.add(m.operator_id)
            operators[m.operator_id] = m.code
        found.append(resource)
    return found, operators


def _reserve_means(
    commune_ids: list[int], centres: dict[int, tuple[float, float, str]]
) -> list[Resource]:
    found = []
    for means in TechnicalMeans.objects.filter(
        state=MeansState.READY, retired_on__isnull=True, commune_id__in_array=commune_ids
    ):
        use = rules.reserve_means_capacity(means.kind, means.capacity)
        if use is None:
            continue
        lat, lon, _code = centres[means.commune_id]
        name = f"{means.capability} {means.registration}"
        found.append(Resource("reserve_means", means.registration, name, use[0], use[1], lat, lon))
    return found


def _militia(
    commune_ids: list[int], day: date, centres: dict[int, tuple[float, float, str]]
) -> dict[tuple[str, str], Resource]:
    """Militia serving on `day` in the commune commands of the communes: one resource per
    militia unit (or per command for members in no unit) and task."""
    commands = dict(
        Territory.objects.filter(
            valid_on(day),
            admin_unit_id__in_array=commune_ids,
            org_unit__kind=OrgKind.COMMUNE_COMMAND,
        ).values_list("org_unit_id", "admin_unit_id")
    )
    rows = (
        MilitiaMembership.objects.filter(valid_on(day), unit_id__in_array=sorted(commands))
        .filter(Q(person__life_status=LifeStatus.ALIVE) | Q(person__died_on__gt=day))
        .values_list(
            "person_id",
            "unit_id",
            "unit__code",
            "militia_unit_id",
            "militia_unit__name",
            "specialty",
            "militia_unit__specialty",
        )
    )
    found: dict[tuple[str, str], Resource] = {}
    for person_id, unit_id, unit_code, mu_id, mu_name, specialty, mu_specialty in rows:
        task, _capacity = rules.militia_capacity(mu_specialty or specialty, 1)
        lat, lon, _code = centres[commands[unit_id]]
        if mu_id:
            key, kind, name = (f"MU-{mu_id}", "militia_unit", mu_name)
        else:
            key, kind, name = (unit_code, "militia_command", unit_code)
        resource = found.setdefault(
            (key, task),
            Resource(kind, key if task == rules.RESCUE else f"{key}-MED", name, task, 0, lat, lon),
        )
        resource.persons.add(person_id)
    return found


def _reservists(
    commune_ids: list[int], day: date, centres: dict[int, tuple[float, float, str]]
) -> dict[tuple[str, str], Resource]:
    rows = (
        ReserveMembership.objects.filter(valid_on(day))
        .filter(person__residence_commune_id__in_array=commune_ids)
        .filter(Q(removal_decided_on__isnull=True) | Q(removal_decided_on__gt=day))
        .filter(Q(unfit_on__isnull=True) | Q(unfit_on__gt=day))
        .filter(Q(person__life_status=LifeStatus.ALIVE) | Q(person__died_on__gt=day))
        .values_list("person_id", "person__residence_commune_id", "specialty")
    )
    found: dict[tuple[str, str], Resource] = {}
    for person_id, commune_id, specialty in rows:
        task, _each = rules.reservist_task(specialty)
        lat, lon, code = centres[commune_id]
        suffix = "MED" if task == rules.RELIEF else "SAR"
        resource = found.setdefault(
            (code, task), Resource("reservists", f"RES-{code}-{suffix}", code, task, 0, lat, lon)
        )
        resource.persons.add(person_id)
    return found


def _one_role_each(
    operators: dict[int, str],
    militia: dict[tuple[str, str], Resource],
    reservists: dict[tuple[str, str], Resource],
) -> list[dict[str, Any]]:
    """Take each person out of the roles `rules.keep_one_role` refuses; the conflicts."""
    roles: dict[int, set[str]] = defaultdict(set)
    for person_id in operators:
        roles[person_id].add("rescue_means")
    for groups, role in ((militia, "militia"), (reservists, "reservist")):
        for resource in groups.values():
            for person_id in resource.persons:
                roles[person_id].add(role)
    conflicts = []
    for person_id, held in sorted(roles.items()):
        if len(held) < 2:
            continue
        kept, refused = rules.keep_one_role(held)
        for role in refused:
            groups = militia if role == "militia" else reservists
            for resource in groups.values():
                resource.persons.discard(person_id)
            conflicts.append(
                {"person": person_id, "kept": kept, "role": role, "code": "PERSON_ALREADY_ASSIGNED"}
            )
    return conflicts


def used_elsewhere(window: tuple[date, date], hazard_key: str) -> dict[tuple[str, str], int]:
    """What current plans of other hazards assign in a window overlapping `window`, by
    (resource kind, code)."""
    rows = (
        PlanAssignment.objects.filter(
            task__plan__status="current",
            task__starts_on__lte=window[1],
            task__ends_on__gte=window[0],
        )
        .exclude(task__plan__hazard_key=hazard_key)
        .exclude(resource_kind="shortfall")
        .values("resource_kind", "resource_code")
        .annotate(n=Sum("assigned"))
        .order_by()
    )
    return {(r["resource_kind"], r["resource_code"]): r["n"] for r in rows}


def gather(
    commune_ids: list[int], day: date, window: tuple[date, date], hazard_key: str
) -> Gathered:
    """Every resource of the communes on `day`, each person once, less what other current
    plans use in an overlapping window."""
    centres = _centres(commune_ids)
    register, operators = _register(commune_ids, day)
    militia = _militia(commune_ids, day, centres)
    reservists = _reservists(commune_ids, day, centres)
    conflicts = _one_role_each(operators, militia, reservists)
    for group in (militia, reservists):
        for resource in group.values():
            each = rules.PEOPLE_PER_MEDIC if resource.task == rules.RELIEF else 1
            resource.capacity = len(resource.persons) * each
    resources = register + _reserve_means(commune_ids, centres)
    resources += [r for r in (*militia.values(), *reservists.values()) if r.capacity > 0]
    used = used_elsewhere(window, hazard_key)
    for resource in resources:
        resource.capacity = max(0, resource.capacity - used.get((resource.kind, resource.code), 0))
    return Gathered([r for r in resources if r.capacity > 0], conflicts)
