"""A small world on both sides of 2025-07-01.

legacy province 90 ── district 901 (command BCHQS-H-901, user "huyen")
    90001 Xã An   ──continued──▶ 91001 Xã An
    90002 Xã Bình ─┐
    90003 Xã Chi  ─┴─merged────▶ 91002 Xã Bình Chi
    90004 Xã Đông ──split──────▶ 91002 (default) and 91003 Xã Tân Lập
2025 province 91 ── PTKV-91-1 ── commune commands of 91001 and 91002 (none for 91003)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from muster.accounts.models import Role, User
from muster.core.text import fold
from muster.geo.models import AdminUnit, Edition, Level, Succession
from muster.orgs.models import Appointment, OrgKind, OrgUnit, Position, PositionKind, Territory
from muster.people.models import Person, ResidencePeriod

LEGACY_END = date(2025, 6, 30)
REFORM = date(2025, 7, 1)


@dataclass
class Small:
    legacy: dict[str, AdminUnit]
    new: dict[str, AdminUnit]
    district_command: OrgUnit
    area: OrgUnit
    user: User
    persons: dict[str, Person]


def _unit(edition: str, level: str, code: str, name: str, parent: AdminUnit | None) -> AdminUnit:
    legacy = edition == Edition.LEGACY
    return AdminUnit.objects.create(
        edition=edition,
        level=level,
        code=code,
        name=name,
        short_name=name.split(" ", 1)[1],
        unit_type=name.split(" ", 1)[0],
        parent=parent,
        valid_from=None if legacy else REFORM,
        valid_to=LEGACY_END if legacy else None,
        search_key=fold(name),
    )


def _org(
    code: str, kind: str, parent: OrgUnit | None, *units: AdminUnit, legacy: bool = False
) -> OrgUnit:
    start, end = (None, LEGACY_END) if legacy else (REFORM, None)
    org = OrgUnit.objects.create(
        code=code, name=f"Ban {code}", kind=kind, parent=parent, valid_from=start, valid_to=end
    )
    for unit in units:
        Territory.objects.create(org_unit=org, admin_unit=unit, valid_from=start, valid_to=end)
    return org


def _commander(org: OrgUnit, name: str, *, legacy: bool = False) -> None:
    position = Position.objects.create(
        org_unit=org, kind=PositionKind.COMMANDER, title="Chỉ huy trưởng"
    )
    Appointment.objects.create(
        position=position,
        holder_name=name,
        valid_from=date(2020, 1, 1),
        valid_to=LEGACY_END if legacy else None,
    )


def build_small(*, with_history: bool = True) -> Small:
    province = _unit(Edition.LEGACY, Level.PROVINCE, "90", "Tỉnh Cũ", None)
    district = _unit(Edition.LEGACY, Level.DISTRICT, "901", "Huyện Cũ", province)
    legacy = {"90": province, "901": district}
    for code, name in (
        ("90001", "Xã An"),
        ("90002", "Xã Bình"),
        ("90003", "Xã Chi"),
        ("90004", "Xã Đông"),
    ):
        legacy[code] = _unit(Edition.LEGACY, Level.COMMUNE, code, name, district)
    new_province = _unit(Edition.V2025, Level.PROVINCE, "91", "Tỉnh Mới", None)
    new = {"91": new_province}
    for code, name in (("91001", "Xã An"), ("91002", "Xã Bình Chi"), ("91003", "Xã Tân Lập")):
        new[code] = _unit(Edition.V2025, Level.COMMUNE, code, name, new_province)
    for old, succ, kind, default in (
        ("90001", "91001", "continued", True),
        ("90002", "91002", "merged", True),
        ("90003", "91002", "merged", True),
        ("90004", "91002", "split", True),
        ("90004", "91003", "split", False),
    ):
        Succession.objects.create(
            predecessor=legacy[old],
            successor=new[succ],
            effective_on=REFORM,
            kind=kind,
            is_default=default,
        )
    legacy_province_command = _org(
        "BCHQS-L-90", OrgKind.PROVINCIAL_COMMAND, None, province, legacy=True
    )
    district_command = _org(
        "BCHQS-H-901", OrgKind.DISTRICT_COMMAND, legacy_province_command, district, legacy=True
    )
    _commander(district_command, "Trần Văn Huyện", legacy=True)
    provincial = _org("BCHQS-91", OrgKind.PROVINCIAL_COMMAND, None, new_province)
    area = _org(
        "PTKV-91-1",
        OrgKind.AREA_DEFENCE_COMMAND,
        provincial,
        new["91001"],
        new["91002"],
        new["91003"],
    )
    c1 = _org("BCHQS-X-91001", OrgKind.COMMUNE_COMMAND, area, new["91001"])
    _org("BCHQS-X-91002", OrgKind.COMMUNE_COMMAND, area, new["91002"])
    _commander(c1, "Lê Văn Xã")
    user = User.objects.create_user(
        username="huyen",
        password="pw-test-12345",
        role=Role.AREA_STAFF,
        jurisdiction=district_command,
    )
    persons: dict[str, Person] = {}
    for n, (key, ward, village) in enumerate(
        (
            ("an1", "90001", "Thôn 1"),
            ("an2", "90001", "Thôn 2"),
            ("binh", "90002", "Thôn 3"),
            ("chi", "90003", "Thôn 4"),
            ("dong_tl", "90004", "Thôn Tân Lập"),
            ("dong_5", "90004", "Thôn 5"),
        ),
        start=1,
    ):
        unit = legacy[ward]
        name = f"Nguyễn Văn {key}"
        address = f"{village}, {unit.name}, Huyện Cũ, Tỉnh Cũ"
        person = Person.objects.create(
            personal_id=f"0900900{n:05d}",
            full_name=name,
            search_key=fold(name),
            given_key=fold(name),
            sex="M",
            birth_date=date(2000, 1, n),
            residence_commune=unit,
            address=address,
        )
        if with_history and key != "an2":  # an2 has no history: apply backfills it
            ResidencePeriod.objects.create(
                person=person, commune=unit, address=address, valid_from=date(2000, 1, n)
            )
        persons[key] = person
    return Small(legacy, new, district_command, area, user, persons)
