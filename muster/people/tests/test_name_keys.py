"""people.name_keys: whole-column name keys equal to the single-name rules (people.rules)."""

from __future__ import annotations

import polars as pl
import pytest

from muster.core.text import fold, nfc
from muster.people import rules
from muster.people.name_keys import NameKeys


@pytest.mark.parametrize(
    "name",
    [
        "Nguyễn Văn Đức",
        "  LÊ   Thị  Hà ",
        "Đặng Ḿ Ǹ x̃",
        "Trần",
        "Ông Ả Phủ",
        "Ａｂｃ ﬁ",  # compatibility forms are not folded by either
        "A\u0334\u0335B",  # overlay marks (combining class 1)
        "Hơ\u0300 Niê",  # decomposed input
        "Y Moan Êban",
    ],
)
def test_name_keys_match_the_single_row_rules(name):
    keys = NameKeys()(pl.Series([name, None]))
    assert keys.row(0) == (nfc(name), fold(name), rules.given_key(name))
    assert keys.row(1) == (None, None, None)


def test_name_keys_agree_with_the_rules_for_every_character():
    """Each BMP character inside a name and at its end: the polars path (Latin letters) and
    the Python fallback (everything else) give what rules.search_key/given_key give."""
    names = [f"a{chr(c)}b c{chr(c)}" for c in range(1, 0x10000) if not 0xD800 <= c < 0xE000]
    names += [f"{chr(c)} x" for c in range(0x300, 0x370)]  # a mark before a space
    keys = NameKeys()(pl.Series(names))
    wrong = [
        name
        for name, row in zip(names, keys.iter_rows(), strict=True)
        if row != (nfc(name), fold(name), rules.given_key(name))
    ]
    assert wrong == []


def test_a_load_keys_each_name_once_and_gives_every_batch_its_keys(monkeypatch):
    from muster.people import name_keys as module

    keyed: list[int] = []
    original = module._keyed

    def counting(distinct: pl.DataFrame) -> pl.DataFrame:
        keyed.append(distinct.height)
        return original(distinct)

    monkeypatch.setattr(module, "_keyed", counting)
    names = NameKeys()
    first = names(pl.Series(["Lê Văn An", "Trần Thị Bé", "Lê Văn An", None]))
    second = names(pl.Series(["Trần Thị Bé", "Đỗ Hà", None, "Lê Văn An"]))
    assert keyed == [2, 1]  # names seen in the first batch are not keyed again; nulls never
    assert first.equals(NameKeys()(pl.Series(["Lê Văn An", "Trần Thị Bé", "Lê Văn An", None])))
    assert second.equals(NameKeys()(pl.Series(["Trần Thị Bé", "Đỗ Hà", None, "Lê Văn An"])))


def test_past_the_limit_only_the_last_batch_is_remembered(monkeypatch):
    monkeypatch.setattr(NameKeys, "LIMIT", 3)
    names = NameKeys()
    names(pl.Series(["A", "B"]))
    kept = names(pl.Series(["B", "C", "D"]))  # 2 known + 2 new > 3: keep this batch's names
    assert sorted(names._known["full_name"]) == ["B", "C", "D"]
    assert kept["search_key"].to_list() == ["b", "c", "d"]
