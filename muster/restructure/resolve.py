"""A plan's steps resolved to unit ids: which unit ends, which takes over (default first)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from muster.core.validity import valid_on
from muster.geo.models import AdminUnit, Level
from muster.orgs.models import OrgUnit
from muster.restructure.models import Plan, StepKind, UnitType

_CHUNK = 900


@dataclass
class Resolved:
    plan: Plan
    day: date
    before: date
    admin: dict[int, AdminUnit] = field(default_factory=dict)
    org: dict[int, OrgUnit] = field(default_factory=dict)
    # old id → successor ids, default first; an abolished unit maps to []
    admin_successors: dict[int, list[int]] = field(default_factory=dict)
    org_successors: dict[int, list[int]] = field(default_factory=dict)
    admin_created: set[int] = field(default_factory=set)
    org_created: set[int] = field(default_factory=set)

    def admin_default(self) -> dict[int, int]:
        return {old: new[0] for old, new in self.admin_successors.items() if new and old != new[0]}

    def org_default(self) -> dict[int, int]:
        return {old: new[0] for old, new in self.org_successors.items() if new and old != new[0]}

    def split_wards(self) -> dict[int, list[int]]:
        return {
            old: new
            for old, new in self.admin_successors.items()
            if len(new) > 1 and self.admin[old].level == Level.COMMUNE
        }

    def new_communes(self) -> set[int]:
        ids = {n for new in self.admin_successors.values() for n in new} | self.admin_created
        return {i for i in ids if self.admin[i].level == Level.COMMUNE}


def _by_code(model: type[AdminUnit] | type[OrgUnit], codes: set[str], day: date) -> dict[str, int]:
    found: dict[str, int] = {}
    ordered = sorted(codes)
    for start in range(0, len(ordered), _CHUNK):
        rows = model.objects.filter(valid_on(day), code__in=ordered[start : start + _CHUNK])
        found.update(rows.values_list("code", "id"))
    return found


def plan_resolve(plan: Plan) -> Resolved:
    """Every step's codes as ids (old codes on the day before, new codes on the day)."""
    day = plan.effective_on
    before = day - timedelta(days=1)
    steps = list(
        plan.steps.order_by("unit_type", "old_code", "-is_default", "new_code").values_list(
            "unit_type", "kind", "old_code", "new_code"
        )
    )
    result = Resolved(plan=plan, day=day, before=before)
    for unit_type, model, successors, created, units in (
        (UnitType.ADMIN, AdminUnit, result.admin_successors, result.admin_created, result.admin),
        (UnitType.ORG, OrgUnit, result.org_successors, result.org_created, result.org),
    ):
        mine = [s for s in steps if s[0] == unit_type]
        old_ids = _by_code(model, {s[2] for s in mine if s[2]}, before)
        new_ids = _by_code(model, {s[3] for s in mine if s[3]}, day)
        grouped: dict[int, list[int]] = defaultdict(list)
        for _type, kind, old, new in mine:
            new_id = new_ids.get(new) if new else None
            if kind == StepKind.CREATE:
                if new_id is not None:
                    created.add(new_id)
                continue
            old_id = old_ids.get(old)
            if old_id is None:
                continue
            grouped.setdefault(old_id, [])
            if new_id is not None and new_id not in grouped[old_id]:
                grouped[old_id].append(new_id)
        successors.update(grouped)
        ids = set(grouped) | {n for new in grouped.values() for n in new} | created
        ordered = sorted(ids)
        for start in range(0, len(ordered), _CHUNK):
            units.update(model.objects.in_bulk(ordered[start : start + _CHUNK]))
    return result
