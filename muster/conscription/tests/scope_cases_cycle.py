"""Scope cases for the cycle routes (merged by scope_cases.py)."""

from __future__ import annotations

from muster.accounts.tests.factories import World
from tests.scope_support import Case


def prepare(world: World) -> None:
    pass


CASES: dict[str, Case] = {}
