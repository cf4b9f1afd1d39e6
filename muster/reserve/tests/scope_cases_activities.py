"""Route scope cases of the reserve activity pages: each commune of the two scope-test persons
has called a unit activity; the user (commune 99001's command) must not see or record the
other's."""

from __future__ import annotations

from datetime import date

from muster.accounts.tests.factories import World
from muster.reserve.models import ReserveActivity
from tests.scope_support import OUT_ID, Case, Write

DAY = date(2025, 10, 4)


def prepare(world: World) -> None:
    for commune in (world.communes[0], world.communes[2]):
        ReserveActivity.objects.create(
            commune=commune, kind="unit_activity", title="Sinh hoạt đơn vị", starts_on=DAY,
            ends_on=DAY,
        )  # fmt: skip


def _activity(w: World, index: int) -> str:
    found = ReserveActivity.objects.get(commune=w.communes[index])
    return f"/reserve/register/activity/{found.pk}/"


NEW = {
    "kind": "unit_activity",
    "title": "Sinh hoạt",
    "starts_on": "2026-01-05",
    "ends_on": "2026-01-05",
}


CASES: dict[str, Case] = {
    "reserve_register:activities": Case(
        lambda w: f"/reserve/register/activities/{w.communes[0].code}/",
        lambda w: f"/reserve/register/activities/{w.communes[2].code}/",
    ),
    "reserve_register:activity": Case(lambda w: _activity(w, 0), lambda w: _activity(w, 2)),
}

WRITES: dict[str, Write] = {
    "reserve_register:activities": Write(
        lambda w: f"/reserve/register/activities/{w.communes[2].code}/",
        lambda w: NEW,
    ),
    "reserve_register:activity": Write(
        lambda w: _activity(w, 2),
        lambda w: {"personal_id": OUT_ID, "status": "attended", "excuse_code": ""},
    ),
}
