"""Route scope cases of the reserve register: both scope-test persons are reservists of their
commune; the user (commune 99001's command) must not see or change the other."""

from __future__ import annotations

from datetime import date

from muster.accounts.tests.factories import World
from muster.people.models import Person
from muster.reserve.models import ReserveMembership
from tests.scope_support import IN_ID, OUT_ID, Case, Write

ENTERED = date(2025, 9, 1)


def prepare(world: World) -> None:
    for pid in (IN_ID, OUT_ID):
        ReserveMembership.objects.create(
            person=Person.objects.get(personal_id=pid),
            category=2,
            basis_code="RES_CAT2_A",
            rank="BINH_NHI",
            specialty="DRIVER",
            valid_from=ENTERED,
            source="scope-test",
        )


def _change(pid: str) -> str:
    return f"/reserve/register/person/{pid}/change/"


CASES: dict[str, Case] = {
    "reserve_register:index": Case(lambda w: "/reserve/register/"),
    "reserve_register:enter": Case(lambda w: "/reserve/register/enter/"),
    "reserve_register:area": Case(
        lambda w: f"/reserve/register/{w.communes[0].code}/",
        lambda w: f"/reserve/register/{w.communes[2].code}/",
    ),
    "reserve_register:reservist": Case(
        lambda w: f"/reserve/register/person/{IN_ID}/",
        lambda w: f"/reserve/register/person/{OUT_ID}/",
    ),
    "reserve_register:change": Case(
        lambda w: _change(IN_ID),
        lambda w: _change(OUT_ID),
        method="post",
        data=lambda w: {"what": "update", "rank": "HA_SI", "specialty": "DRIVER"},
        in_status=302,
    ),
    "api-v1:reservist_list": Case(
        lambda w: f"/api/v1/reserve/reservists?commune={w.communes[0].code}",
        lambda w: f"/api/v1/reserve/reservists?commune={w.communes[2].code}",
        api=True,
    ),
    "api-v1:reservist_detail": Case(
        lambda w: f"/api/v1/reserve/reservists/{IN_ID}",
        lambda w: f"/api/v1/reserve/reservists/{OUT_ID}",
        api=True,
    ),
}

WRITES: dict[str, Write] = {
    "reserve_register:change": Write(
        lambda w: _change(OUT_ID),
        lambda w: {"what": "update", "rank": "HA_SI", "specialty": "DRIVER"},
    ),
    "reserve_register:enter": Write(
        lambda w: "/reserve/register/enter/",
        lambda w: {
            "personal_id": OUT_ID,
            "basis": "RES_CAT2_D",
            "entered_on": "2026-01-05",
            "rank": "",
            "specialty": "",
        },
    ),
}
