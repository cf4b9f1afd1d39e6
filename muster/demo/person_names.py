"""Vietnamese names for the synthetic population, drawn vectorised from the tables of `names.py`:
surnames by ethnic group, middle names by sex and birth era (Kinh), given names, name order."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

from muster.demo import names as nt
from muster.demo.demography import BoolArray, FloatArray, IntArray


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
MATRILINEAL = np.array([nt.STYLES[name].lineage == "maternal" for name in nt.ETHNICITIES])
_BY_ERA = np.array([nt.STYLES[name].middle_by_era for name in nt.ETHNICITIES])
_VAN = VOCAB.add("Văn")
_THI = VOCAB.add("Thị")
_WORDS = pl.Series("w", VOCAB.words, dtype=pl.Utf8)


def _draw(table: tuple[IntArray, FloatArray], size: int, rng: np.random.Generator) -> IntArray:
    return rng.choice(table[0], size=size, p=table[1]).astype(np.int64)


def draw_surnames(eth: IntArray, rng: np.random.Generator) -> IntArray:
    """A birth surname per person from their group's table (households overwrite children's)."""
    out = np.zeros(eth.size, dtype=np.int64)
    for code in np.unique(eth):
        idx = np.flatnonzero(eth == code)
        out[idx] = _draw(_SURNAMES[code], idx.size, rng)
    return out


def draw_given_and_middle(
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


def full_names(
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
