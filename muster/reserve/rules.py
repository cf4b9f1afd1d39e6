"""Reserve-force rules for NCOs and soldiers (MSL Art. 24–26)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ReserveEntry:
    category: int
    basis_code: str


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (a month is complete on the same day of the month)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (end.day < start.day)


def reserve_category_after_discharge(
    *, enlisted_on: date, discharged_on: date, after_combat: bool = False
) -> ReserveEntry:
    """Category on discharge: 1 after at least 6 months of service or after combat (MSL Art.
    24(1)(a)-(b)); 2 after less than 6 months (MSL Art. 24(2)(a))."""
    if after_combat:
        return ReserveEntry(1, "RES_CAT1_B")
    if months_between(enlisted_on, discharged_on) >= 6:
        return ReserveEntry(1, "RES_CAT1_A")
    return ReserveEntry(2, "RES_CAT2_A")


def reserve_age_limit(sex: str) -> int:
    """Reserve NCOs and soldiers serve to the end of age 45 (men) or 40 (women) (MSL Art. 25)."""
    return 45 if sex == "M" else 40


def reserve_group(sex: str, age: int) -> str:
    """Group A: men to the end of 35, women to the end of 30; group B above (MSL Art. 26)."""
    return "A" if age <= (35 if sex == "M" else 30) else "B"
