"""Scope cases of every call-up route, gathered from one module per group of pages."""

from __future__ import annotations

from muster.accounts.tests.factories import World
from muster.conscription.tests import (
    scope_cases_candidates,
    scope_cases_cycle,
    scope_cases_person,
    scope_cases_reports,
)
from tests.scope_support import Case, Write

_PARTS = (scope_cases_candidates, scope_cases_cycle, scope_cases_person, scope_cases_reports)


def prepare(world: World) -> None:
    for part in _PARTS:
        part.prepare(world)


CASES: dict[str, Case] = {name: case for part in _PARTS for name, case in part.CASES.items()}
WRITES: dict[str, Write] = {
    name: write for part in _PARTS for name, write in getattr(part, "WRITES", {}).items()
}
