"""A small world for tests: one 2025 province, three communes, their commands and people.

Built with the ORM per test (no shared seeded database). Web tests reuse it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from muster.accounts.actions import user_create
from muster.accounts.models import Role, User
from muster.core.text import fold
from muster.geo.models import AdminUnit, Edition, Level, Succession, SuccessionKind, UnitShape
from muster.orgs.models import Appointment, OrgKind, OrgUnit, Position, PositionKind, Territory
from muster.people.models import FactKind, LifeStatus, Person, PersonFact, Sex

TODAY = date(2026, 3, 15)
PASSWORD = "test-pass-123"


def square(lon: float, lat: float, half: float = 0.02) -> str:
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def unit(
    *,
    edition: str,
    level: str,
    code: str,
    name: str,
    unit_type: str,
    parent: AdminUnit | None = None,
    lat: float | None = None,
    lon: float | None = None,
    area_km2: float | None = None,
    valid_to: date | None = None,
) -> AdminUnit:
    short = name.removeprefix(unit_type).strip()
    created = AdminUnit.objects.create(
        edition=edition,
        level=level,
        code=code,
        name=name,
        short_name=short,
        unit_type=unit_type,
        parent=parent,
        lat=lat,
        lon=lon,
        area_km2=area_km2,
        search_key=fold(short),
        valid_from=date(2025, 7, 1) if edition == Edition.V2025 else None,
        valid_to=valid_to,
    )
    if lat is not None and lon is not None:
        UnitShape.objects.create(
            unit=created, geojson=square(lon, lat), is_approximate=True, method="test-square"
        )
    return created


def person(
    *,
    personal_id: str,
    full_name: str,
    sex: str,
    birth_date: date,
    commune: AdminUnit,
    life_status: str = LifeStatus.ALIVE,
    died_on: date | None = None,
    id_warnings: str = "",
) -> Person:
    folded = fold(full_name)
    parts = folded.split(" ")
    return Person.objects.create(
        personal_id=personal_id,
        full_name=full_name,
        search_key=folded,
        given_key=" ".join([parts[-1], *parts[:-1]]),
        sex=sex,
        birth_date=birth_date,
        residence_commune=commune,
        address="Thôn 1",
        life_status=life_status,
        died_on=died_on,
        id_warnings=id_warnings,
        source="manual",
    )


@dataclass
class World:
    province: AdminUnit
    c1: AdminUnit
    c2: AdminUnit
    c3: AdminUnit
    legacy_a: AdminUnit
    legacy_b: AdminUnit
    region: OrgUnit
    provincial: OrgUnit
    area1: OrgUnit
    area2: OrgUnit
    cc1: OrgUnit
    cc2: OrgUnit
    cc3: OrgUnit
    an: Person
    binh: Person
    cuong: Person
    commune_user: User
    area_user: User
    province_user: User
    admin: User


def build_world() -> World:
    province = unit(
        edition=Edition.V2025,
        level=Level.PROVINCE,
        code="91",
        name="Tỉnh Thử Nghiệm",
        unit_type="Tỉnh",
    )
    c1 = unit(
        edition=Edition.V2025,
        level=Level.COMMUNE,
        code="91001",
        name="Phường Hồng Hà",
        unit_type="Phường",
        parent=province,
        lat=21.03,
        lon=105.85,
        area_km2=10.0,
    )
    c2 = unit(
        edition=Edition.V2025,
        level=Level.COMMUNE,
        code="91002",
        name="Xã Đông Anh",
        unit_type="Xã",
        parent=province,
        lat=21.13,
        lon=105.85,
        area_km2=50.0,
    )
    c3 = unit(
        edition=Edition.V2025,
        level=Level.COMMUNE,
        code="91003",
        name="Xã Sóc Sơn",
        unit_type="Xã",
        parent=province,
        lat=21.25,
        lon=105.85,
        area_km2=0.0,
    )
    legacy_province = unit(
        edition=Edition.LEGACY,
        level=Level.PROVINCE,
        code="91",
        name="Tỉnh Cũ",
        unit_type="Tỉnh",
        valid_to=date(2025, 6, 30),
    )
    legacy_a = unit(
        edition=Edition.LEGACY,
        level=Level.COMMUNE,
        code="91101",
        name="Phường Chương Dương",
        unit_type="Phường",
        parent=legacy_province,
        valid_to=date(2025, 6, 30),
    )
    legacy_b = unit(
        edition=Edition.LEGACY,
        level=Level.COMMUNE,
        code="91102",
        name="Phường Phúc Tân",
        unit_type="Phường",
        parent=legacy_province,
        valid_to=date(2025, 6, 30),
    )
    change = date(2025, 7, 1)
    Succession.objects.create(
        predecessor=legacy_a, successor=c1, effective_on=change, kind=SuccessionKind.MERGED
    )
    Succession.objects.create(
        predecessor=legacy_b, successor=c1, effective_on=change, kind=SuccessionKind.SPLIT
    )
    Succession.objects.create(
        predecessor=legacy_b,
        successor=c2,
        effective_on=change,
        kind=SuccessionKind.SPLIT,
        is_default=False,
    )

    def org(code: str, name: str, kind: str, parent: OrgUnit | None, *areas: AdminUnit) -> OrgUnit:
        created = OrgUnit.objects.create(code=code, name=name, kind=kind, parent=parent)
        for admin_unit in areas:
            Territory.objects.create(org_unit=created, admin_unit=admin_unit)
        return created

    region = org("QK-T", "Quân khu Thử", OrgKind.MILITARY_REGION, None)
    provincial = org(
        "BCHQS-91",
        "Bộ Chỉ huy Quân sự tỉnh Thử Nghiệm",
        OrgKind.PROVINCIAL_COMMAND,
        region,
        province,
    )
    area1 = org(
        "PTKV-91-1",
        "Ban Chỉ huy Phòng thủ khu vực 1",
        OrgKind.AREA_DEFENCE_COMMAND,
        provincial,
        c1,
        c2,
    )
    area2 = org(
        "PTKV-91-2",
        "Ban Chỉ huy Phòng thủ khu vực 2",
        OrgKind.AREA_DEFENCE_COMMAND,
        provincial,
        c3,
    )
    cc1 = org("XA-91001", "Ban Chỉ huy Quân sự phường Hồng Hà", OrgKind.COMMUNE_COMMAND, area1, c1)
    cc2 = org("XA-91002", "Ban Chỉ huy Quân sự xã Đông Anh", OrgKind.COMMUNE_COMMAND, area1, c2)
    cc3 = org("XA-91003", "Ban Chỉ huy Quân sự xã Sóc Sơn", OrgKind.COMMUNE_COMMAND, area2, c3)
    commander = Position.objects.create(
        org_unit=cc1, kind=PositionKind.COMMANDER, title="Chỉ huy trưởng", ordinal=1
    )
    Appointment.objects.create(
        position=commander, holder_name="Phạm Văn Chỉ", rank="Thiếu tá", valid_from=change
    )

    an = person(
        personal_id="091206000001",
        full_name="Nguyễn Văn An",
        sex=Sex.MALE,
        birth_date=date(2006, 1, 10),
        commune=c1,
    )
    person(
        personal_id="091196000002",
        full_name="Trần Thị Hoa",
        sex=Sex.FEMALE,
        birth_date=date(1996, 5, 1),
        commune=c1,
    )
    person(
        personal_id="091086000003",
        full_name="Nguyễn Văn Già",
        sex=Sex.MALE,
        birth_date=date(1986, 5, 1),
        commune=c1,
    )
    person(
        personal_id="091204000004",
        full_name="Đỗ Văn Mất",
        sex=Sex.MALE,
        birth_date=date(2004, 5, 1),
        commune=c1,
        life_status=LifeStatus.DEAD,
        died_on=date(2025, 1, 1),
    )
    binh = person(
        personal_id="091207000005",
        full_name="Trần Văn Bình",
        sex=Sex.MALE,
        birth_date=date(2007, 2, 1),
        commune=c2,
    )
    cuong = person(
        personal_id="091201000006",
        full_name="Lê Văn Cường",
        sex=Sex.MALE,
        birth_date=date(2001, 6, 1),
        commune=c3,
        id_warnings="ID_SEX_MISMATCH",
    )
    PersonFact.objects.create(
        person=an,
        kind=FactKind.EDUCATION_LEVEL,
        value="12/12",
        recorded_on=date(2025, 9, 1),
        source="Khai báo tại xã",
    )
    PersonFact.objects.create(
        person=an,
        kind=FactKind.OCCUPATION,
        value="Sinh viên",
        recorded_on=date(2025, 9, 1),
        source="Khai báo tại xã",
    )

    def user(username: str, role: Role, jurisdiction: OrgUnit | None) -> User:
        return user_create(
            username=username,
            password=PASSWORD,
            role=role,
            jurisdiction=jurisdiction,
            acting_user=None,
            full_name=username.title(),
        )

    return World(
        province=province,
        c1=c1,
        c2=c2,
        c3=c3,
        legacy_a=legacy_a,
        legacy_b=legacy_b,
        region=region,
        provincial=provincial,
        area1=area1,
        area2=area2,
        cc1=cc1,
        cc2=cc2,
        cc3=cc3,
        an=an,
        binh=binh,
        cuong=cuong,
        commune_user=user("xa1", Role.COMMUNE_STAFF, cc1),
        area_user=user("khuvuc1", Role.AREA_STAFF, area1),
        province_user=user("tinh", Role.PROVINCE_STAFF, provincial),
        admin=user("quantri", Role.ADMINISTRATOR, None),
    )
