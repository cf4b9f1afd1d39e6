"""A deterministic, vectorised synthetic population for one 2025 province.

People are drawn first (commune, ethnicity, age and sex from published shares), then grouped into
households by matching within each (commune, ethnic group) cell: wives with husbands by age rank,
children with a mother 18–42 years older, widowed elders with a son (or, in matrilineal groups, a
daughter), some young couples with the husband's parents. Drawing people first keeps the age–sex
pyramid exact; matching afterwards keeps households plausible. No per-person Python loops: every
step is a numpy sort, search or gather, and strings are built by polars.
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
from muster.people.extract_format import EXTRACT_SCHEMA

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


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

# --- Published shapes ----------------------------------------------------------------------------

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
_FEMALE_MARRIED = ((18, 0.0), (20, 0.12), (25, 0.45), (30, 0.78), (40, 0.9), (60, 0.88),
                   (70, 0.72), (80, 0.5), (101, 0.25))  # fmt: skip
_MALE_MARRIED = ((20, 0.0), (25, 0.25), (30, 0.62), (40, 0.88), (60, 0.92), (70, 0.88),
                 (80, 0.78), (101, 0.55))  # fmt: skip
MAX_HUSBAND_OLDER = 15
MAX_WIFE_OLDER = 6
# Unmarried people living with a parent, by age.
_WITH_PARENTS = ((18, 1.0), (30, 0.85), (40, 0.45), (60, 0.15), (101, 0.0))
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
_PHONE_SHARE = ((15, 0.0), (18, 0.7), (70, 0.9), (101, 0.55))

AGE_KEY = 256  # composite sort keys are group * AGE_KEY + age
ETH_INDEX = {name: i for i, name in enumerate(nt.ETHNICITIES)}


def _by_age(steps: tuple[tuple[int, float], ...]) -> FloatArray:
    """Expand (upper bound, value) steps into a value per single year of age 0..MAX_AGE."""
    out = np.zeros(MAX_AGE + 1)
    lower = 0
    for upper, value in steps:
        out[lower : min(upper, MAX_AGE + 1)] = value
        lower = upper
    return out


def _age_sex_table(younger: bool) -> tuple[FloatArray, FloatArray]:
    """Probability of each (age) for men and for women; the two arrays sum to 1 together."""
    male = np.zeros(MAX_AGE + 1)
    female = np.zeros(MAX_AGE + 1)
    factor = _by_age(YOUNGER_FACTORS) if younger else np.ones(MAX_AGE + 1)
    for first, last, share, male_share in AGE_BANDS:
        ages = np.arange(first, last + 1)
        # Within the open top band, survival falls off geometrically.
        within = 0.8 ** (ages - first) if last - first > 4 else np.ones(ages.size)
        within = within / within.sum() * share * factor[ages]
        male[ages] = within * male_share
        female[ages] = within * (1 - male_share)
    total = male.sum() + female.sum()
    return male / total, female / total


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

    surname = _draw_surnames(eth, rng)
    house = _households(commune, eth, age, male, surname, len(communes), rng)
    given, middle, middle2 = _draw_given_and_middle(eth, male, birth_year, rng)

    order = np.lexsort((-age, house.role, house.serial, commune))
    person_ids = _personal_ids(communes, province_code, commune, male, birth_year, rng)
    phones = _phones(age, rng)
    addresses = _household_addresses(communes, province_code, house, rng)

    raw = pl.DataFrame(
        {
            "id_number": person_ids[order],
            "full_name": _full_names(
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
        p_male, p_female = _age_sex_table(flag)
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


# --- Names ---------------------------------------------------------------------------------------


class _Vocabulary:
    """All name parts as one string table; index 0 is "no part" (null)."""

    def __init__(self) -> None:
        self.words: list[str | None] = [None]
        self._index: dict[str, int] = {}

    def add(self, word: str) -> int:
        if not word:
            return 0
        if word not in self._index:
            self._index[word] = len(self.words)
            self.words.append(word)
        return self._index[word]

    def table(self, pairs: Sequence[tuple[str, float]]) -> tuple[IntArray, FloatArray]:
        idx = np.array([self.add(name) for name, _ in pairs], dtype=np.int64)
        weight = np.array([w for _, w in pairs], dtype=np.float64)
        return idx, weight / weight.sum()

    def ranked(self, names: Sequence[str]) -> tuple[IntArray, FloatArray]:
        # Earlier (more popular) names are drawn a few times more often than the last ones.
        weight = 1.0 / (np.arange(len(names)) + 8.0)
        return self.table(list(zip(names, weight.tolist(), strict=True)))


VOCAB = _Vocabulary()
_SURNAMES = [VOCAB.table(nt.STYLES[name].surnames) for name in nt.ETHNICITIES]
_GIVEN = [
    (VOCAB.ranked(nt.STYLES[name].given_female), VOCAB.ranked(nt.STYLES[name].given_male))
    for name in nt.ETHNICITIES
]
_MIDDLE = [
    (VOCAB.table(nt.STYLES[name].middle_female), VOCAB.table(nt.STYLES[name].middle_male))
    for name in nt.ETHNICITIES
]
_ERA_CUTS = np.array([cut for cut, _ in nt.KINH_MIDDLE_MALE_BY_ERA[:-1]])
_ERA_MIDDLE = [
    (VOCAB.table(female), VOCAB.table(male))
    for (_, male), (_, female) in zip(
        nt.KINH_MIDDLE_MALE_BY_ERA, nt.KINH_MIDDLE_FEMALE_BY_ERA, strict=True
    )
]
_FOUR_PART = np.array([share for _, share in nt.KINH_FOUR_PART_SHARE])
_SECOND_MIDDLE = (
    VOCAB.ranked(nt.KINH_SECOND_MIDDLE_FEMALE),
    VOCAB.ranked(nt.KINH_SECOND_MIDDLE_MALE),
)
_GIVEN_FIRST = np.array([nt.STYLES[name].order == "given_first" for name in nt.ETHNICITIES])
_MATRILINEAL = np.array([nt.STYLES[name].lineage == "maternal" for name in nt.ETHNICITIES])
_BY_ERA = np.array([nt.STYLES[name].middle_by_era for name in nt.ETHNICITIES])
_VAN = VOCAB.add("Văn")
_THI = VOCAB.add("Thị")
_WORDS = pl.Series("w", VOCAB.words, dtype=pl.Utf8)


def _draw(table: tuple[IntArray, FloatArray], size: int, rng: np.random.Generator) -> IntArray:
    return rng.choice(table[0], size=size, p=table[1]).astype(np.int64)


def _draw_surnames(eth: IntArray, rng: np.random.Generator) -> IntArray:
    """A birth surname per person from their group's table (households overwrite children's)."""
    out = np.zeros(eth.size, dtype=np.int64)
    for code in np.unique(eth):
        idx = np.flatnonzero(eth == code)
        out[idx] = _draw(_SURNAMES[code], idx.size, rng)
    return out


def _draw_given_and_middle(
    eth: IntArray, male: BoolArray, birth_year: IntArray, rng: np.random.Generator
) -> tuple[IntArray, IntArray, IntArray]:
    """Given name, middle name and optional second middle name (vocabulary indexes)."""
    n = eth.size
    given = np.zeros(n, dtype=np.int64)
    middle = np.zeros(n, dtype=np.int64)
    middle2 = np.zeros(n, dtype=np.int64)
    era = np.searchsorted(_ERA_CUTS, birth_year, side="right")
    for code in np.unique(eth):
        for sex in (0, 1):
            idx = np.flatnonzero((eth == code) & (male == bool(sex)))
            if not idx.size:
                continue
            given[idx] = _draw(_GIVEN[code][sex], idx.size, rng)
            if not _BY_ERA[code]:
                middle[idx] = _draw(_MIDDLE[code][sex], idx.size, rng)
                continue
            for e in range(len(_ERA_MIDDLE)):
                sub = idx[era[idx] == e]
                middle[sub] = _draw(_ERA_MIDDLE[e][sex], sub.size, rng)
                four = sub[rng.random(sub.size) < _FOUR_PART[e]]
                middle2[four] = _draw(_SECOND_MIDDLE[sex], four.size, rng)
    # "Nguyễn Ngọc Ngọc" or "Ngọc Bảo Bảo Anh" read as mistakes: drop a repeated second middle
    # name and fall back to the plain Văn/Thị for a middle name equal to the given name.
    middle2 = np.where((middle2 == middle) | (middle2 == given), 0, middle2)
    plain = np.where(male, _VAN, _THI)
    middle = np.where((middle == given) & (middle != 0), plain, middle)
    return given, middle, middle2


def _full_names(
    eth: IntArray, surname: IntArray, middle: IntArray, middle2: IntArray, given: IntArray
) -> pl.Series:
    """Join name parts in each group's order ("Giàng A Páo", Ê Đê "Y Bông Niê")."""
    given_first = _GIVEN_FIRST[eth]
    parts = pl.DataFrame(
        {
            "a": _WORDS.gather(np.where(given_first, given, surname)),
            "b": _WORDS.gather(np.where(given_first, 0, middle)),
            "c": _WORDS.gather(np.where(given_first, 0, middle2)),
            "d": _WORDS.gather(np.where(given_first, surname, given)),
        }
    )
    return parts.select(
        pl.concat_str(["a", "b", "c", "d"], separator=" ", ignore_nulls=True).alias("full_name")
    ).to_series()


