"""Table-driven tests of people.rules (no database).

Legal basis: Law on Identification 2023 (26/2023/QH15) Art. 12 — 12 digits; structure
PPP S YY RRRRRR from Decree 137/2015/NĐ-CP Art. 13 (domain-rules §5.3).
"""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from muster.core.errors import InvalidInput
from muster.people import rules

TODAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("raw", "place", "sex", "birth_year"),
    [
        ("001090000001", "001", "M", 1990),  # 1900s male: 0
        ("079185123456", "079", "F", 1985),  # 1900s female: 1
        ("036205000042", "036", "M", 2005),  # 2000s male: 2
        ("001399999999", "001", "F", 2099),  # 2000s female: 3
        ("001400000000", "001", "M", 2100),  # 2100s: 4/5
        ("001512000000", "001", "F", 2112),
        ("001601000000", "001", "M", 2201),  # 2200s: 6/7
        ("001750000000", "001", "F", 2250),
        ("001800000000", "001", "M", 2300),  # 2300s: 8/9
        ("001999000000", "001", "F", 2399),
    ],
)
def test_parse_personal_id_decodes_century_sex_and_year(raw, place, sex, birth_year):
    parts = rules.parse_personal_id(raw)
    assert (parts.place_code, parts.sex, parts.birth_year) == (place, sex, birth_year)
    assert parts.serial == raw[6:]


@pytest.mark.parametrize(
    ("raw", "code", "params"),
    [
        ("", "PERSONAL_ID_FORMAT", {"value": ""}),
        ("00109000000", "PERSONAL_ID_LENGTH", {"count": 11}),  # old 9-digit-era style typo
        ("0010900000012", "PERSONAL_ID_LENGTH", {"count": 13}),
        ("00109000000A", "PERSONAL_ID_FORMAT", {"value": "00109000000A"}),
        ("001 09000000", "PERSONAL_ID_FORMAT", {"value": "001 09000000"}),
        # Full-width digits are not 0-9.
        ("００１０９００００００１", "PERSONAL_ID_FORMAT", {"value": "００１０９００００００１"}),
        (" 001090000001", "PERSONAL_ID_FORMAT", {"value": " 001090000001"}),
    ],
)
def test_parse_personal_id_rejects_malformed(raw, code, params):
    with pytest.raises(InvalidInput) as exc:
        rules.parse_personal_id(raw)
    error = exc.value.errors[0]
    assert (error.field, error.code, error.params) == ("personal_id", code, params)


@pytest.mark.parametrize(
    ("pid", "sex", "birth", "expected"),
    [
        ("001090000001", "M", date(1990, 4, 1), []),
        ("001190000001", "F", date(1990, 4, 1), []),
        ("001090000001", "F", date(1990, 4, 1), ["ID_SEX_MISMATCH"]),
        ("001090000001", "M", date(1991, 4, 1), ["ID_BIRTH_YEAR_MISMATCH"]),
        # Same YY, wrong century is a year mismatch too.
        ("001290000001", "M", date(1990, 4, 1), ["ID_BIRTH_YEAR_MISMATCH"]),
        ("001305000001", "M", date(2006, 1, 1), ["ID_SEX_MISMATCH", "ID_BIRTH_YEAR_MISMATCH"]),
        ("bad", "M", date(1990, 1, 1), []),  # malformed IDs are refused elsewhere
    ],
)
def test_personal_id_warnings(pid, sex, birth, expected):
    assert rules.personal_id_warnings(pid, sex, birth) == expected


def test_id_warnings_expr_agrees_with_the_scalar_rule():
    cases = [
        ("001090000001", "M", date(1990, 4, 1)),
        ("001090000001", "F", date(1990, 4, 1)),
        ("001090000001", "M", date(1991, 4, 1)),
        ("001305000001", "M", date(2006, 1, 1)),
        ("001205000001", "M", date(2005, 1, 1)),
    ]
    frame = pl.DataFrame(cases, schema=["pid", "sex", "birth"], orient="row")
    got = frame.select(
        rules.id_warnings_expr(pl.col("pid"), pl.col("sex"), pl.col("birth"))
    ).to_series()
    assert got.to_list() == [rules.join_warnings(rules.personal_id_warnings(*c)) for c in cases]


@pytest.mark.parametrize(
    ("place", "sex", "year", "serial", "expected"),
    [
        ("001", "M", 1990, 1, "001090000001"),
        ("079", "F", 1985, 123456, "079185123456"),
        ("036", "M", 2005, 42, "036205000042"),
        ("036", "F", 2100, 0, "036500000000"),
    ],
)
def test_make_personal_id_round_trips(place, sex, year, serial, expected):
    pid = rules.make_personal_id(place, sex, year, serial)
    assert pid == expected
    parts = rules.parse_personal_id(pid)
    assert (parts.place_code, parts.sex, parts.birth_year) == (place, sex, year)
    vectorised = pl.DataFrame({"p": [place], "s": [sex], "y": [year], "n": [serial]}).select(
        rules.make_personal_id_expr(pl.col("p"), pl.col("s"), pl.col("y"), pl.col("n"))
    )
    assert vectorised.item() == expected


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("01", "M", 1990, 1), "place_code"),
        (("001", "X", 1990, 1), "sex"),
        (("001", "M", 1899, 1), "birth_year"),
        (("001", "M", 2400, 1), "birth_year"),
        (("001", "M", 1990, 1_000_000), "serial"),
    ],
)
def test_make_personal_id_refuses_impossible_parts(args, field):
    with pytest.raises(InvalidInput) as exc:
        rules.make_personal_id(*args)
    assert exc.value.errors[0].field == field


