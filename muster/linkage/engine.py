"""The linkage engine: features in polars, a Splink model on DuckDB, one-to-one decisions.

DB-free: callers pass frames (people from the registry or a generated population, legacy
records already validated) and what the database remembers (links, decisions); `actions` and
`bench/link.py` call it. Everything is deterministic for the same input and seed.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb
import polars as pl

from muster.linkage import rules
from muster.linkage.rules import Candidate, Decision, Thresholds

SEED = 20250701
# Pairs scored below this are dropped at once: they decide nothing and would fill memory.
FLOOR_PROBABILITY = 0.01
PEOPLE_COLUMNS = (
    "personal_id",
    "full_name",
    "sex",
    "birth_date",
    "commune",
    "household_id",
    "address",
)
LEGACY_COLUMNS = ("communes", "districts")

log = logging.getLogger(__name__)


def fold_expr(column: str) -> pl.Expr:
    """`muster.core.text.fold` as a polars expression (vectorised over a million names)."""
    return (
        pl.col(column)
        .fill_null("")
        .str.normalize("NFC")
        .str.replace_all("[đĐ]", "d")
        .str.normalize("NFD")
        .str.replace_all(r"\p{Mn}", "")
        .str.to_lowercase()
        .str.replace_all(r"\s+", " ")
        .str.strip_chars()
    )


def with_local(frame: pl.DataFrame, parts: int) -> pl.DataFrame:
    """`frame` with `local`: the place inside the commune (village, hamlet, residential group
    or street: the first part of an `address` of at least `parts` comma-separated parts),
    folded, "tổ dân phố"/"TDP" written as "tổ"; null when the address is shorter. Villages
    kept their names through the 2025 merger of communes, so a legacy record and the registry
    can agree on it."""
    address = pl.col("address").fill_null("")
    place = pl.when(address.str.count_matches(",") >= parts - 1).then(
        address.str.extract(r"^([^,]*)")
    )
    frame = frame.with_columns(_place=place)
    # A million addresses share tens of thousands of places: fold each place once.
    folded = (
        frame.select(pl.col("_place").unique().drop_nulls())
        .with_columns(local=fold_expr("_place").str.replace(r"^(to dan pho|tdp)\b", "to"))
        .with_columns(local=pl.when(pl.col("local") != "").then("local"))
    )
    return (
        frame.join(folded, on="_place", how="left", maintain_order="left")
        .drop("_place")
        .with_columns(commune_local=pl.concat_str("commune", "local", separator="|"))
    )


def _name_features(frame: pl.DataFrame) -> pl.DataFrame:
    """surname_f, middle_f, middle_last (its last word), given_f, tokens (sorted), rest
    (middle + given, sorted), given_raw (lower-case given name with its marks) and plain (no
    marks at all)."""
    # A million people share about a hundred thousand names: fold each name once.
    names = frame.select(pl.col("full_name").unique())
    folded = fold_expr("full_name")
    raw = pl.col("full_name").fill_null("").str.normalize("NFC").str.to_lowercase()
    words = pl.col("_f").str.split(" ")
    n = words.list.len()
    parts = (
        names.with_columns(_f=folded, _raw=raw.str.replace_all(r"\s+", " ").str.strip_chars())
        .with_columns(
            surname_f=pl.when(n > 1).then(words.list.first()),
            given_f=words.list.last(),
            given_1=words.list.last().str.slice(0, 1),
            surname_1=pl.when(n > 1).then(words.list.first().str.slice(0, 1)),
            middle_f=pl.when(n > 2).then(words.list.slice(1, n - 2).list.join(" ")),
            middle_last=pl.when(n > 2).then(words.list.get(-2, null_on_oob=True)),
            tokens=words.list.sort(),
            # First letters of every word, sorted: survives a typo (it keeps a word's first
            # letter) together with swapped words.
            initials=words.list.eval(pl.element().str.slice(0, 1)).list.sort().list.join(""),
            rest=pl.when(n > 1).then(words.list.slice(1).list.sort()).otherwise(words),
            # Middle and given name as written: how common the person's own order is.
            rest_key=pl.when(n > 2).then(words.list.slice(1).list.join(" ")),
            given_raw=pl.col("_raw").str.split(" ").list.last(),
            plain=pl.col("_f") == pl.col("_raw"),
            name_f=pl.col("_f"),
        )
        .drop("_f", "_raw")
    )
    return frame.join(parts, on="full_name", how="left", maintain_order="left", nulls_equal=True)


def people_features(
    people: pl.DataFrame, districts_of: dict[str, list[str]] | None = None
) -> pl.DataFrame:
    """Registry side. `people` has PEOPLE_COLUMNS; household members' folded names become
    `household_names` (compared with the legacy record's parents); `districts_of` gives each
    2025 commune the legacy districts it took wards from (addresses.LegacyGeo.districts_of)."""
    districts = pl.DataFrame(
        {
            "commune": list((districts_of or {}).keys()),
            "districts": list((districts_of or {}).values()),
        },
        schema={"commune": pl.Utf8, "districts": pl.List(pl.Utf8)},
    )
    base = (
        _name_features(people.select(PEOPLE_COLUMNS))
        .join(districts, on="commune", how="left", maintain_order="left")
        .with_columns(
            communes=pl.concat_list(pl.col("commune")),
            districts=pl.col("districts").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))),
        )
        .with_row_index("unique_id")
    )
    # One list per household, joined back: a member-by-member self-join (or taking each
    # person's own name out of the list) costs seconds on a million people. The person's own
    # name stays in it; a father or mother with exactly the child's full name is vanishingly
    # rare (the given name differs).
    households = (
        base.filter(pl.col("household_id").fill_null("") != "")
        .group_by("household_id")
        .agg(household_names=pl.col("name_f").unique().sort())
    )
    return (
        base.join(households, on="household_id", how="left")
        .with_columns(
            unique_id=pl.col("unique_id").cast(pl.Int64),
            birth_year=pl.col("birth_date").dt.year().cast(pl.Int32),
            # Blocks a legacy "surname middle" (words swapped, then the last one dropped:
            # "Nguyễn Đức" for Nguyễn Đức Công) on the person's last middle word.
            given_alt=pl.col("middle_last"),
            father_f=pl.lit(None, dtype=pl.Utf8),
            mother_f=pl.lit(None, dtype=pl.Utf8),
            personal_id=pl.col("personal_id").cast(pl.Utf8),
        )
        .pipe(with_local, 3)  # "<village>, <commune>, <province>"
        .sort("unique_id")
    )


def legacy_features(legacy: pl.DataFrame) -> pl.DataFrame:
    """Legacy side: `legacy` is validated (birth_date Date or null, birth_year Int32, commune
    the 2025 code of the old address or null)."""
    base = _name_features(legacy).with_row_index("unique_id", offset=10**9)
    parent = {
        name: pl.when(fold_expr(col) != "").then(fold_expr(col))
        for name, col in (("father_f", "father_name"), ("mother_f", "mother_name"))
    }
    base = base.with_columns(
        unique_id=pl.col("unique_id").cast(pl.Int64),
        household_names=pl.lit(None, dtype=pl.List(pl.Utf8)),
        given_alt=pl.col("given_f"),
        personal_id=pl.when(pl.col("personal_id").fill_null("") != "").then("personal_id"),
        **parent,
    ).with_columns(kin=pl.concat_list("father_f", "mother_f").list.drop_nulls())
    # "<village>, <ward>, <district>, <province>"
    return with_local(base, 4)


MODEL_COLUMNS = (
    "unique_id",
    "personal_id",
    "surname_f",
    "middle_f",
    "middle_last",
    "given_f",
    "given_alt",
    "given_raw",
    "given_1",
    "surname_1",
    "plain",
    "tokens",
    "initials",
    "rest",
    "rest_key",
    "sex",
    "birth_date",
    "birth_year",
    "commune",
    "communes",
    "districts",
    "local",
    "commune_local",
    "father_f",
    "mother_f",
    "household_names",
    "kin_pairs",
)


def _level(sql: str, label: str, m: float, u: float, **extra: Any) -> dict[str, Any]:
    return {
        "sql_condition": sql,
        "label_for_charts": label,
        "m_probability": m,
        "u_probability": u,
        **extra,
    }


def _null(sql: str) -> dict[str, Any]:
    return {"sql_condition": sql, "label_for_charts": "null", "is_null_level": True}


def _else(m: float, u: float) -> dict[str, Any]:
    return _level("ELSE", "else", m, u)


def comparisons() -> list[dict[str, Any]]:
    """Comparisons for Vietnamese names, birth dates, communes, IDs and parents.

    m values are fixed priors, not estimated at run time: how often a legacy record of the same
    person shows each level (district files: ~12 % typos, 40 % without marks, 8 % swapped
    words, 40 % year only, a few % wrong year or moved, 10 % wrong IDs). They were measured once
    with `estimate_m_from_pairwise_labels` on a hard generated sample drawn with another seed
    than the benchmark's, and rounded; replace them with figures from reviewed pairs once the
    review queue has enough. EM on a million-person registry is slow, and on a small file
    (one record) it has nothing to learn from. u values are estimated by random sampling;
    exact names and the commune carry term-frequency adjustments (Nguyễn, Thị, Anh, Linh, Hùng
    and big communes are common, so agreeing on them says little). The "else" levels carry
    small m: another name or a birth year two or more years off outweighs a right personal ID.
    """
    either_null = "{c}_l IS NULL OR {c}_r IS NULL"
    return [
        {
            "output_column_name": "surname",
            "comparison_levels": [
                _null(either_null.format(c="surname_f")),
                _level(
                    "surname_f_l = surname_f_r",
                    "exact",
                    0.97,
                    0.1,
                    tf_adjustment_column="surname_f",
                    tf_adjustment_weight=1.0,
                ),
                _level(
                    "jaro_winkler_similarity(surname_f_l, surname_f_r) >= 0.85",
                    "close",
                    0.025,
                    0.02,
                ),
                # Another surname altogether is rare for the same person (a word-order slip).
                _else(0.005, 0.88),
            ],
        },
        {
            "output_column_name": "given",
            "comparison_levels": [
                _null(either_null.format(c="given_f")),
                _level(
                    "given_f_l = given_f_r AND (given_raw_l = given_raw_r OR plain_l OR plain_r)",
                    "exact",
                    0.88,
                    0.02,
                    tf_adjustment_column="given_f",
                    tf_adjustment_weight=1.0,
                ),
                # Same letters, different marks, both written with marks: An ≠ Ân.
                _level("given_f_l = given_f_r", "marks differ", 0.006, 0.005),
                # Given and middle name swapped: the given name is among the other's words.
                _level(
                    "list_contains(rest_l, given_f_r) OR list_contains(rest_r, given_f_l)",
                    "swapped",
                    0.075,
                    0.01,
                ),
                _level("jaro_winkler_similarity(given_f_l, given_f_r) >= 0.88", "typo", 0.02, 0.02),
                _else(0.01, 0.945),
            ],
        },
        {
            "output_column_name": "middle",
            "comparison_levels": [
                # A missing middle name says nothing either way.
                _null(either_null.format(c="middle_f")),
                _level(
                    "middle_f_l = middle_f_r",
                    "exact",
                    0.88,
                    0.3,
                    tf_adjustment_column="middle_f",
                    tf_adjustment_weight=1.0,
                ),
                # The same words in another order: as likely by chance as the other side's own
                # order is common ("Minh Anh" and "Anh Minh" are both frequent names), so u is
                # that order's term frequency, not the tiny share of random reordered pairs.
                _level(
                    "list_sort(rest_l) = list_sort(rest_r)",
                    "reordered",
                    0.075,
                    0.005,
                    tf_adjustment_column="rest_key",
                    tf_adjustment_weight=1.0,
                    disable_tf_exact_match_detection=True,
                ),
                _level(
                    "jaro_winkler_similarity(middle_f_l, middle_f_r) >= 0.88", "typo", 0.025, 0.02
                ),
                _level(
                    "list_has_any(string_split(middle_f_l, ' '), string_split(middle_f_r, ' '))",
                    "overlap",
                    0.01,
                    0.1,
                ),
                _else(0.01, 0.6),
            ],
        },
        {
            "output_column_name": "birth",
            "comparison_levels": [
                _null(either_null.format(c="birth_year")),
                _level("birth_date_l = birth_date_r", "same date", 0.57, 0.0001),
                # Day and month transposed (03/04 for 04/03): a common clerical slip.
                _level(
                    "birth_year_l = birth_year_r AND month(birth_date_l) = day(birth_date_r)"
                    " AND day(birth_date_l) = month(birth_date_r)",
                    "day/month swapped",
                    0.006,
                    0.0001,
                ),
                _level(
                    "birth_date_l IS NOT NULL AND birth_date_r IS NOT NULL"
                    " AND birth_year_l = birth_year_r",
                    "same year, other date",
                    0.002,
                    0.012,
                ),
                _level("birth_year_l = birth_year_r", "year only", 0.39, 0.004),
                _level("abs(birth_year_l - birth_year_r) <= 1", "year ± 1", 0.03, 0.03),
                # Two or more years apart: almost never the same person.
                _else(0.002, 0.95),
            ],
        },
        {
            "output_column_name": "sex",
            "comparison_levels": [
                _null(either_null.format(c="sex")),
                _level("sex_l = sex_r", "exact", 0.995, 0.5),
                _else(0.005, 0.5),
            ],
        },
        {
            "output_column_name": "commune",
            "comparison_levels": [
                _null(either_null.format(c="commune")),
                # The village as well (it kept its name through the 2025 merger): a namesake
                # born the same year in the same commune lives in another village more often
                # than not. A quarter of the people have moved within the commune since, or
                # their village was renamed or merged. The weight is m over how common the
                # commune and village are together; a street address with its house number is
                # near unique, hence a floor.
                _level(
                    "commune_l = commune_r AND local_l = local_r",
                    "same commune and village",
                    0.68,
                    0.001,
                    tf_adjustment_column="commune_local",
                    tf_adjustment_weight=1.0,
                    tf_minimum_u_value=0.0001,
                    disable_tf_exact_match_detection=True,
                ),
                _level(
                    "commune_l = commune_r AND local_l IS NOT NULL AND local_r IS NOT NULL",
                    "same commune, another village",
                    0.22,
                    0.01,
                    tf_adjustment_column="commune",
                    tf_adjustment_weight=1.0,
                ),
                _level(
                    "commune_l = commune_r",
                    "same commune, a village unknown",
                    0.9,
                    0.01,
                    tf_adjustment_column="commune",
                    tf_adjustment_weight=1.0,
                ),
                # The old ward was split: the person lives in another of its successors.
                _level(
                    "list_contains(communes_l, commune_r) OR list_contains(communes_r, commune_l)",
                    "successor of the old ward",
                    0.05,
                    0.005,
                ),
                _level("list_has_any(districts_l, districts_r)", "same old district", 0.005, 0.05),
                _else(0.045, 0.935),
            ],
        },
        {
            "output_column_name": "personal_id",
            "comparison_levels": [
                _null(either_null.format(c="personal_id")),
                # Wrong IDs in legacy files are often another real person's: strong, not
                # decisive; a different name and birth year outweigh it (the else levels
                # above carry small m). u: someone else's record carries exactly this ID only
                # when its ID is wrong and happens to be this one, ~10^-7 per random pair;
                # 10^-5 is generous (0.001 before: a right ID with a missing middle name and a
                # year-only date stayed at p 0.1).
                _level(
                    "personal_id_l = personal_id_r", "exact", 0.8, 0.00001, fix_u_probability=True
                ),
                # One digit off (or two swapped): a typo of this person's ID. Two random IDs
                # share the 6-digit place/sex/year prefix and all but one of the 6 random
                # digits about once in 10^7 pairs; u is a conservative 10^-5 (as for exact).
                _level(
                    "damerau_levenshtein(personal_id_l, personal_id_r) <= 1",
                    "one digit",
                    0.05,
                    0.00001,
                    fix_u_probability=True,
                ),
                _level(
                    "damerau_levenshtein(personal_id_l, personal_id_r) <= 2",
                    "typo",
                    0.02,
                    0.001,
                    fix_u_probability=True,
                ),
                _else(0.13, 0.999),
            ],
        },
        {
            "output_column_name": "parents",
            "comparison_levels": [
                _null(
                    "coalesce(father_f_l, mother_f_l, father_f_r, mother_f_r) IS NULL"
                    " OR coalesce(len(household_names_l), 0)"
                    " + coalesce(len(household_names_r), 0) = 0"
                ),
                _level(
                    "list_contains(household_names_r, father_f_l)"
                    " OR list_contains(household_names_r, mother_f_l)"
                    " OR list_contains(household_names_l, father_f_r)"
                    " OR list_contains(household_names_l, mother_f_r)",
                    "parent in household",
                    0.95,
                    0.001,
                ),
                _else(0.05, 0.999),
            ],
        },
    ]


# Blocking: few rules, each tight (a handful of candidates per record) and each catching what
# the others miss when one field is wrong. Names are folded and the given name is the last
# word, so diacritics and middle names never break a block. `districts` (the old districts a
# 2025 commune took wards from; the legacy record's old district) is exploded: a split ward's
# record resolves to its default successor, which is often not the person's commune.
# (columns equal on both sides, arrays to explode, extra condition); the comment says what
# each rule rescues. Counted with splink's blocking analysis on 100k × 1M: 2.25M pairs for the
# first ten; the last three (two-error records) add about 0.3M.
# The first or the last middle word keeps its initial: a four-word name with its first middle
# word left out ("Từ Gia Nhi" for Từ Thị Gia Nhi) agrees on the last.
_SAME_MIDDLE_INITIAL = (
    "(l.middle_f IS NULL OR r.middle_f IS NULL OR left(l.middle_f, 1) = left(r.middle_f, 1)"
    " OR left(l.middle_last, 1) = left(r.middle_last, 1))"
)
BLOCKING_RULES: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (("personal_id",), (), ""),  # any name error, when the ID is right
    # address wrong or missing, moved
    (("surname_f", "given_f", "birth_year"), (), _SAME_MIDDLE_INITIAL),
    (("tokens", "birth_year"), (), ""),  # words swapped
    (("districts", "given_f", "birth_year"), ("districts",), _SAME_MIDDLE_INITIAL),  # surname typo
    # given-name typo (typos keep a word's first letter)
    (("districts", "surname_f", "given_1", "birth_year"), ("districts",), _SAME_MIDDLE_INITIAL),
    # birth year wrong by one
    (("districts", "tokens"), ("districts",), "abs(l.birth_year - r.birth_year) <= 1"),
    (("surname_f", "given_1", "birth_date"), (), ""),  # given-name typo and moved
    (("given_f", "birth_date"), (), ""),  # surname typo and moved
    # two errors at once: words swapped and a typo, typos in two words
    (("districts", "initials", "birth_year"), ("districts",), ""),
    (("initials", "birth_date"), (), ""),
    # words swapped, then the last dropped: the record's given name is the person's last middle
    # word (`given_alt`: the given name on the legacy side, the last middle word on the other)
    (("districts", "surname_f", "given_alt", "birth_year"), ("districts",), ""),
    (("surname_f", "given_alt", "birth_date"), (), ""),
    # a name error and the birth year off by one: a parent named on the record lives in the
    # person's household (pairs found by `_kin_pairs`)
    (("kin_pairs",), ("kin_pairs",), ""),
)


def blocking_rules() -> list[Any]:
    from splink.internals.blocking_rule_library import CustomRule

    return [
        CustomRule(
            " AND ".join([*(f"l.{c} = r.{c}" for c in cols), *([extra] if extra else [])]),
            arrays_to_explode=list(explode) or None,
        )
        for cols, explode, extra in BLOCKING_RULES
    ]


def settings(probability_two_random_records_match: float) -> dict[str, Any]:
    return {
        "link_type": "link_only",
        "unique_id_column_name": "unique_id",
        "probability_two_random_records_match": probability_two_random_records_match,
        "blocking_rules_to_generate_predictions": blocking_rules(),
        "comparisons": comparisons(),
        "retain_matching_columns": False,
        "retain_intermediate_calculation_columns": False,
        "max_iterations": 20,
        "em_convergence": 0.001,
    }


@dataclass
class Remembered:
    """What the database knows about earlier runs of the same source."""

    links: dict[str, str] = field(default_factory=dict)  # legacy_id → personal_id (kept)
    accepted: set[tuple[str, str]] = field(default_factory=set)  # reviewed: same person
    excluded: set[tuple[str, str]] = field(default_factory=set)  # rejected / not duplicate
    # personal_id → legacy_id of links held by other records of the same source
    taken: dict[str, str] = field(default_factory=dict)


@dataclass
class LinkResult:
    """One row per legacy record (OUTPUT_COLUMNS plus `method`) and the timings."""

    matches: pl.DataFrame
    timings: dict[str, float]
    pairs_scored: int


def _exact_id(people: pl.DataFrame, legacy: pl.DataFrame) -> pl.DataFrame:
    """Legacy records whose personal ID names a person with the same folded name (any word
    order) and birth year: linked with certainty."""
    return (
        legacy.filter(pl.col("personal_id").is_not_null())
        .select("legacy_id", "personal_id", "tokens", "birth_year")
        .join(
            people.select("personal_id", "tokens", "birth_year"),
            on="personal_id",
            suffix="_p",
        )
        .filter(
            (pl.col("tokens") == pl.col("tokens_p"))
            & (pl.col("birth_year") == pl.col("birth_year_p"))
        )
        .select("legacy_id", "personal_id")
    )


def link(
    people: pl.DataFrame,
    legacy: pl.DataFrame,
    *,
    thresholds: Thresholds,
    districts_of: dict[str, list[str]] | None = None,
    remembered: Remembered | None = None,
    seed: int = SEED,
    u_max_pairs: float = 1e6,
    em_max_pairs: float = 0,
    threads: int | None = None,
    memory_limit: str = "4GB",
    progress: Callable[[str], object] | None = None,
) -> LinkResult:
    """Link every legacy record to at most one person: exact IDs first, then the model."""
    remembered = remembered or Remembered()
    say = progress or (lambda _msg: None)
    timings: dict[str, float] = {}
    clock = time.monotonic()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        timings[name] = round(now - clock, 2)
        clock = now
        say(f"{name}: {timings[name]:.1f} s")

    p = people_features(people, districts_of)
    lg = legacy_features(legacy)
    lap("features")

    kept = pl.DataFrame(
        {"legacy_id": list(remembered.links), "personal_id": list(remembered.links.values())},
        schema={"legacy_id": pl.Utf8, "personal_id": pl.Utf8},
    )
    exact = _exact_id(p, lg.filter(~pl.col("legacy_id").is_in(kept["legacy_id"].implode())))
    if remembered.excluded:
        exact = exact.filter(
            ~pl.struct("legacy_id", "personal_id").is_in(
                pl.Series(
                    [{"legacy_id": a, "personal_id": b} for a, b in remembered.excluded]
                ).implode()
            )
        )
    settled = pl.concat([kept, exact]).get_column("legacy_id")
    rest = lg.filter(~pl.col("legacy_id").is_in(settled.implode()))
    lap("exact ids")

    scored = _score(
        p,
        rest,
        seed=seed,
        u_max_pairs=u_max_pairs,
        em_max_pairs=em_max_pairs,
        threads=threads,
        memory_limit=memory_limit,
        lap=lap,
    )
    pairs_scored = scored.height
    scored = scored.join(
        rest.select(pl.col("unique_id").alias("uid_legacy"), "legacy_id"), on="uid_legacy"
    ).join(p.select(pl.col("unique_id").alias("uid_person"), "personal_id"), on="uid_person")
    if remembered.excluded:
        excl = pl.DataFrame(
            list(remembered.excluded),
            schema={"legacy_id": pl.Utf8, "personal_id": pl.Utf8},
            orient="row",
        )
        scored = scored.join(excl, on=["legacy_id", "personal_id"], how="anti")
    if remembered.accepted:
        acc = pl.DataFrame(
            list(remembered.accepted),
            schema={"legacy_id": pl.Utf8, "personal_id": pl.Utf8},
            orient="row",
        )
        scored = scored.join(
            acc.with_columns(accepted=pl.lit(True)), on=["legacy_id", "personal_id"], how="left"
        )
    else:
        scored = scored.with_columns(accepted=pl.lit(None, dtype=pl.Boolean))
    ranked = scored.sort(
        ["legacy_id", "accepted", "match_probability", "personal_id"],
        descending=[False, True, True, False],
        nulls_last=True,
    ).with_columns(rank=pl.int_range(pl.len()).over("legacy_id"))
    best = ranked.filter(pl.col("rank") == 0)
    taken = dict(remembered.taken)
    for lid, pid in pl.concat([kept, exact]).iter_rows():
        taken.setdefault(pid, lid)
    # A runner-up already linked to another record of this source (by its ID, or kept) is not
    # a rival: one record per person and source.
    holders = pl.DataFrame(
        {"personal_id": list(taken), "holder": list(taken.values())},
        schema={"personal_id": pl.Utf8, "holder": pl.Utf8},
    )
    runner = dict(
        ranked.filter(pl.col("rank") > 0)
        .join(holders, on="personal_id", how="left")
        .filter(pl.col("holder").is_null() | (pl.col("holder") == pl.col("legacy_id")))
        .group_by("legacy_id")
        .agg(pl.col("match_probability").max())
        .iter_rows()
    )
    accepted_ids = set(best.filter(pl.col("accepted").fill_null(False))["legacy_id"].to_list())
    candidates = [
        Candidate(lid, pid, 1.0 if lid in accepted_ids else prob)
        for lid, pid, prob in best.select(
            "legacy_id", "personal_id", "match_probability"
        ).iter_rows()
    ]
    assigned = rules.assign(candidates, runner_up=runner, thresholds=thresholds, taken=taken)
    model_rows = pl.DataFrame(
        {
            "legacy_id": [a.legacy_id for a in assigned],
            "personal_id": [a.personal_id for a in assigned],
            "match_probability": [a.probability for a in assigned],
            "decision": [a.decision.value for a in assigned],
            "method": ["review" if a.legacy_id in accepted_ids else "model" for a in assigned],
        },
        schema=OUTPUT_SCHEMA,
    )
    fixed = pl.concat(
        [
            kept.with_columns(method=pl.lit("kept")),
            exact.with_columns(method=pl.lit("exact_id")),
        ]
    ).select(
        "legacy_id",
        "personal_id",
        match_probability=pl.lit(1.0),
        decision=pl.lit(Decision.LINKED.value),
        method="method",
    )
    found = pl.concat([fixed.cast(OUTPUT_SCHEMA), model_rows])  # type: ignore[arg-type]
    matches = (
        legacy.select("legacy_id")
        .join(found, on="legacy_id", how="left", maintain_order="left")
        .with_columns(
            personal_id=pl.col("personal_id").fill_null(""),
            match_probability=pl.col("match_probability").fill_null(0.0).round(6),
            decision=pl.col("decision").fill_null(Decision.UNMATCHED.value),
            method=pl.col("method").fill_null("model"),
        )
    )
    lap("decisions")
    return LinkResult(matches, timings, pairs_scored)


OUTPUT_SCHEMA: dict[str, pl.DataType] = {
    "legacy_id": pl.Utf8(),
    "personal_id": pl.Utf8(),
    "match_probability": pl.Float64(),
    "decision": pl.Utf8(),
    "method": pl.Utf8(),
}


def _kin_pairs(people: pl.DataFrame, legacy: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both frames with `kin_pairs`: ids of the pairs where a parent named on the legacy record
    (`kin`) is a member of the person's household, with the same surname and given-name
    initials and the birth year within one. Found here with one polars join, so that splink
    explodes a few short lists rather than every household's names (4 M rows on 1 M people,
    each carrying every blocking column: ~9 s of CPU)."""
    keys = ["kin", "surname_1", "given_1"]
    side = legacy.select("unique_id", *keys, "birth_year").explode("kin").drop_nulls(keys)
    pairs = (
        side.join(
            people.select(
                "unique_id", pl.col("household_names").alias("kin"), *keys[1:], "birth_year"
            )
            .explode("kin")
            .drop_nulls(keys)
            .filter(pl.col("kin").is_in(side["kin"].unique().implode())),
            on=keys,
            suffix="_p",
        )
        .filter((pl.col("birth_year") - pl.col("birth_year_p")).abs() <= 1)
        .select("unique_id", "unique_id_p")
        .unique()
        .sort("unique_id", "unique_id_p")  # stable pair ids: the run stays deterministic
        .with_row_index("pair")
        .with_columns(pl.col("pair").cast(pl.Int64))
    )
    empty = pl.lit([], dtype=pl.List(pl.Int64))

    def attach(frame: pl.DataFrame, uid: str) -> pl.DataFrame:
        lists = pairs.group_by(uid).agg(kin_pairs=pl.col("pair")).rename({uid: "unique_id"})
        return frame.join(lists, on="unique_id", how="left", maintain_order="left").with_columns(
            kin_pairs=pl.col("kin_pairs").fill_null(empty)
        )

    return attach(people, "unique_id_p"), attach(legacy, "unique_id")


def _score(
    people: pl.DataFrame,
    legacy: pl.DataFrame,
    *,
    seed: int,
    u_max_pairs: float,
    em_max_pairs: float,
    threads: int | None,
    memory_limit: str,
    lap: Callable[[str], None],
) -> pl.DataFrame:
    """Scored pairs (uid_legacy, uid_person, match_probability) above FLOOR_PROBABILITY."""
    empty = pl.DataFrame(
        schema={"uid_legacy": pl.Int64, "uid_person": pl.Int64, "match_probability": pl.Float64}
    )
    if legacy.is_empty() or people.is_empty():
        return empty
    from splink import DuckDBAPI, Linker
    from splink.internals.blocking_rule_library import block_on

    for name in ("splink", "duckdb"):
        logging.getLogger(name).setLevel(logging.WARNING)
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    people, legacy = _kin_pairs(people, legacy)
    people_in = people.select(MODEL_COLUMNS)  # noqa: F841 - read by DuckDB below
    legacy_in = legacy.select(MODEL_COLUMNS)  # noqa: F841
    con.execute("CREATE TABLE people_in AS SELECT * FROM people_in")
    con.execute("CREATE TABLE legacy_in AS SELECT * FROM legacy_in")
    api = DuckDBAPI(con)
    left = api.register("legacy_in", dataset_display_name="legacy")
    right = api.register("people_in", dataset_display_name="people")
    # Prior: at most one person per legacy record.
    prior = min(0.5, 1.0 / max(people.height, 1))
    linker = Linker([left, right], settings(prior), log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(
        # Small runs (tests, a single commune's file) need far fewer pairs for stable u.
        max_pairs=min(u_max_pairs, 20.0 * people.height),
        seed=seed,
        min_count_per_level=None,
        num_chunks=1,
    )
    lap("train u")
    if em_max_pairs > 0:
        # Optional: EM on one tight block refines m for the comparisons outside it. Off by
        # default: the fixed m priors are better than EM's estimate on the blocked sample.
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on("surname_f", "given_f", "birth_year"),
                max_pairs=em_max_pairs,
                estimate_without_term_frequencies=True,
            )
        except Exception as exc:
            log.warning("EM skipped: %s", exc)
        lap("train m (EM)")
    predictions = linker.inference.predict(
        threshold_match_probability=FLOOR_PROBABILITY, warning_mode="never"
    )
    table = predictions.physical_name
    frame = con.sql(
        f"SELECT CASE WHEN unique_id_l >= {10**9} THEN unique_id_l ELSE unique_id_r END"
        f" AS uid_legacy, CASE WHEN unique_id_l >= {10**9} THEN unique_id_r"
        f" ELSE unique_id_l END AS uid_person, match_probability FROM {table}"
    ).pl()
    lap("predict")
    con.close()
    scored: pl.DataFrame = frame.cast(empty.schema)
    return scored
