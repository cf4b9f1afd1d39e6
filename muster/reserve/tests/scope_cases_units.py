"""Route scope cases of the reserve unit pages and API (merged by scope_cases.py).

`prepare` gives province 99 a reserve unit (DBDV-99) whose posts both scope-test persons hold
(IN_ID of commune 99001, OUT_ID of 99003) and a draft proposal; province 98 (another province,
with its own command) a unit DBDV-98. The user (commune 99001's command) reaches into province
99: its units and figures show, persons only of commune 99001; province 98 does not exist for
them. Changing units or assignments needs the whole province: posted in province 99 it is
refused (403), in province 98 it is absent (404).
"""

from __future__ import annotations

from datetime import date

from muster.accounts.tests.factories import REFORM, World
from muster.geo.models import AdminUnit, Edition, Level
from muster.orgs.models import OrgKind, OrgUnit, Territory
from muster.people.models import Person
from muster.reserve import rules
from muster.reserve.models import ReserveMembership
from muster.reserve.models_units import (
    AssignmentProposal,
    ReserveAssignment,
    ReservePost,
    ReserveUnit,
)
from tests.scope_support import IN_ID, OUT_ID, Case, Write

SINCE = date(2025, 9, 1)


def _unit(code: str, command: OrgUnit) -> ReservePost:
    unit = ReserveUnit.objects.create(
        code=code,
        name=f"Tiểu đoàn dự bị {code}",
        command=command,
        force="main",
        role="support",
        spare_percent=10,
        valid_from=REFORM,
    )
    return ReservePost.objects.create(unit=unit, position="Lái xe", specialty="DRIVER", count=3)


def prepare(world: World) -> None:
    other, _created = AdminUnit.objects.get_or_create(
        edition=Edition.V2025,
        code="98",
        defaults={
            "level": Level.PROVINCE,
            "name": "Tỉnh Khác",
            "short_name": "Khác",
            "unit_type": "Tỉnh",
            "valid_from": REFORM,
            "search_key": "98",
        },
    )
    command, created = OrgUnit.objects.get_or_create(
        code="BCHQS-98",
        defaults={"name": "BCHQS-98", "kind": OrgKind.PROVINCIAL_COMMAND, "valid_from": REFORM},
    )
    if created:
        Territory.objects.create(org_unit=command, admin_unit=other, valid_from=REFORM)
    _unit("DBDV-98", command)
    post = _unit("DBDV-99", world.provincial)
    for n, pid in enumerate((IN_ID, OUT_ID)):
        person = Person.objects.get(personal_id=pid)
        if not ReserveMembership.objects.filter(person=person).exists():  # the register's part
            ReserveMembership.objects.create(
                person=person,
                kind=rules.SOLDIER,
                category=1,
                basis_code="RES_CAT1_A",
                rank="BINH_NHAT",
                specialty="DRIVER",
                valid_from=date(2024, 1, 1),
                source=f"scope:{n}",
            )
        ReserveAssignment.objects.create(person=person, post=post, match="exact", valid_from=SINCE)
    AssignmentProposal.objects.create(command=world.provincial, day=date(2026, 9, 1))
    AssignmentProposal.objects.create(command=command, day=date(2026, 9, 1))


def _post(code: str) -> str:
    return str(ReservePost.objects.get(unit__code=code).pk)


def _posted(path: str, data: object = None) -> Case:
    return Case(
        lambda w: path.format("99"),
        lambda w: path.format("98"),
        method="post",
        data=(lambda w: data) if isinstance(data, dict) else (lambda w: {}),
        in_status=403,
    )


CASES: dict[str, Case] = {
    "reserve_units:index": Case(lambda w: "/reserve/units/"),
    "reserve_units:province": Case(lambda w: "/reserve/units/99/", lambda w: "/reserve/units/98/"),
    "reserve_units:unit": Case(
        lambda w: "/reserve/units/unit/DBDV-99/", lambda w: "/reserve/units/unit/DBDV-98/"
    ),
    "reserve_units:whatif": Case(
        lambda w: "/reserve/units/99/assign/", lambda w: "/reserve/units/98/assign/"
    ),
    "reserve_units:unit_create": _posted(
        "/reserve/units/{}/new/",
        {
            "code": "DBDV-NEW",
            "name": "Mới",
            "force": "main",
            "role": "combat",
            "spare_percent": "10",
        },
    ),
    "reserve_units:propose": _posted("/reserve/units/{}/assign/propose/"),
    "reserve_units:approve": _posted("/reserve/units/{}/assign/approve/"),
    "reserve_units:discard": _posted("/reserve/units/{}/assign/discard/"),
    "reserve_units:pin": _posted("/reserve/units/{}/assign/pin/", {"personal_id": IN_ID}),
    "reserve_units:release": _posted("/reserve/units/{}/assign/release/", {"personal_id": IN_ID}),
    "reserve_units:post_save": Case(
        lambda w: "/reserve/units/unit/DBDV-99/posts/",
        lambda w: "/reserve/units/unit/DBDV-98/posts/",
        method="post",
        data=lambda w: {"position": "Y tá", "specialty": "MEDIC", "count": "1"},
        in_status=403,
    ),
    "api-v1:reserve_unit_list": Case(lambda w: "/api/v1/reserve/units", api=True),
    "api-v1:reserve_unit_detail": Case(
        lambda w: "/api/v1/reserve/units/DBDV-99",
        lambda w: "/api/v1/reserve/units/DBDV-98",
        api=True,
    ),
    "api-v1:reserve_assignment_list": Case(lambda w: "/api/v1/reserve/assignments", api=True),
}

WRITES: dict[str, Write] = {
    "reserve_units:unit_create": Write(
        lambda w: "/reserve/units/98/new/",
        lambda w: {"code": "DBDV-X", "name": "X", "force": "main", "role": "combat"},
    ),
    "reserve_units:post_save": Write(
        lambda w: "/reserve/units/unit/DBDV-98/posts/",
        lambda w: {"position": "Y tá", "specialty": "MEDIC", "count": "1"},
    ),
    "reserve_units:propose": Write(lambda w: "/reserve/units/98/assign/propose/"),
    "reserve_units:pin": Write(
        lambda w: "/reserve/units/98/assign/pin/",
        lambda w: {"personal_id": OUT_ID, "post": _post("DBDV-98")},
    ),
    "reserve_units:release": Write(
        lambda w: "/reserve/units/98/assign/release/", lambda w: {"personal_id": OUT_ID}
    ),
    "reserve_units:approve": Write(lambda w: "/reserve/units/98/assign/approve/"),
    "reserve_units:discard": Write(lambda w: "/reserve/units/98/assign/discard/"),
}
