"""The published shapes the synthetic population follows (Vietnam 2025): age–sex bands, younger
minority communes, who is in a couple or lives with parents or children, household limits,
density by unit type, phone ownership; and the numpy array types the generator uses."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from muster.demo import names as nt

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


# Vietnam 2025, 5-year bands: (first age, last age, % of population, male share of the band).
# Calibrated to the Statistics Office 2025 figures (0–14: 22.8 %, 15–59: 62.7 %, 60+: 14.5 %,
# men 49.9 %); male share follows a sex ratio at birth of ≈ 111 and women's longer lives.
AGE_BANDS: tuple[tuple[int, int, float, float], ...] = (
    (0, 4, 6.9, 0.5285),
    (5, 9, 7.7, 0.5275),
    (10, 14, 8.2, 0.5245),
    (15, 19, 7.2, 0.5205),
    (20, 24, 6.6, 0.5145),
    (25, 29, 7.2, 0.5075),
    (30, 34, 8.0, 0.5055),
    (35, 39, 8.0, 0.5045),
    (40, 44, 7.4, 0.5025),
    (45, 49, 6.8, 0.4995),
    (50, 54, 6.0, 0.4925),
    (55, 59, 5.5, 0.4805),
    (60, 64, 4.9, 0.4675),
    (65, 69, 3.8, 0.4525),
    (70, 74, 2.6, 0.4325),
    (75, 79, 1.5, 0.4075),
    (80, 84, 0.9, 0.3725),
    (85, 100, 0.8, 0.3225),
)
MAX_AGE = 100
# Ethnic minorities in the mountains have more children and fewer elders (2019 census pattern).
YOUNGER_FACTORS: tuple[tuple[int, float], ...] = ((15, 1.35), (30, 1.1), (60, 1.0), (101, 0.65))

# Share of people who are in a couple, by sex and age (upper bounds exclusive).
FEMALE_MARRIED = ((18, 0.0), (20, 0.12), (25, 0.45), (30, 0.78), (40, 0.9), (60, 0.88),
                   (70, 0.72), (80, 0.5), (101, 0.25))  # fmt: skip
MALE_MARRIED = ((20, 0.0), (25, 0.25), (30, 0.62), (40, 0.88), (60, 0.92), (70, 0.88),
                 (80, 0.78), (101, 0.55))  # fmt: skip
MAX_HUSBAND_OLDER = 15
MAX_WIFE_OLDER = 6
# Unmarried people living with a parent, by age.
WITH_PARENTS = ((18, 1.0), (30, 0.85), (40, 0.45), (60, 0.15), (101, 0.0))
# Young couples (lineage spouse under 33) living with that spouse's parents; widowed elders living
# with a child. Both are more common in minority communes, which is what makes their households
# larger (≈ 4.5 people against ≈ 3.5).
MERGE_SHARE = {"Kinh": 0.22, "Hoa": 0.22}
MERGE_SHARE_MINORITY = 0.55
ELDER_WITH_CHILD = {"Kinh": 0.7, "Hoa": 0.7}
ELDER_WITH_CHILD_MINORITY = 0.9
RELATIVE_SHARE = {"Kinh": 0.6, "Hoa": 0.6}
RELATIVE_SHARE_MINORITY = 0.85

# People per km² relative to a xã; đặc khu are island districts with rural density.
DENSITY = {"Phường": 10.0, "Xã": 1.0, "Đặc khu": 1.0}
# A ward's minority share relative to the province's.
WARD_MINORITY_FACTOR = 0.45
# Relatives are not added to a household that already has this many members.
MAX_HOUSEHOLD = 9
MAX_CHILDREN = 6
# Nobody younger lives alone; a minor with no parent found joins another family of the group.
MIN_AGE_ALONE = 16
# Each commune keeps a few households when the population allows it.
MIN_PEOPLE_PER_COMMUNE = 16
# An ethnic group with fewer residents than this in a commune is folded into the commune's largest
# group: matching needs enough families per group, or a few couples end up with all the children.
MIN_GROUP = 60
# Spread of minority groups across communes (Dirichlet concentration): low = one group dominates.
MIX_CONCENTRATION = 4.0

PHONE_PREFIXES = (32, 33, 34, 35, 36, 37, 38, 39, 56, 58, 59, 70, 76, 77, 78, 79, 81, 82, 83, 84,
                  85, 86, 88, 89, 90, 91, 93, 94, 96, 97, 98)  # fmt: skip
PHONE_SHARE = ((15, 0.0), (18, 0.7), (70, 0.9), (101, 0.55))

AGE_KEY = 256  # composite sort keys are group * AGE_KEY + age
ETH_INDEX = {name: i for i, name in enumerate(nt.ETHNICITIES)}


def by_age(steps: tuple[tuple[int, float], ...]) -> FloatArray:
    """Expand (upper bound, value) steps into a value per single year of age 0..MAX_AGE."""
    out = np.zeros(MAX_AGE + 1)
    lower = 0
    for upper, value in steps:
        out[lower : min(upper, MAX_AGE + 1)] = value
        lower = upper
    return out


def age_sex_table(younger: bool) -> tuple[FloatArray, FloatArray]:
    """Probability of each (age) for men and for women; the two arrays sum to 1 together."""
    male = np.zeros(MAX_AGE + 1)
    female = np.zeros(MAX_AGE + 1)
    factor = by_age(YOUNGER_FACTORS) if younger else np.ones(MAX_AGE + 1)
    for first, last, share, male_share in AGE_BANDS:
        ages = np.arange(first, last + 1)
        # Within the open top band, survival falls off geometrically.
        within = 0.8 ** (ages - first) if last - first > 4 else np.ones(ages.size)
        within = within / within.sum() * share * factor[ages]
        male[ages] = within * male_share
        female[ages] = within * (1 - male_share)
    total = male.sum() + female.sum()
    return male / total, female / total
