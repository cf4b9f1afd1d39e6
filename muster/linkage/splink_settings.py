"""The Splink model's settings: comparisons for Vietnamese names, birth dates, communes, IDs and
parents (fixed m priors, term-frequency adjustments) and the blocking rules."""

from __future__ import annotations

from typing import Any

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
                    " OR coalesce(array_length(household_names_l), 0)"
                    " + coalesce(array_length(household_names_r), 0) = 0"
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


def blocking_rules(sql_dialect: str | None = None) -> list[Any]:
    """The rules as Splink's; `sql_dialect="duckdb"` tells another backend (Spark) to
    transpile them."""
    from splink.internals.blocking_rule_library import CustomRule

    return [
        CustomRule(
            " AND ".join([*(f"l.{c} = r.{c}" for c in cols), *([extra] if extra else [])]),
            sql_dialect=sql_dialect,
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
