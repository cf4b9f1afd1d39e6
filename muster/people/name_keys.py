"""Name keys of a whole column at once: what `people.rules` computes for one name.

`_name` is `core.text.nfc`, `search_key` is `core.text.fold` (`rules.search_key`) and
`given_key` is `rules.given_key`. Polars computes them in Rust on all rows, without the GIL,
for names written only in SAFE characters, where its normalisation, case mapping and white
space agree with Python's (character data stable across Unicode versions, no exotic spaces or
marks). Any other name, rare in a register, goes through the Python rules themselves, so
both paths give the same keys for every name.
"""

from __future__ import annotations

import polars as pl

from muster.core.text import fold, nfc
from muster.people import rules

# ASCII, Latin-1 and Latin Extended-A/B letters, the combining diacritics, and Latin Extended
# Additional, which holds Vietnamese's precomposed letters.
SAFE = r"^[\t\n\x0b\x0c\r\x20-\x7e\u00c0-\u024f\u0300-\u036f\u1e00-\u1eff]*$"
# After NFD of SAFE text, the marks `unicodedata.combining` counts: all of U+0300–U+036F but
# U+034F (combining grapheme joiner, combining class 0).
MARKS = "[\u0300-\u034e\u0350-\u036f]"
COLUMNS = ("_name", "search_key", "given_key")


def _polars_keys(raw: pl.Expr) -> list[pl.Expr]:
    clean = raw.str.normalize("NFC").str.replace_all(r"\s+", " ").str.strip_chars()
    # đ/Đ are letters of their own, not a d with a mark, so NFD leaves them (as core.text).
    key = (
        clean.str.replace_all("[đĐ]", "d")
        .str.normalize("NFD")
        .str.replace_all(MARKS, "")
        .str.to_lowercase()
    )
    # rules.given_key: the last word first, then the others.
    given = key.str.replace(r"^(.*) ([^ ]*)$", "$2 $1")
    return [clean.alias("_name"), key.alias("search_key"), given.alias("given_key")]


def _keyed(distinct: pl.DataFrame) -> pl.DataFrame:
    """`full_name` and its keys, for a frame of distinct names."""
    safe = pl.col("full_name").str.contains(SAFE)
    keyed = distinct.filter(safe).with_columns(_polars_keys(pl.col("full_name")))
    unsafe = distinct.filter(~safe)["full_name"]
    if unsafe.is_empty():
        return keyed
    others = pl.DataFrame(
        [(raw, nfc(raw), fold(raw), rules.given_key(raw)) for raw in unsafe],
        schema=keyed.schema,
        orient="row",
    )
    return pl.concat([keyed, others])


class NameKeys:
    """`_name`, `search_key` and `given_key` of each name, row for row (null for null), for
    the batches of one load, remembering up to LIMIT names between them.

    Names repeat: a batch of 25,000 people holds about 13,000 distinct names, a million people
    about 120,000. Remembering them keys each name once per load instead of once per batch
    (a million rows: 1.2 s → 0.6 s). Past LIMIT only the last batch's names are kept.
    """

    LIMIT = 200_000

    def __init__(self) -> None:
        self._known = pl.DataFrame(schema=dict.fromkeys(("full_name", *COLUMNS), pl.String))

    def __call__(self, names: pl.Series) -> pl.DataFrame:
        frame = names.cast(pl.String).to_frame("full_name")
        distinct = frame.drop_nulls().unique()
        seen = self._known.join(distinct, on="full_name", how="semi")
        new = _keyed(distinct.join(seen, on="full_name", how="anti"))
        if self._known.height + new.height > self.LIMIT:
            self._known = seen
        # The new keys copied out: as slices they would keep every batch's strings alive.
        compact = pl.from_arrow(new.to_arrow(compat_level=pl.CompatLevel.oldest()))
        assert isinstance(compact, pl.DataFrame)
        self._known = pl.concat([self._known, compact])
        keys = pl.concat([seen, new])
        return frame.join(keys, on="full_name", how="left", maintain_order="left").select(COLUMNS)
