"""Reserve units and reservists on the small world (province 99, accounts.tests.factories):
reservists straight through the ORM with a category, rank and specialty; units through the
actions (audited, as staff would)."""

from __future__ import annotations

from datetime import date
from itertools import count

from muster.accounts.tests.factories import World
from muster.geo.models import AdminUnit
from muster.people.models import Person
from muster.people.tests.factories import make_person
from muster.reserve import rules, unit_actions
from muster.reserve.models import ReserveMembership
from muster.reserve.models_units import ReservePost, ReserveUnit
from muster.reserve.unit_queries import Province, access_province

DAY = date(2026, 3, 1)
_serial = count(1)


def reservist(
    commune: AdminUnit,
    *,
    specialty: str = "INFANTRY",
    category: int = 1,
    sex: str = "M",
    born: date = date(1998, 4, 2),
    rank: str = "BINH_NHAT",
    name: str = "Trần Văn Dự",
) -> Person:
    person = make_person(commune, name, sex=sex, birth_date=born)
    ReserveMembership.objects.create(
        person=person,
        kind=rules.SOLDIER,
        category=category,
        basis_code="RES_CAT1_A" if category == 1 else "RES_CAT2_A",
        rank=rank,
        specialty=specialty,
        valid_from=date(2024, 1, 1),
        source=f"test:{next(_serial)}",
    )
    return person


def province(world: World, day: date = DAY) -> Province:
    return access_province(None, world.province.code, day=day)


def unit(
    world: World,
    code: str,
    posts: list[tuple[str, str, int]],
    *,
    force: str = "main",
    role: str = "combat",
    area: int | None = 0,
    spare_percent: int = 10,
) -> ReserveUnit:
    made = unit_actions.reserve_unit_save(
        command=world.provincial,
        code=code,
        name=f"Đơn vị {code}",
        force=force,
        role=role,
        spare_percent=spare_percent,
        area=world.areas[area] if area is not None else None,
        valid_from=date(2025, 8, 1),
        acting_user=None,
    )
    for position, specialty, seats in posts:
        unit_actions.reserve_post_save(
            unit=made,
            position=position,
            specialty=specialty,
            min_rank="",
            count=seats,
            acting_user=None,
        )
    return made


def post(unit_code: str, position: str) -> ReservePost:
    return ReservePost.objects.get(unit__code=unit_code, position=position)
