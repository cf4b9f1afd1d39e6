"""A deterministic, vectorised synthetic population for one 2025 province.

People are drawn first (commune, ethnicity, age and sex from published shares), then grouped into
households by matching within each (commune, ethnic group) cell: wives with husbands by age rank,
children with a mother 18–42 years older, widowed elders with a son (or, in matrilineal groups, a
daughter), some young couples with the husband's parents. Drawing people first keeps the age–sex
pyramid exact; matching afterwards keeps households plausible. No per-person Python loops: every
step is a numpy sort, search or gather, and strings are built by polars.

The published shares are in `demography.py`, the name drawing in `person_names.py` (over the
tables of `names.py`), the household matching in `households.py`.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import polars as pl

from muster.demo import names as nt
from muster.demo.demography import (
    DENSITY,
    ETH_INDEX,
    MAX_AGE,
    MIN_GROUP,
    MIN_PEOPLE_PER_COMMUNE,
    MIX_CONCENTRATION,
    PHONE_PREFIXES,
    PHONE_SHARE,
    WARD_MINORITY_FACTOR,
    BoolArray,
    IntArray,
    age_sex_table,
    by_age,
)
from muster.demo.households import Households, match_households
from muster.demo.person_names import draw_given_and_middle, draw_surnames, full_names
from muster.people.extract_format import EXTRACT_SCHEMA


@dataclass(frozen=True)
class CommuneSpec:
    """One 2025 commune-level unit the population is spread over."""

    code: str  # 2025 commune code, e.g. "02611"
    name: str  # "Xã Bản Liền" / "Phường Cam Đường" / "Đặc khu ..."
    unit_type: str  # "Phường" | "Xã" | "Đặc khu"
    area_km2: float | None
    province_name: str  # "Tỉnh Lào Cai"
    # 2-digit legacy province code most of it came from ("10" Lào Cai, "15" Yên Bái): ID place code.
    legacy_province_code: str | None = None


SCHEMA: dict[str, pl.DataType] = {**EXTRACT_SCHEMA, "phone": pl.Utf8()}


# --- Entry point ---------------------------------------------------------------------------------


def generate_population(
    communes: Sequence[CommuneSpec],
    *,
    people: int,
    seed: int,
    province_code: str,
    reference_date: date,
) -> pl.DataFrame:
    """Generate ``people`` synthetic residents of one province, identical for the same inputs.

    Columns and dtypes are those of ``SCHEMA`` (the population-register extract plus ``phone``).
    Rows come grouped by commune and household, head first.
    """
    if people < 0:
        raise ValueError("people must be >= 0")
    if not communes:
        raise ValueError("at least one commune is needed")
    if people == 0:
        return pl.DataFrame(schema=SCHEMA)
    rng = np.random.default_rng([seed, zlib.crc32(province_code.encode())])

    counts = _commune_counts(communes, people, rng)
    commune, eth = _ethnicities(communes, counts, province_code, rng)
    age, male = _ages(eth, rng)
    birth = _birth_dates(age, reference_date, rng)
    birth_year = birth.astype("datetime64[Y]").astype(np.int64) + 1970

    surname = draw_surnames(eth, rng)
    house = match_households(commune, eth, age, male, surname, len(communes), rng)
    given, middle, middle2 = draw_given_and_middle(eth, male, birth_year, rng)

    order = np.lexsort((-age, house.role, house.serial, commune))
    person_ids = _personal_ids(communes, province_code, commune, male, birth_year, rng)
    phones = _phones(age, rng)
    addresses = _household_addresses(communes, province_code, house, rng)

    raw = pl.DataFrame(
        {
            "id_number": person_ids[order],
            "full_name": full_names(
                eth[order], surname[order], middle[order], middle2[order], given[order]
            ),
            "male": male[order],
            "birth_date": pl.Series(birth[order]).cast(pl.Date),
            "ethnicity": pl.Series(nt.ETHNICITIES, dtype=pl.Utf8).gather(eth[order]),
            "commune_code": pl.Series([c.code for c in communes], dtype=pl.Utf8).gather(
                commune[order]
            ),
            "address": addresses.gather(house.household[order]),
            "serial": house.serial[order],
            "phone_number": phones[order],
        }
    )
    frame = raw.select(
        pl.col("id_number").cast(pl.Utf8).str.zfill(12).alias("personal_id"),
        "full_name",
        pl.when("male").then(pl.lit("M")).otherwise(pl.lit("F")).alias("sex"),
        "birth_date",
        "ethnicity",
        pl.col("commune_code").alias("residence_commune_code"),
        "address",
        pl.concat_str(
            [pl.lit(province_code), "commune_code", pl.col("serial").cast(pl.Utf8).str.zfill(6)]
        ).alias("household_id"),
        pl.lit("alive").alias("life_status"),
        pl.lit(None, dtype=pl.Date).alias("died_on"),
        pl.when(pl.col("phone_number") >= 0)
        .then(pl.col("phone_number").cast(pl.Utf8).str.zfill(10))
        .alias("phone"),
    )
    return frame.select([pl.col(name).cast(dtype) for name, dtype in SCHEMA.items()])


# --- Communes and ethnic groups ------------------------------------------------------------------


def _commune_counts(
    communes: Sequence[CommuneSpec], people: int, rng: np.random.Generator
) -> IntArray:
    """Residents per commune: area × density, with a small floor so no commune is empty."""
    area = np.array([c.area_km2 if c.area_km2 and c.area_km2 > 0 else np.nan for c in communes])
    fill = float(np.nanmedian(area)) if np.isfinite(area).any() else 1.0
    area = np.where(np.isfinite(area), area, fill)
    weight = area * np.array([DENSITY.get(c.unit_type, 1.0) for c in communes])
    weight = weight / weight.sum()
    floor = min(MIN_PEOPLE_PER_COMMUNE, people // len(communes))
    rest = people - floor * len(communes)
    return (floor + rng.multinomial(rest, weight)).astype(np.int64)


def _ethnicities(
    communes: Sequence[CommuneSpec], counts: IntArray, province_code: str, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """Commune index and ethnic-group code per person, grouped by (commune, group)."""
    mix = nt.ethnic_mix(province_code)
    groups = np.array([ETH_INDEX[name] for name in mix], dtype=np.int64)
    shares = np.array(list(mix.values()))
    kinh = groups == ETH_INDEX["Kinh"]
    minority_total = float(shares[~kinh].sum())
    n = len(communes)
    is_ward = np.array([c.unit_type == "Phường" for c in communes])

    # Minority share per commune: low in wards, gamma-spread over rural communes, then scaled so
    # the province total matches the table.
    spread = np.where(is_ward, WARD_MINORITY_FACTOR, rng.gamma(1.5, 1 / 1.5, n))
    scale = 1.0
    for _ in range(30):
        minority = np.clip(minority_total * scale * spread, 0.0, 0.97)
        mean = float((minority * counts).sum() / max(counts.sum(), 1))
        if mean <= 0 or abs(mean - minority_total) < 1e-6:
            break
        scale *= minority_total / mean

    probs = np.zeros((n, groups.size))
    probs[:, kinh] = (1 - minority)[:, None]
    if (~kinh).any():
        within = shares[~kinh] / shares[~kinh].sum()
        split = rng.dirichlet(np.maximum(within * MIX_CONCENTRATION, 1e-3), n)
        probs[:, ~kinh] = minority[:, None] * split
    probs = probs / probs.sum(axis=1, keepdims=True)
    cells = rng.multinomial(counts, probs).astype(np.int64)

    # Fold tiny groups into the commune's largest so every group can form households.
    tiny = (cells > 0) & (cells < MIN_GROUP)
    largest = cells.argmax(axis=1)
    moved = np.where(tiny, cells, 0).sum(axis=1)
    cells = np.where(tiny, 0, cells)
    cells[np.arange(n), largest] += moved

    commune = np.repeat(np.repeat(np.arange(n, dtype=np.int64), groups.size), cells.ravel())
    eth = np.repeat(np.tile(groups, n), cells.ravel())
    return commune, eth


# --- Ages and dates ------------------------------------------------------------------------------


def _ages(eth: IntArray, rng: np.random.Generator) -> tuple[IntArray, BoolArray]:
    """Single-year age and sex per person; minority groups use the younger table."""
    younger = np.array([nt.STYLES[name].younger for name in nt.ETHNICITIES])[eth]
    age = np.zeros(eth.size, dtype=np.int64)
    male = np.zeros(eth.size, dtype=np.bool_)
    for flag in (False, True):
        idx = np.flatnonzero(younger == flag)
        if not idx.size:
            continue
        p_male, p_female = age_sex_table(flag)
        cell = rng.choice(2 * (MAX_AGE + 1), size=idx.size, p=np.concatenate([p_male, p_female]))
        age[idx] = cell % (MAX_AGE + 1)
        male[idx] = cell <= MAX_AGE
    return age, male


def _birth_dates(
    age: IntArray, reference_date: date, rng: np.random.Generator
) -> npt.NDArray[np.datetime64]:
    """Birth dates spread over the year so that each person is ``age`` on the reference date."""
    days = np.floor((age + rng.random(age.size)) * 365.2425).astype(np.int64) + 1
    reference = np.datetime64(reference_date, "D")
    return reference - days.astype("timedelta64[D]")


# --- Identifiers, phones and addresses --------------------------------------------------------


def _unique_keys(prefix: IntArray, space: int, rng: np.random.Generator) -> IntArray:
    """prefix * space + a random serial, unique across the array (re-draws collisions)."""
    if prefix.size and np.unique(prefix, return_counts=True)[1].max() > space // 2:
        raise ValueError("too many people share an ID prefix for unique random serials")
    serial = rng.integers(0, space, prefix.size)
    while True:
        key = prefix * space + serial
        order = np.argsort(key, kind="stable")
        ranked = key[order]
        clash = np.flatnonzero(ranked[1:] == ranked[:-1]) + 1
        if not clash.size:
            return key.astype(np.int64)
        serial[order[clash]] = rng.integers(0, space, clash.size)


def _personal_ids(
    communes: Sequence[CommuneSpec],
    province_code: str,
    commune: IntArray,
    male: BoolArray,
    birth_year: IntArray,
    rng: np.random.Generator,
) -> IntArray:
    """12-digit IDs as integers: 0PP (legacy place) S (century, sex) YY, then 6 random digits."""
    place = np.array([int(c.legacy_province_code or province_code) for c in communes])[commune]
    century_sex = (birth_year // 100 - 19) * 2 + (~male).astype(np.int64)
    prefix = (place * 10 + century_sex) * 100 + birth_year % 100
    return _unique_keys(prefix.astype(np.int64), 1_000_000, rng)


def _phones(age: IntArray, rng: np.random.Generator) -> IntArray:
    """Unique mobile numbers without the leading 0 (-1 = no phone)."""
    has = rng.random(age.size) < by_age(PHONE_SHARE)[age]
    pick = rng.integers(0, len(PHONE_PREFIXES), int(has.sum()))
    prefix = np.array(PHONE_PREFIXES, dtype=np.int64)[pick]
    out = np.full(age.size, -1, dtype=np.int64)
    out[has] = _unique_keys(prefix, 10_000_000, rng)
    return out


def _household_addresses(
    communes: Sequence[CommuneSpec],
    province_code: str,
    house: Households,
    rng: np.random.Generator,
) -> pl.Series:
    """One address per household: "<thôn/bản/tổ dân phố/street>, <commune>, <province>"."""
    count = house.commune.size
    n = len(communes)
    is_ward = np.array([c.unit_type == "Phường" for c in communes])[house.commune]
    per_commune = np.bincount(house.commune, minlength=n)

    # Village vocabulary: each table occupies a block of one flat list.
    southern = province_code in nt.SOUTHERN_PROVINCES
    labels: list[str] = []
    block: dict[str, tuple[int, int]] = {}
    for key, (prefix, names) in nt.VILLAGES.items():
        block[key] = (len(labels), len(names))
        labels.extend(f"{prefix} {name}" for name in names)

    def table_of(name: str) -> str:
        village = nt.STYLES[name].village
        return "ap" if southern and village == "thon" else village

    eth_start = np.array([block[table_of(name)][0] for name in nt.ETHNICITIES])
    eth_size = np.array([block[table_of(name)][1] for name in nt.ETHNICITIES])
    # A commune has a handful of villages per table, starting at a commune-specific offset.
    villages = np.clip(per_commune // 90, 3, 15)[house.commune]
    offset = rng.integers(0, 1_000, n)[house.commune]
    slot = (rng.random(count) * villages).astype(np.int64)
    size = eth_size[house.ethnicity]
    village = eth_start[house.ethnicity] + (offset + slot) % size

    street = (offset + (rng.random(count) * 6).astype(np.int64)) % len(nt.STREETS)
    resident_groups = np.clip(per_commune // 150, 3, 60)[house.commune]
    parts = pl.DataFrame(
        {
            "ward": is_ward,
            "street": rng.random(count) < 0.45,
            "number": rng.integers(1, 260, count),
            "street_name": pl.Series(nt.STREETS).gather(street),
            "group": (rng.random(count) * resident_groups).astype(np.int64) + 1,
            "village": pl.Series(labels).gather(village),
            "commune": pl.Series([c.name for c in communes]).gather(house.commune),
            "province": pl.Series([c.province_name for c in communes]).gather(house.commune),
        }
    )
    local = (
        pl.when(pl.col("ward") & pl.col("street"))
        .then(pl.format("Số {} đường {}", "number", "street_name"))
        .when(pl.col("ward"))
        .then(pl.format("Tổ dân phố {}", "group"))
        .otherwise(pl.col("village"))
    )
    return parts.select(
        pl.concat_str([local, "commune", "province"], separator=", ").alias("address")
    ).to_series()
