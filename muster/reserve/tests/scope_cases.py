"""Scope cases of every reserve route, gathered from one module per group of pages."""

from __future__ import annotations

from muster.accounts.tests.factories import World
from muster.reserve.tests import (
    scope_cases_activities,
    scope_cases_means,
    scope_cases_register,
    scope_cases_units,
)
from tests.scope_support import Case, Write

_PARTS = (scope_cases_register, scope_cases_activities, scope_cases_units, scope_cases_means)


def prepare(world: World) -> None:
    for part in _PARTS:
        part.prepare(world)


CASES: dict[str, Case] = {name: case for part in _PARTS for name, case in part.CASES.items()}
WRITES: dict[str, Write] = {
    name: write for part in _PARTS for name, write in getattr(part, "WRITES", {}).items()
}
