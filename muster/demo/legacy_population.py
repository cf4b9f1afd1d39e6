"""A synthetic population living in legacy (pre-2025) wards, loaded set-based.

`people.bulk.persons_load_frame` accepts 2025 commune codes only, so the legacy demo and the
restructure benchmark load through here: the same vectorised checks (`bulk.check_rows`, given
the legacy ward codes instead of the 2025 ones) and the same writers (COPY on PostgreSQL,
batched inserts on SQLite, indexes dropped for a fresh load), then one UPDATE dates each new
person's open residence period from 2020-01-01 or the birth date, whichever is later.

Addresses are in the old three-level form "Thôn X, Xã Y, Huyện Z, Tỉnh W". For a ward that
was split between several 2025 communes, most households live in a village named like one of
the successors (so the restructure engine can decide from the address); about one in six
keeps a village name that decides nothing (a review case).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

import polars as pl

from muster.demo.population import CommuneSpec, generate_population
from muster.geo.models import AdminUnit, Edition, Succession
from muster.people import bulk
from muster.people.bulk import BulkResult

if TYPE_CHECKING:
    from muster.accounts.models import User

LEGACY_DAY = date(2025, 6, 30)
# Open residence periods start on this day, or at birth for people born later.
RESIDENCE_FROM = date(2020, 1, 1)
# Households of a split ward whose village name decides nothing (percent).
AMBIGUOUS_PERCENT = 15
SOURCE = "demo-legacy"


def legacy_ward_specs(wards: Sequence[AdminUnit]) -> list[CommuneSpec]:
    """Generator specs for legacy wards: the "commune" name carries the district, so the
    generated address reads "<village>, <ward>, <district>, <province>"."""
    ids = {w.parent_id for w in wards if w.parent_id}
    districts = {d.pk: d for d in AdminUnit.objects.filter(id__in=ids)}
    provinces = {
        p.pk: p for p in AdminUnit.objects.filter(id__in={d.parent_id for d in districts.values()})
    }
    specs = []
    for ward in wards:
        district = districts[ward.parent_id or 0]
        province = provinces[district.parent_id or 0]
        specs.append(
            CommuneSpec(
                code=ward.code,
                name=f"{ward.name}, {district.name}",
                # A thị trấn is urban: tổ dân phố and street addresses, urban density.
                unit_type="Xã" if ward.unit_type == "Xã" else "Phường",
                area_km2=ward.area_km2,
                province_name=province.name,
                legacy_province_code=province.code,
            )
        )
    return specs


def split_successors(wards: Sequence[AdminUnit]) -> dict[str, list[str]]:
    """Legacy ward code → the short names of its 2025 successors, for wards that split."""
    out: dict[str, list[str]] = {}
    rows = (
        Succession.objects.filter(predecessor__in=list(wards), kind="split")
        .order_by("predecessor__code", "-is_default", "successor__code")
        .values_list("predecessor__code", "successor__short_name")
    )
    for code, name in rows:
        out.setdefault(code, []).append(name)
    return {code: names for code, names in out.items() if len(names) > 1}


def with_split_villages(frame: pl.DataFrame, splits: dict[str, list[str]]) -> pl.DataFrame:
    """Households of split wards get a village named after one successor (deterministic by
    household), except AMBIGUOUS_PERCENT of them, whose generated village decides nothing."""
    if not splits or frame.is_empty():
        return frame
    table = pl.DataFrame(
        {
            "residence_commune_code": list(splits),
            "_names": list(splits.values()),
        },
        schema={"residence_commune_code": pl.String, "_names": pl.List(pl.String)},
    )
    bucket = pl.col("household_id").hash(seed=2025)
    pick = (bucket // 100) % pl.col("_names").list.len()
    village = pl.col("_names").list.get(pick.cast(pl.Int64))
    is_ward = pl.col("address").str.starts_with("Tổ dân phố") | pl.col("address").str.starts_with(
        "Số "
    )
    local = (
        pl.when(is_ward)
        .then(pl.format("Tổ dân phố {}", village))
        .otherwise(pl.format("Thôn {}", village))
    )
    rest = pl.col("address").str.splitn(", ", 2).struct.field("field_1")
    decided = pl.concat_str([local, rest], separator=", ")
    return (
        frame.join(table, on="residence_commune_code", how="left", maintain_order="left")
        .with_columns(
            address=pl.when(pl.col("_names").is_not_null() & (bucket % 100 >= AMBIGUOUS_PERCENT))
            .then(decided)
            .otherwise(pl.col("address"))
        )
        .drop("_names")
    )


def legacy_population(
    wards: Sequence[AdminUnit], *, people: int, seed: int, province_code: str
) -> pl.DataFrame:
    """`people` residents of the legacy `wards` as of 2025-06-30, in extract columns."""
    frame = generate_population(
        legacy_ward_specs(wards),
        people=people,
        seed=seed,
        province_code=province_code,
        reference_date=LEGACY_DAY,
    )
    return with_split_villages(frame, split_successors(wards))


def persons_load_legacy(
    frame: pl.DataFrame,
    *,
    source: str = SOURCE,
    acting_user: User | None = None,
    progress: Callable[[int], None] | None = None,
) -> BulkResult:
    """Upsert persons living in legacy wards (residence_commune_code = legacy ward code), their
    open residence periods from RESIDENCE_FROM (or birth): `bulk.persons_load_frame` on the
    legacy edition."""
    return bulk.persons_load_frame(
        frame,
        source=source,
        acting_user=acting_user,
        progress=progress,
        edition=Edition.LEGACY,
        periods_from=RESIDENCE_FROM,
    )
