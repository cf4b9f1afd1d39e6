"""A small synthetic country for orgs tests that need no real geography.

All 34 provinces and the 63 legacy ones of data/military_regions.csv exist (the builder
checks the table against them); only Hà Nội (01) has communes: by default 8 legacy districts × 5 wards, each ward
continued by one 2025 commune, laid out west to east → 40 communes, two area defence commands.
"""

from __future__ import annotations

from datetime import date

from muster.geo.models import AdminUnit, Edition, Level, Succession, SuccessionKind
from muster.orgs import bulk

REFORM = date(2025, 7, 1)
LEGACY_END = date(2025, 6, 30)


def admin_unit(
    edition: str,
    level: str,
    code: str,
    name: str,
    parent: AdminUnit | None = None,
    lat: float | None = None,
    lon: float | None = None,
) -> AdminUnit:
    unit_type, short_name = name.split(" ", 1)
    legacy = edition == Edition.LEGACY
    return AdminUnit.objects.create(
        edition=edition,
        level=level,
        code=code,
        name=name,
        short_name=short_name,
        unit_type=unit_type,
        parent=parent,
        lat=lat,
        lon=lon,
        valid_from=None if legacy else REFORM,
        valid_to=LEGACY_END if legacy else None,
        search_key=code,
    )


def small_country(communes_per_district: int = 5, districts: int = 8) -> list[AdminUnit]:
    """Create the 34 provinces and Hà Nội's communes; returns Hà Nội's 2025 communes."""
    made: dict[tuple[str, str], AdminUnit] = {}
    for row in bulk.read_region_rows():
        kind = "Thành phố" if row.province_code in {"01", "31", "48", "79", "92", "46"} else "Tỉnh"
        edition = Edition.V2025 if row.edition == "2025" else Edition.LEGACY
        made[(row.edition, row.province_code)] = admin_unit(
            edition,
            Level.PROVINCE,
            row.province_code,
            f"{kind} {row.province_name}",
            lat=21.0,
            lon=105.0,
        )
    hanoi, legacy_province = made[("2025", "01")], made[("legacy", "01")]
    communes: list[AdminUnit] = []
    for d in range(districts):
        district = admin_unit(
            Edition.LEGACY,
            Level.DISTRICT,
            f"{d + 1:03d}",
            f"Huyện Cũ{d + 1}",
            parent=legacy_province,
        )
        for c in range(communes_per_district):
            n = d * communes_per_district + c
            ward = admin_unit(
                Edition.LEGACY, Level.COMMUNE, f"9{n:04d}", f"Xã Làng{n}", parent=district
            )
            commune = admin_unit(
                Edition.V2025,
                Level.COMMUNE,
                f"{n:05d}",
                f"Xã Mới{n}",
                parent=hanoi,
                lat=21.0,
                lon=105.0 + d * 0.1 + c * 0.01,
            )
            Succession.objects.create(
                predecessor=ward,
                successor=commune,
                effective_on=REFORM,
                kind=SuccessionKind.CONTINUED,
            )
            communes.append(commune)
    return communes