# --- Households ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Households:
    household: IntArray  # per person: dense household index
    role: IntArray  # per person: 0 head, 1 spouse, 2 elder, 3 child or co-resident young couple
    serial: IntArray  # per person: household serial within the commune (1-based)
    commune: IntArray  # per household
    ethnicity: IntArray  # per household (the head's)


def _pick(
    keys: IntArray, order: IntArray, low: IntArray, high: IntArray, rng: np.random.Generator
) -> IntArray:
    """For each query, a random element whose sorted key lies in [low, high], or -1."""
    if not keys.size:
        return np.full(low.size, -1, dtype=np.int64)
    lo = np.searchsorted(keys, low, side="left")
    hi = np.searchsorted(keys, high, side="right")
    span = np.maximum(hi - lo, 0)
    pick = np.minimum(lo + (rng.random(low.size) * span).astype(np.int64), keys.size - 1)
    return np.where(span > 0, order[pick], -1).astype(np.int64)


def _over_quota(target: IntArray, count: int, quota: IntArray | int) -> BoolArray:
    """Which queries exceed their target's quota, taking queries in array order per target.

    ``target`` holds indexes below ``count`` (or -1 for none, never over quota).
    """
    slot = np.where(target >= 0, target, count)
    by_target = np.argsort(slot, kind="stable")
    first = np.searchsorted(slot[by_target], slot[by_target])
    queue = np.empty(slot.size, dtype=np.int64)
    queue[by_target] = np.arange(slot.size) - first
    limit = np.append(np.broadcast_to(np.asarray(quota, dtype=np.int64), (count,)), slot.size)
    return (target >= 0) & (queue >= limit[slot])


