"""Linkage features in polars: folded names (surname, middle, given, word tokens, initials),
household names and parents, the village of the address; `people_features` for the registry
side, `legacy_features` for the legacy records."""

from __future__ import annotations

import polars as pl

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
