"""Small synthetic worlds for the linkage engine's tests: a generated population in three 2025
communes and the legacy wards they took over."""

from __future__ import annotations

from datetime import date

import polars as pl

from muster.demo.population import CommuneSpec, generate_population
from muster.linkage.addresses import LegacyGeo, LegacyWard

COMMUNES = [
    CommuneSpec("00001", "Phường Ba Đình", "Phường", 9.0, "Thành phố Hà Nội", "01"),
    CommuneSpec("00002", "Phường Ngọc Hà", "Phường", 8.0, "Thành phố Hà Nội", "01"),
    CommuneSpec("00003", "Xã Sóc Sơn", "Xã", 60.0, "Thành phố Hà Nội", "01"),
]
PROVINCE = "Thành phố Hà Nội"
WARDS = {
    "00001": [
        LegacyWard("Phường Trúc Bạch", "Quận Ba Đình", PROVINCE),
        LegacyWard("Phường Quán Thánh", "Quận Ba Đình", PROVINCE),
    ],
    "00002": [
        LegacyWard("Phường Ngọc Hà", "Quận Ba Đình", PROVINCE),
        LegacyWard("Phường Đội Cấn", "Quận Ba Đình", PROVINCE),
    ],
    "00003": [
        LegacyWard("Thị trấn Sóc Sơn", "Huyện Sóc Sơn", PROVINCE),
        LegacyWard("Xã Phù Linh", "Huyện Sóc Sơn", PROVINCE),
    ],
}


def small_geo() -> LegacyGeo:
    geo = LegacyGeo()
    for code, wards in WARDS.items():
        for ward in wards:
            geo.add(ward, code, default=True)
    # Đội Cấn was split: part of it went to Ba Đình too (not the default successor).
    geo.add(WARDS["00002"][1], "00001", default=False)
    return geo


def population(people: int = 3000, seed: int = 5) -> pl.DataFrame:
    return generate_population(
        COMMUNES, people=people, seed=seed, province_code="01", reference_date=date(2025, 11, 1)
    ).select(
        "personal_id",
        "full_name",
        "sex",
        "birth_date",
        pl.col("residence_commune_code").alias("commune"),
        "household_id",
        "address",
    )


def legacy_row(**values: str) -> dict[str, str]:
    row = {
        "legacy_id": "X1",
        "full_name": "",
        "birth_date": "",
        "birth_year": "",
        "sex": "M",
        "address": "",
        "personal_id": "",
        "father_name": "",
        "mother_name": "",
    }
    row.update(values)
    return row
