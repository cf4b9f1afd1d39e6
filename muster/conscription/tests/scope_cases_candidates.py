"""Scope cases for the candidates routes (merged by scope_cases.py).

`prepare` gives the province a 2027 cycle; both persons (commune 99001 and 99003) are men of
call-up age. Listing or exporting commune 99003 is 404 for a user of commune 99001.
"""

from __future__ import annotations

from datetime import date

from muster.accounts.tests.factories import World
from muster.conscription.models import CallupCycle
from tests.scope_support import Case


def prepare(world: World) -> None:
    CallupCycle.objects.get_or_create(
        year=2027,
        province=world.province,
        defaults={"callup_date": date(2027, 2, 25), "rules_version": "2025-07"},
    )


def _path(world: World, name: str, commune: int) -> str:
    return f"/callup/{name}?commune={world.communes[commune].code}&year=2027"


CASES: dict[str, Case] = {
    "conscription:candidates": Case(
        lambda w: _path(w, "candidates/", 0), lambda w: _path(w, "candidates/", 2)
    ),
}
