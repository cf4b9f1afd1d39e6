"""Factories for call-up cycle tests: registered men in the test world's communes, users of
each level, a cycle of 2027. The candidate list (`candidates.candidate_rows`) decides who is
eligible from these records."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from muster.accounts.models import Role, User
from muster.accounts.tests.factories import World, build_world
from muster.conscription.models import CallupCycle, Registration
from muster.core.text import fold
from muster.geo.models import AdminUnit
from muster.people.models import Person

CALLUP_DATE = date(2027, 2, 20)
TODAY = date(2027, 1, 10)  # the simulated clock of the tests: orders issued in January
REPORT_ON = date(2027, 2, 25)


def person_make(
    commune: AdminUnit,
    personal_id: str,
    name: str,
    *,
    born: date = date(2005, 3, 1),
    registered: bool = True,
) -> Person:
    folded = fold(name)
    person = Person.objects.create(
        personal_id=personal_id,
        full_name=name,
        search_key=folded,
        given_key=" ".join([*folded.split()[-1:], *folded.split()[:-1]]),
        sex="M",
        birth_date=born,
        residence_commune=commune,
        address="Thôn Một",
    )
    if registered:
        Registration.objects.create(
            person=person,
            registered_on=date(born.year + 17, 4, 10),
            commune=commune,
            education_level="grade_12",
        )
    return person


@dataclass
class CycleWorld:
    world: World
    province_user: User
    commune_user: User  # commune 99001
    commune_user_2: User  # commune 99001, a second person for approvals
    outside_user: User  # commune 99003
    auditor: User
    men: dict[str, list[Person]] = field(default_factory=dict)  # eligible men by commune code
    too_young: Person | None = None


def cycle_world(pools: tuple[int, int, int] = (6, 3, 1)) -> CycleWorld:
    """The test world with `pools` eligible men in communes 99001, 99002, 99003 and one man
    too young in 99001."""
    world = build_world()
    cw = CycleWorld(
        world=world,
        province_user=world.user("tinh", Role.PROVINCE_STAFF, world.provincial),
        commune_user=world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0]),
        commune_user_2=world.user("xa1b", Role.COMMUNE_STAFF, world.commune_commands[0]),
        outside_user=world.user("xa3", Role.COMMUNE_STAFF, world.commune_commands[2]),
        auditor=world.user("kiemtra", Role.AUDITOR, world.provincial),
    )
    serial = 1000
    for commune, count in zip(world.communes, pools, strict=True):
        cw.men[commune.code] = []
        for i in range(count):
            serial += 1
            cw.men[commune.code].append(
                person_make(commune, f"0990{serial:08d}", f"Trần Văn {chr(65 + i)} {commune.code}")
            )
    cw.too_young = person_make(
        world.communes[0], "099012345999", "Lê Văn Nhỏ", born=date(2012, 1, 1)
    )
    return cw


def cycle_make(cw: CycleWorld, target: int = 5) -> CallupCycle:
    from muster.conscription.actions.cycle import cycle_create

    return cycle_create(
        province=cw.world.province,
        year=CALLUP_DATE.year,
        callup_date=CALLUP_DATE,
        target=target,
        acting_user=cw.province_user,
    )
