"""Pure decisions about persons: the personal ID number, names, dates. No ORM, no I/O.

Legal basis for the personal ID: Law on Identification 2023 (Luật Căn cước, No. 26/2023/QH15)
Art. 12 — 12 digits, assigned by the National Population Database. Its structure
`PPP S YY RRRRRR` comes from Decree 137/2015/NĐ-CP Art. 13, since replaced by Decree
70/2024/NĐ-CP, which no longer spells it out: decoding sex or birth year from the number is a
cross-check (a data-quality warning), never a reason to reject a record (domain-rules §5.3).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import polars as pl

from muster.core.errors import FieldError, InvalidInput
from muster.core.text import fold, nfc

PERSONAL_ID_LENGTH = 12
_TWELVE_DIGITS = re.compile(r"[0-9]{12}")
SEXES = ("M", "F")
EARLIEST_BIRTH_DATE = date(1900, 1, 1)

ID_SEX_MISMATCH = "ID_SEX_MISMATCH"
ID_BIRTH_YEAR_MISMATCH = "ID_BIRTH_YEAR_MISMATCH"
WARNING_CODES = (ID_SEX_MISMATCH, ID_BIRTH_YEAR_MISMATCH)
WARNING_SEPARATOR = ";"


@dataclass(frozen=True)
class PersonalIdParts:
    """The decoded parts of a personal ID (`PPP S YY RRRRRR`)."""

    place_code: str  # province or country code where the birth was registered
    century_sex_digit: int
    sex: str  # "M" | "F"
    century: int  # 1900, 2000, ... 2300
    birth_year: int  # century + YY
    serial: str  # the six random digits


def parse_personal_id(raw: str) -> PersonalIdParts:
    """Decode a personal ID number; raise InvalidInput on field "personal_id" if malformed.

    Law on Identification 2023 Art. 12: the number has exactly 12 digits. Digits 1–3 are the
    place of birth registration (province or country), digit 4 encodes century and sex (1900s
    male 0 / female 1, 2000s 2/3, 2100s 4/5, 2200s 6/7, 2300s 8/9), digits 5–6 are the last two
    digits of the birth year (Decree 137/2015/NĐ-CP Art. 13, structure kept by practice).
    """
    if not isinstance(raw, str) or not _TWELVE_DIGITS.fullmatch(raw):
        if isinstance(raw, str) and raw.isascii() and raw.isdigit():
            raise InvalidInput.single("personal_id", "PERSONAL_ID_LENGTH", {"count": len(raw)})
        shown = raw if isinstance(raw, str) else repr(raw)
        raise InvalidInput.single("personal_id", "PERSONAL_ID_FORMAT", {"value": shown})
    digit = int(raw[3])
    century = 1900 + (digit // 2) * 100
    return PersonalIdParts(
        place_code=raw[:3],
        century_sex_digit=digit,
        sex="M" if digit % 2 == 0 else "F",
        century=century,
        birth_year=century + int(raw[4:6]),
        serial=raw[6:],
    )


def is_personal_id(raw: str) -> bool:
    """True if `raw` has the shape of a personal ID (Law on Identification 2023 Art. 12)."""
    return bool(_TWELVE_DIGITS.fullmatch(raw))


def personal_id_warnings(personal_id: str, sex: str, birth_date: date) -> list[str]:
    """Codes for where the ID's encoded sex or birth year disagrees with the register fields.

    A mismatch is a data-quality warning, not a rejection: Decree 70/2024/NĐ-CP no longer
    defines the structure, and the register may correct a birth date without re-issuing the
    number (domain-rules §5.3). Malformed IDs yield no warnings here; parse them first.
    """
    try:
        parts = parse_personal_id(personal_id)
    except InvalidInput:
        return []
    warnings: list[str] = []
    if sex in SEXES and parts.sex != sex:
        warnings.append(ID_SEX_MISMATCH)
    if parts.birth_year != birth_date.year:
        warnings.append(ID_BIRTH_YEAR_MISMATCH)
    return warnings


def century_sex_digit(sex: str, birth_year: int) -> int:
    """Digit 4 of the personal ID for `sex` and `birth_year` (Decree 137/2015 Art. 13)."""
    if sex not in SEXES:
        raise InvalidInput.single("sex", "SEX_INVALID", {"value": sex})
    if not 1900 <= birth_year <= 2399:
        raise InvalidInput.single("birth_year", "BETWEEN", {"low": 1900, "high": 2399})
    return ((birth_year - 1900) // 100) * 2 + (1 if sex == "F" else 0)


def make_personal_id(place_code: str, sex: str, birth_year: int, serial: int) -> str:
    """Build a well-formed personal ID (`PPP S YY RRRRRR`) — for synthetic data and tests.

    Structure per Decree 137/2015/NĐ-CP Art. 13; real numbers are assigned by the Population
    Database (Law on Identification 2023 Art. 12), never by Muster.
    """
    if not re.fullmatch(r"[0-9]{3}", place_code):
        raise InvalidInput.single("place_code", "PLACE_CODE_FORMAT", {"value": place_code})
    if not 0 <= serial <= 999_999:
        raise InvalidInput.single("serial", "BETWEEN", {"low": 0, "high": 999_999})
    digit = century_sex_digit(sex, birth_year)
    return f"{place_code}{digit}{birth_year % 100:02d}{serial:06d}"


# --- characters a record may hold ----------------------------------------------------------

# Characters no name or other register text may hold, as (first, last, what they are): they
# are invisible or control a terminal, a printer or the direction of text, so a record holding
# them shows one thing and is another (Unicode Technical Report #36, Unicode Security
# Considerations, §2.4 bidirectional text spoofing; the "Trojan Source" attacks, CVE-2021-42574),
# and PostgreSQL cannot store U+0000 at all. Tab, line feed and carriage return are white space:
# single-line fields fold them into a space (core.text.nfc), notes keep them.
FORBIDDEN_CHARACTERS: tuple[tuple[int, int, str], ...] = (
    (0x00, 0x08, "a control character"),
    (0x0B, 0x0C, "a control character"),
    (0x0E, 0x1F, "a control character"),
    (0x7F, 0x9F, "a control character"),
    (0x200B, 0x200D, "a zero-width character"),
    (0x200E, 0x200F, "a bidirectional mark"),
    (0x202A, 0x202E, "a bidirectional override"),
    (0x2060, 0x2060, "a zero-width character"),
    (0x2066, 0x2069, "a bidirectional isolate"),
    (0xFEFF, 0xFEFF, "a zero-width character"),
    (0xFFFE, 0xFFFF, "a noncharacter"),
)
# Python strings may also hold lone surrogates (a JSON "\ud800"); UTF-8 text cannot.
_SURROGATES = (0xD800, 0xDFFF, "an unpaired surrogate")


def _class(ranges: tuple[tuple[int, int, str], ...], char: Callable[[int], str]) -> str:
    return (
        "["
        + "".join(
            char(first) if first == last else f"{char(first)}-{char(last)}"
            for first, last, _what in ranges
        )
        + "]"
    )


_FORBIDDEN = re.compile(_class((*FORBIDDEN_CHARACTERS, _SURROGATES), chr))
# The same class for polars (Rust's regex crate: \x{7F}), over text that is valid UTF-8.
FORBIDDEN_PATTERN = _class(FORBIDDEN_CHARACTERS, lambda code: f"\\x{{{code:X}}}")


@dataclass(frozen=True)
class CharacterProblem:
    """The first character of a text that no record may hold: "U+202E", at `position` (1-based)."""

    character: str
    position: int


def text_character_problem(text: str) -> CharacterProblem | None:
    """The first forbidden character of `text` and where it is, or None. The rule for names and
    every other text of a person's record, on every path that writes one (the pages, the
    imports, the extract ingest, the change feed, the legacy linkage): see
    FORBIDDEN_CHARACTERS. The character is named by its code point, never quoted."""
    found = _FORBIDDEN.search(text)
    if found is None:
        return None
    return CharacterProblem(f"U+{ord(found.group()):04X}", found.start() + 1)


def text_shown(text: str) -> str:
    """`text` with each forbidden character replaced by U+FFFD, to quote it in a report."""
    return _FORBIDDEN.sub("\ufffd", text)


def text_errors(field_name: str, text: str) -> list[FieldError]:
    """`text_character_problem` as the field's error, TEXT_FORBIDDEN_CHARACTER with the
    character and its position (empty when the text is clean)."""
    problem = text_character_problem(text)
    if problem is None:
        return []
    return [
        FieldError(
            field_name,
            "TEXT_FORBIDDEN_CHARACTER",
            {"character": problem.character, "position": problem.position},
        )
    ]


# --- names ------------------------------------------------------------------------------------


def normalise_name(raw: str) -> str:
    """NFC with single spaces; empty names and names with control, bidirectional or
    zero-width characters are refused (Law on Identification Art. 9: full name)."""
    errors = text_errors("full_name", raw or "")
    if errors:
        raise InvalidInput(errors)
    name = nfc(raw or "")
    if not name:
        raise InvalidInput.single("full_name", "REQUIRED")
    return name


def search_key(full_name: str) -> str:
    """Diacritic-free lower-case key: "Nguyễn Văn Đức" → "nguyen van duc"."""
    return fold(full_name)


def given_key(full_name: str) -> str:
    """Search key with the given name first: "Nguyễn Văn An" → "an nguyen van".

    Vietnamese names run family, middle, given; people are addressed and looked up by the
    given name, so it gets its own prefix-searchable key.
    """
    words = fold(full_name).split(" ")
    if len(words) < 2:
        return words[0]
    return " ".join([words[-1], *words[:-1]])


# --- dates and status -------------------------------------------------------------------------


def birth_date_errors(birth_date: date | None, *, today: date) -> list[FieldError]:
    """Birth date must be given, not in the future, and not before 1900.

    Law on Identification 2023 Art. 9(4): date of birth is a Population Database field; the
    personal ID's century digit starts at the 1900s (Decree 137/2015 Art. 13).
    """
    if birth_date is None:
        return [FieldError("birth_date", "REQUIRED")]
    if birth_date > today:
        return [FieldError("birth_date", "DATE_IN_FUTURE", {"day": birth_date})]
    if birth_date < EARLIEST_BIRTH_DATE:
        return [FieldError("birth_date", "DATE_BEFORE_1900", {"day": birth_date})]
    return []


def died_on_errors(
    life_status: str, died_on: date | None, birth_date: date | None, *, today: date
) -> list[FieldError]:
    """died_on is required when dead, forbidden when alive, never before birth or in the future.

    Law on Identification 2023 Art. 9(24): date of death is a Population Database field.
    """
    if life_status not in ("alive", "dead"):
        return [FieldError("life_status", "LIFE_STATUS_INVALID", {"value": life_status})]
    if life_status == "alive":
        if died_on is not None:
            return [FieldError("died_on", "DIED_ON_WHILE_ALIVE")]
        return []
    if died_on is None:
        return [FieldError("died_on", "DIED_ON_REQUIRED")]
    if died_on > today:
        return [FieldError("died_on", "DATE_IN_FUTURE", {"day": died_on})]
    if birth_date is not None and died_on < birth_date:
        return [FieldError("died_on", "DIED_BEFORE_BIRTH")]
    return []


def sex_errors(sex: str) -> list[FieldError]:
    """Sex must be M or F (Law on Identification 2023 Art. 9(5))."""
    if sex not in SEXES:
        return [FieldError("sex", "SEX_INVALID", {"value": sex})]
    return []


def personal_id_errors(personal_id: str) -> list[FieldError]:
    """The parse error of `personal_id` as a list (empty when well-formed)."""
    try:
        parse_personal_id(personal_id)
    except InvalidInput as exc:
        return exc.errors
    return []


def join_warnings(codes: list[str]) -> str:
    """Warning codes as stored in Person.id_warnings."""
    return WARNING_SEPARATOR.join(codes)


def split_warnings(stored: str) -> list[str]:
    """Person.id_warnings back into a list of codes."""
    return [code for code in stored.split(WARNING_SEPARATOR) if code]


# --- vectorised forms (polars expressions), for bulk loads and the demo generator ----------


def make_personal_id_expr(
    place_code: pl.Expr, sex: pl.Expr, birth_year: pl.Expr, serial: pl.Expr
) -> pl.Expr:
    """Column form of `make_personal_id`; inputs must already be valid (no checks here)."""
    digit = (birth_year - 1900) // 100 * 2 + pl.when(sex == "F").then(1).otherwise(0)
    return pl.concat_str(
        place_code.cast(pl.String).str.zfill(3),
        digit.cast(pl.String),
        (birth_year % 100).cast(pl.String).str.zfill(2),
        serial.cast(pl.String).str.zfill(6),
    )


def id_warnings_expr(personal_id: pl.Expr, sex: pl.Expr, birth_date: pl.Expr) -> pl.Expr:
    """Column form of `personal_id_warnings`, joined like Person.id_warnings ("" if none)."""
    digit = personal_id.str.slice(3, 1).cast(pl.Int32, strict=False)
    encoded_sex = pl.when(digit % 2 == 0).then(pl.lit("M")).otherwise(pl.lit("F"))
    encoded_year = 1900 + (digit // 2) * 100 + personal_id.str.slice(4, 2).cast(pl.Int32)
    sex_code = pl.when(encoded_sex != sex).then(pl.lit(ID_SEX_MISMATCH))
    year_code = pl.when(encoded_year != birth_date.dt.year().cast(pl.Int32)).then(
        pl.lit(ID_BIRTH_YEAR_MISMATCH)
    )
    return pl.concat_str(sex_code, year_code, separator=WARNING_SEPARATOR, ignore_nulls=True)


def normalise_text(raw: str) -> str:
    """NFC with single spaces (free-text fields such as a fact's value or source)."""
    return nfc(raw or "")


# --- the vulnerable groups the registry knows (Civil Defence Law 18/2023 Art. 2(4)) -------
# Counted per commune by `people.counts` for the readiness snapshots and civil defence's
# exposure alike; `civildefence.rules` names them too.

CHILD_UNDER = 16  # years: a child (CD Law Art. 2(4); Law on Children 2016 Art. 1)
OLDER_FROM = 60  # years: an older person (CD Law Art. 2(4); Law on the Elderly 2009 Art. 2)
MOBILITY_FACT = "mobility_need"  # models.FactKind.MOBILITY_NEED: the latest "yes" flags one
MOBILITY_YES = "yes"


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def vulnerable_birth_bounds(day: date) -> tuple[date, date]:
    """(children born after this day are under 16 on `day`, people born on or before this day
    are 60 or over on `day`) — the vulnerable groups by age (CD Law Art. 2(4))."""
    return years_before(day, CHILD_UNDER), years_before(day, OLDER_FROM)