def _sorted_keys(key: IntArray) -> tuple[IntArray, IntArray]:
    order = np.argsort(key, kind="stable").astype(np.int64)
    return key[order], order


def _pair(
    group: IntArray, age: IntArray, male: BoolArray, rng: np.random.Generator
) -> tuple[IntArray, IntArray]:
    """Wives and husbands paired by age rank within each group (same commune and ethnicity)."""
    p_married = np.where(male, _by_age(_MALE_MARRIED)[age], _by_age(_FEMALE_MARRIED)[age])
    intends = rng.random(age.size) < p_married
    jitter = age + rng.normal(0.0, 2.0, age.size)
    women = np.flatnonzero(intends & ~male)
    men = np.flatnonzero(intends & male)
    women = women[np.lexsort((jitter[women], group[women]))]
    men = men[np.lexsort((jitter[men], group[men]))]
    n_groups = int(group.max()) + 1
    n_women = np.bincount(group[women], minlength=n_groups)
    n_men = np.bincount(group[men], minlength=n_groups)
    pairs = np.minimum(n_women, n_men)
    # Take `pairs` people evenly spread over each side's age ranking, so a surplus of one sex is
    # dropped across all ages rather than only at the young or old end.
    owner = np.repeat(np.arange(n_groups), pairs)
    rank = np.arange(pairs.sum()) - np.repeat(np.cumsum(pairs) - pairs, pairs)
    wife = women[np.cumsum(n_women)[owner] - n_women[owner] + rank * n_women[owner] // pairs[owner]]
    husband = men[np.cumsum(n_men)[owner] - n_men[owner] + rank * n_men[owner] // pairs[owner]]
    # Rank pairing in a lopsided group can match very different ages; those stay single.
    gap = age[husband] - age[wife]
    keep = (gap >= -MAX_WIFE_OLDER) & (gap <= MAX_HUSBAND_OLDER)
    return wife[keep].astype(np.int64), husband[keep].astype(np.int64)


def _households(
    commune: IntArray,
    eth: IntArray,
    age: IntArray,
    male: BoolArray,
    surname: IntArray,
    n_communes: int,
    rng: np.random.Generator,
) -> _Households:
    """Group people into households; rewrites ``surname`` in place for inherited surnames."""
    n = age.size
    group = commune * len(nt.ETHNICITIES) + eth
    wife, husband = _pair(group, age, male, rng)
    couples = wife.size
    unit = np.full(n, -1, dtype=np.int64)
    role = np.full(n, 3, dtype=np.int64)
    unit[wife] = np.arange(couples)
    unit[husband] = np.arange(couples)
    couple_group = group[wife]
    # The spouse whose surname the children take and whose parents the couple may live with.
    lineage = np.where(_MATRILINEAL[eth[wife]], wife, husband)

    # Couples by mother's age: used to find a person's parents.
    mother_keys, mother_order = _sorted_keys(couple_group * AGE_KEY + age[wife])

    # Some young couples live with the lineage spouse's parents (one level only).
    minority_merge = np.array(
        [MERGE_SHARE.get(name, MERGE_SHARE_MINORITY) for name in nt.ETHNICITIES]
    )
    young = np.flatnonzero(
        (age[lineage] < 33) & (rng.random(couples) < minority_merge[eth[lineage]])
    )
    base = couple_group[young] * AGE_KEY
    parent = _pick(
        mother_keys,
        mother_order,
        base + age[lineage[young]] + 18,
        base + age[lineage[young]] + 42,
        rng,
    )
    moved_in = np.full(couples, -1, dtype=np.int64)
    # One married child's family per parents' home (often the youngest son stays).
    ok = (parent >= 0) & (parent != young) & ~_over_quota(parent, couples, 1)
    moved_in[young[ok]] = parent[ok]
    has_parent = moved_in >= 0
    moved_in = np.where(has_parent & has_parent[np.maximum(moved_in, 0)], -1, moved_in)
    has_parent = moved_in >= 0
    root = np.where(has_parent, moved_in, np.arange(couples))
    surname[lineage[has_parent]] = surname[lineage[moved_in[has_parent]]]
    role[wife[~has_parent]] = 1
    role[husband[~has_parent]] = 0

    # Unmarried children and young adults join a couple where the mother is 18–42 years older,
    # preferring a mother's age at birth near 27.
    with_parents = rng.random(n) < _by_age(_WITH_PARENTS)[age]
    child = np.flatnonzero((unit < 0) & with_parents)
    a = age[child]
    base = group[child] * AGE_KEY
    gap = np.clip(np.rint(rng.normal(27.0, 5.0, child.size)), 20, 40).astype(np.int64)
    home = _pick(mother_keys, mother_order, base + a + gap - 2, base + a + gap + 2, rng)
    missing = home < 0
    home[missing] = _pick(
        mother_keys,
        mother_order,
        base[missing] + a[missing] + 18,
        base[missing] + a[missing] + 42,
        rng,
    )
    # A mother already given MAX_CHILDREN is passed over once for another in the wide window.
    crowded = _over_quota(home, couples, MAX_CHILDREN)
    home[crowded] = _pick(
        mother_keys,
        mother_order,
        base[crowded] + a[crowded] + 18,
        base[crowded] + a[crowded] + 42,
        rng,
    )
    # Minors with no possible parent in their group live with another family of the commune.
    orphan = (home < 0) & (a < 18)
    commune_keys, commune_order = _sorted_keys(commune[wife])
    home[orphan] = _pick(
        commune_keys, commune_order, commune[child[orphan]], commune[child[orphan]], rng
    )
    found = home >= 0
    kid, kid_home = child[found], home[found]
    unit[kid] = kid_home
    # A child taken in by a family of another group is a relative and keeps a surname of its own.
    own = couple_group[kid_home] == group[kid]
    surname[kid[own]] = surname[lineage[kid_home[own]]]

    # Widowed elders live with a son (a daughter in matrilineal groups) who heads his own home.
    elder_share = np.array(
        [ELDER_WITH_CHILD.get(name, ELDER_WITH_CHILD_MINORITY) for name in nt.ETHNICITIES]
    )
    elder = np.flatnonzero((unit < 0) & (age >= 60) & (rng.random(n) < elder_share[eth]))
    heads = np.flatnonzero(~has_parent)
    lineage_keys, lineage_order = _sorted_keys(couple_group[heads] * AGE_KEY + age[lineage[heads]])
    base = group[elder] * AGE_KEY
    home = _pick(
        lineage_keys, heads[lineage_order], base + age[elder] - 42, base + age[elder] - 20, rng
    )
    found = home >= 0
    elder, home = elder[found], home[found]
    unit[elder] = home
    role[elder] = 2
    same_line = male[elder] != _MATRILINEAL[eth[elder]]
    surname[elder[same_line]] = surname[lineage[home[same_line]]]

    # Most remaining adults (unmarried, widowed, or without a match) live with relatives rather
    # than alone: they join a family of their group, keeping their own surname.
    relative_share = np.array(
        [RELATIVE_SHARE.get(name, RELATIVE_SHARE_MINORITY) for name in nt.ETHNICITIES]
    )
    relative = np.flatnonzero(
        (unit < 0) & ((rng.random(n) < relative_share[eth]) | (age < MIN_AGE_ALONE))
    )
    group_keys, group_order = _sorted_keys(couple_group[heads])
    home = _pick(group_keys, heads[group_order], group[relative], group[relative], rng)
    # Small groups have few families to go round: a relative who would push a household past
    # MAX_HOUSEHOLD lives alone instead.
    size = np.bincount(root[unit[unit >= 0]], minlength=couples)
    room = np.maximum(MAX_HOUSEHOLD - size, 0)
    found = (home >= 0) & (~_over_quota(home, couples, room) | (age[relative] < MIN_AGE_ALONE))
    unit[relative[found]] = home[found]

    # Everyone else lives alone.
    alone = np.flatnonzero(unit < 0)
    unit[alone] = couples + np.arange(alone.size)
    role[alone] = 0
    root = np.concatenate([root, couples + np.arange(alone.size)])
    household_of_unit = np.unique(root, return_inverse=True)[1].astype(np.int64)
    household = household_of_unit[unit]

    count = int(household.max()) + 1
    hh_commune = np.zeros(count, dtype=np.int64)
    hh_commune[household] = commune
    hh_eth = np.zeros(count, dtype=np.int64)
    head = role == 0
    hh_eth[household[head]] = eth[head]
    # Serial numbers run 1.. within each commune in a shuffled order.
    order = np.lexsort((rng.random(count), hh_commune))
    first = np.searchsorted(hh_commune[order], np.arange(n_communes))
    serial = np.empty(count, dtype=np.int64)
    serial[order] = np.arange(count) - first[hh_commune[order]] + 1
    return _Households(household, role, serial[household], hh_commune, hh_eth)


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
    has = rng.random(age.size) < _by_age(_PHONE_SHARE)[age]
    pick = rng.integers(0, len(PHONE_PREFIXES), int(has.sum()))
    prefix = np.array(PHONE_PREFIXES, dtype=np.int64)[pick]
    out = np.full(age.size, -1, dtype=np.int64)
    out[has] = _unique_keys(prefix, 10_000_000, rng)
    return out


def _household_addresses(
    communes: Sequence[CommuneSpec],
    province_code: str,
    house: _Households,
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