@pytest.mark.parametrize(
    ("raw", "name", "key", "given"),
    [
        ("Nguyễn Văn An", "Nguyễn Văn An", "nguyen van an", "an nguyen van"),
        ("  Trần   Thị\tHương ", "Trần Thị Hương", "tran thi huong", "huong tran thi"),
        ("ĐẶNG ĐỨC", "ĐẶNG ĐỨC", "dang duc", "duc dang"),
        # Decomposed input (NFD) comes out NFC.
        ("Le\u0302 Va\u0306n Bi\u0300nh", "Lê Văn Bình", "le van binh", "binh le van"),
        ("Mai", "Mai", "mai", "mai"),
    ],
)
def test_name_keys(raw, name, key, given):
    assert rules.normalise_name(raw) == name
    assert rules.search_key(name) == key
    assert rules.given_key(name) == given


@pytest.mark.parametrize("raw", ["", "   ", "\t\n"])
def test_empty_name_is_refused(raw):
    with pytest.raises(InvalidInput) as exc:
        rules.normalise_name(raw)
    assert exc.value.errors[0].field == "full_name"


@pytest.mark.parametrize(
    ("birth", "code"),
    [
        (date(2000, 1, 1), None),
        (TODAY, None),
        (date(1900, 1, 1), None),
        (date(2026, 3, 2), "DATE_IN_FUTURE"),
        (date(1899, 12, 31), "DATE_BEFORE_1900"),
        (None, "REQUIRED"),
    ],
)
def test_birth_date_errors(birth, code):
    errors = rules.birth_date_errors(birth, today=TODAY)
    if code is None:
        assert errors == []
    else:
        assert (errors[0].field, errors[0].code) == ("birth_date", code)


@pytest.mark.parametrize(
    ("status", "died", "birth", "field", "code"),
    [
        ("alive", None, date(1990, 1, 1), None, None),
        ("dead", date(2020, 1, 1), date(1990, 1, 1), None, None),
        ("dead", date(1990, 1, 1), date(1990, 1, 1), None, None),  # died the day of birth
        ("alive", date(2020, 1, 1), date(1990, 1, 1), "died_on", "DIED_ON_WHILE_ALIVE"),
        ("dead", None, date(1990, 1, 1), "died_on", "DIED_ON_REQUIRED"),
        ("dead", date(1989, 12, 31), date(1990, 1, 1), "died_on", "DIED_BEFORE_BIRTH"),
        ("dead", date(2026, 3, 2), date(1990, 1, 1), "died_on", "DATE_IN_FUTURE"),
        ("missing", None, date(1990, 1, 1), "life_status", "LIFE_STATUS_INVALID"),
    ],
)
def test_died_on_errors(status, died, birth, field, code):
    errors = rules.died_on_errors(status, died, birth, today=TODAY)
    if field is None:
        assert errors == []
    else:
        assert (errors[0].field, errors[0].code) == (field, code)


@pytest.mark.parametrize(("sex", "ok"), [("M", True), ("F", True), ("m", False), ("X", False)])
def test_sex_errors(sex, ok):
    assert (rules.sex_errors(sex) == []) is ok


def test_warnings_round_trip_through_storage():
    codes = [rules.ID_SEX_MISMATCH, rules.ID_BIRTH_YEAR_MISMATCH]
    assert rules.split_warnings(rules.join_warnings(codes)) == codes
    assert rules.split_warnings("") == []


# Unicode TR #36 §2.4, CVE-2021-42574 ("Trojan Source"); PostgreSQL cannot store U+0000.
CHARACTER_CASES = [
    ("Nguyễn Văn An", None),
    ("Hà Thị Mỹ Duyên", None),
    ("Lò Văn Páo", None),
    ("Trần\tThị\nHương\r", None),  # white space: folded into spaces where a field is one line
    ("O'Brien-Smith", None),
    ('=HYPERLINK("x")', None),  # a formula is text; exports neutralise it (core.exports)
    ("An\x00", ("U+0000", 3)),
    ("\x1b[31mAn", ("U+001B", 1)),
    ("An\x07", ("U+0007", 3)),
    ("An\x0b", ("U+000B", 3)),
    ("An\x7f", ("U+007F", 3)),
    ("An\x85", ("U+0085", 3)),
    ("An\u202eBình", ("U+202E", 3)),
    ("\u202aAn", ("U+202A", 1)),
    ("An\u2066x\u2069", ("U+2066", 3)),
    ("A\u200fn", ("U+200F", 2)),
    ("Ngu\u200byễn", ("U+200B", 4)),
    ("An\u200d", ("U+200D", 3)),
    ("An\ufeffBình", ("U+FEFF", 3)),
    ("An\ud800", ("U+D800", 3)),
]


@pytest.mark.parametrize(("text", "problem"), CHARACTER_CASES)
def test_text_character_problem(text, problem):
    found = rules.text_character_problem(text)
    if problem is None:
        assert found is None
    else:
        assert found is not None
        assert (found.character, found.position) == problem


@pytest.mark.parametrize(("text", "problem"), CHARACTER_CASES)
def test_names_with_such_characters_are_refused(text, problem):
    if problem is None:
        assert rules.normalise_name(text)
        return
    with pytest.raises(InvalidInput) as exc:
        rules.normalise_name(text)
    character, position = problem
    assert [(e.field, e.code, e.params) for e in exc.value.errors] == [
        ("full_name", "TEXT_FORBIDDEN_CHARACTER", {"character": character, "position": position})
    ]


def test_the_polars_pattern_is_the_same_rule():
    texts = [text for text, _problem in CHARACTER_CASES if "\ud800" not in text]
    flagged = pl.Series(texts).str.contains(rules.FORBIDDEN_PATTERN).to_list()
    assert flagged == [rules.text_character_problem(t) is not None for t in texts]
