"""A small jurisdiction world: one 2025 province, two area commands, three communes.

province 99 (Tỉnh Thử) ── BCHQS-99
    PTKV-99-1 ── communes 99001, 99002 (commune commands BCHQS-X-99001, -99002)
    PTKV-99-2 ── commune 99003
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from muster.accounts.actions import user_create
from muster.accounts.models import Role, User
from muster.geo.models import AdminUnit, Edition, Level
from muster.orgs.models import OrgKind, OrgUnit, Territory

REFORM = date(2025, 7, 1)


@dataclass
class World:
    province: AdminUnit
    communes: list[AdminUnit]
    provincial: OrgUnit
    areas: list[OrgUnit]
    commune_commands: list[OrgUnit]

    def user(self, username: str, role: Role, jurisdiction: OrgUnit | None) -> User:
        return user_create(
            username=username,
            password="pw-test-12345",
            role=role,
            jurisdiction=jurisdiction,
            acting_user=None,
        )


def _unit(code: str, level: str, name: str, parent: AdminUnit | None) -> AdminUnit:
    return AdminUnit.objects.create(
        edition=Edition.V2025,
        level=level,
        code=code,
        name=name,
        short_name=name.split(" ", 1)[1],
        unit_type=name.split(" ", 1)[0],
        parent=parent,
        valid_from=REFORM,
        search_key=code,
    )


def _org(code: str, kind: str, parent: OrgUnit | None, *territory: AdminUnit) -> OrgUnit:
    org = OrgUnit.objects.create(code=code, name=code, kind=kind, parent=parent, valid_from=REFORM)
    for unit in territory:
        Territory.objects.create(org_unit=org, admin_unit=unit, valid_from=REFORM)
    return org


def build_world() -> World:
    province = _unit("99", Level.PROVINCE, "Tỉnh Thử", None)
    communes = [_unit(f"9900{i}", Level.COMMUNE, f"Xã Một{i}", province) for i in (1, 2, 3)]
    region = _org("QK-T", OrgKind.MILITARY_REGION, None, province)
    provincial = _org("BCHQS-99", OrgKind.PROVINCIAL_COMMAND, region, province)
    area_1 = _org("PTKV-99-1", OrgKind.AREA_DEFENCE_COMMAND, provincial, *communes[:2])
    area_2 = _org("PTKV-99-2", OrgKind.AREA_DEFENCE_COMMAND, provincial, communes[2])
    commands = [
        _org(f"BCHQS-X-{c.code}", OrgKind.COMMUNE_COMMAND, area_1 if i < 2 else area_2, c)
        for i, c in enumerate(communes)
    ]
    return World(province, communes, provincial, [area_1, area_2], commands)
