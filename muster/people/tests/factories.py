"""Test fixtures built with the ORM: a 2025 province, three communes, commune commands, users."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import count

import polars as pl

from muster.accounts.actions import user_create
from muster.accounts.models import Role, User
from muster.geo.models import AdminUnit, Edition, Level
from muster.orgs.models import OrgKind, OrgUnit, Territory
from muster.people import rules
from muster.people.models import Person, ResidencePeriod

_serial = count(1)


@dataclass
class World:
    province: AdminUnit
    communes: list[AdminUnit]  # codes "00001", "00002", "00003"
    commands: list[OrgUnit]
    staff: list[User]  # staff[i] covers communes[i]
    admin: User


def _unit(code: str, name: str, level: str, parent: AdminUnit | None) -> AdminUnit:
    return AdminUnit.objects.create(
        edition=Edition.V2025,
        level=level,
        code=code,
        name=name,
        short_name=name.split(" ", 1)[-1],
        unit_type=name.split(" ", 1)[0],
        parent=parent,
        search_key=name.lower(),
        valid_from=date(2025, 7, 1),
    )


def make_world() -> World:
    province = _unit("01", "Thành phố Hà Nội", Level.PROVINCE, None)
    communes = [
        _unit("00001", "Phường Ba Đình", Level.COMMUNE, province),
        _unit("00002", "Phường Ngọc Hà", Level.COMMUNE, province),
        _unit("00003", "Xã Sóc Sơn", Level.COMMUNE, province),
    ]
    commands, staff = [], []
    for i, commune in enumerate(communes):
        command = OrgUnit.objects.create(
            code=f"ccmd-{commune.code}",
            name=f"Ban CHQS {commune.name}",
            kind=OrgKind.COMMUNE_COMMAND,
            valid_from=date(2025, 7, 1),
        )
        Territory.objects.create(org_unit=command, admin_unit=commune, valid_from=date(2025, 7, 1))
        commands.append(command)
        staff.append(
            user_create(
                username=f"staff{i}",
                password="pw-staff-123",
                role=Role.COMMUNE_STAFF,
                jurisdiction=command,
                acting_user=None,
            )
        )
    admin = user_create(
        username="admin",
        password="pw-admin-123",
        role=Role.ADMINISTRATOR,
        jurisdiction=None,
        acting_user=None,
    )
    return World(province, communes, commands, staff, admin)


def make_person(
    commune: AdminUnit,
    full_name: str = "Nguyễn Văn An",
    *,
    sex: str = "M",
    birth_date: date = date(2000, 5, 17),
    personal_id: str | None = None,
) -> Person:
    """A person straight through the ORM (tests of reads need no audit trail)."""
    pid = personal_id or rules.make_personal_id("001", sex, birth_date.year, next(_serial))
    name = rules.normalise_name(full_name)
    person = Person.objects.create(
        personal_id=pid,
        full_name=name,
        search_key=rules.search_key(name),
        given_key=rules.given_key(name),
        sex=sex,
        birth_date=birth_date,
        residence_commune=commune,
        id_warnings=rules.join_warnings(rules.personal_id_warnings(pid, sex, birth_date)),
    )
    ResidencePeriod.objects.create(person=person, commune=commune)
    return person


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh"]
GIVEN = ["An", "Anh", "Bình", "Cường", "Dũng", "Hà", "Hương", "Lan", "Đức", "Nam"]


def register_frame(n: int, commune_codes: list[str], *, seed: int = 1) -> pl.DataFrame:
    """A synthetic population-register extract of `n` rows (deterministic)."""
    idx = pl.int_range(0, n, eager=True)
    frame = pl.DataFrame({"i": idx})
    h = ((pl.col("i") * 2654435761 + seed) % 4294967291).alias("h")
    frame = frame.with_columns(h)
    sex = pl.when(pl.col("h") % 2 == 0).then(pl.lit("M")).otherwise(pl.lit("F"))
    year = 1950 + pl.col("h") % 60
    family = pl.col("h").mod(len(FAMILY)).replace_strict(dict(enumerate(FAMILY)))
    middle = (pl.col("h") // 7).mod(len(MIDDLE)).replace_strict(dict(enumerate(MIDDLE)))
    given = (pl.col("h") // 53).mod(len(GIVEN)).replace_strict(dict(enumerate(GIVEN)))
    codes = dict(enumerate(commune_codes))
    return frame.select(
        personal_id=rules.make_personal_id_expr(pl.lit("001"), sex, year, pl.col("i")),
        full_name=pl.concat_str(family, middle, given, separator=" "),
        sex=sex,
        birth_date=pl.date(year, 1 + pl.col("h") % 12, 1 + pl.col("h") % 28),
        ethnicity=pl.lit("Kinh"),
        residence_commune_code=(pl.col("i") % len(codes)).replace_strict(codes),
        address=pl.concat_str(pl.lit("Số "), (pl.col("h") % 300).cast(pl.String)),
        household_id=pl.concat_str(pl.lit("HH"), (pl.col("i") // 4).cast(pl.String)),
        life_status=pl.lit("alive"),
        died_on=pl.lit(None, dtype=pl.Date),
    )
