"""Benchmark: synthetic population generation for the 2025 province Lào Cai."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from datetime import date
from importlib import resources

import polars as pl

from muster.demo.population import CommuneSpec, generate_population

PROVINCE_CODE = "15"  # Lào Cai (merged with Yên Bái)
REFERENCE_DATE = date(2025, 7, 1)


def lao_cai_communes() -> list[CommuneSpec]:
    """Lào Cai's 2025 communes as shipped in the vietnamadminunits dataset."""
    db = resources.files("vietnamadminunits") / "data" / "dataset.db"
    with resources.as_file(db) as path, sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT wardCode, ward, wardType, wardAreaKm2, province FROM admin_units"
            " WHERE provinceCode = ? ORDER BY wardCode",
            (PROVINCE_CODE,),
        ).fetchall()
    return [
        CommuneSpec(code, name, kind, area, province) for code, name, kind, area, province in rows
    ]


def run(
    people: int = 1_000_000, log: Callable[[str], object] = print
) -> dict[str, float | int | str]:
    """Time one generation of ``people`` residents and return throughput and shape figures."""
    communes = lao_cai_communes()
    started = time.perf_counter()
    frame = generate_population(
        communes,
        people=people,
        seed=2025,
        province_code=PROVINCE_CODE,
        reference_date=REFERENCE_DATE,
    )
    seconds = time.perf_counter() - started
    age = (pl.lit(REFERENCE_DATE) - pl.col("birth_date")).dt.total_days() / 365.2425
    shape = frame.select(
        (pl.col("sex") == "M").mean().alias("male_share"),
        (age < 15).mean().alias("age_0_14_share"),
        (age >= 60).mean().alias("age_60_plus_share"),
        (pl.col("ethnicity") == "Kinh").mean().alias("kinh_share"),
        pl.col("household_id").n_unique().alias("households"),
    ).row(0, named=True)
    return {
        "province_code": PROVINCE_CODE,
        "communes": len(communes),
        "rows": frame.height,
        "seconds": round(seconds, 3),
        "rows_per_second": round(frame.height / seconds),
        "households": shape["households"],
        "mean_household_size": round(frame.height / shape["households"], 2),
        "male_share": round(shape["male_share"], 4),
        "age_0_14_share": round(shape["age_0_14_share"], 4),
        "age_60_plus_share": round(shape["age_60_plus_share"], 4),
        "kinh_share": round(shape["kinh_share"], 4),
    }
