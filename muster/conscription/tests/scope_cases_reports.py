"""Scope cases for the statutory lists and reports (merged by scope_cases.py).

A commune user may download their commune's lists; another commune's, or the whole province's
(it covers communes outside the jurisdiction), is 404.
"""

from __future__ import annotations

from datetime import date

from muster.accounts.tests.factories import World
from muster.conscription.models import CallupCycle
from tests.scope_support import Case

YEAR = 2030


def prepare(world: World) -> None:
    CallupCycle.objects.get_or_create(
        year=YEAR,
        province=world.province,
        defaults={"callup_date": date(YEAR, 2, 20), "target": 4, "rules_version": "2025-07"},
    )


def _path(world: World, commune: int, doc: str = "") -> str:
    query = f"?year={YEAR}&commune={world.communes[commune].code}"
    return query + (f"&doc={doc}&format=xlsx" if doc else "")


CASES: dict[str, Case] = {
    "conscription:reports": Case(
        lambda w: "/callup/reports/" + _path(w, 0),
        lambda w: "/callup/reports/" + _path(w, 2),
    ),
    "conscription:report_download": Case(
        lambda w: "/callup/reports/download/" + _path(w, 0, "eligible"),
        lambda w: (
            f"/callup/reports/download/?year={YEAR}&province={w.province.code}&doc=annual&format=pdf"
        ),
    ),
}
