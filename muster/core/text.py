"""Vietnamese text helpers: NFC normalisation and diacritic folding for search keys."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# đ/Đ are letters of their own, not a d with a combining mark, so NFD leaves them.
_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "d"})


def nfc(text: str) -> str:
    """NFC form with runs of white space folded to one space."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def fold(text: str) -> str:
    """Lower-case, diacritic-free form: "Nguyễn Văn Đức" -> "nguyen van duc"."""
    decomposed = unicodedata.normalize("NFD", nfc(text).translate(_FOLD_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.lower()


# --- Vietnamese alphabetical order ----------------------------------------------------------
# The alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, with the letters of
# foreign names (f j w z) where the Latin alphabet has them. A letter with a breve, circumflex or
# horn is a letter of its own (primary difference); the five tones are secondary differences
# in the order huyền, hỏi, ngã, sắc, nặng; case is tertiary, lower first. This is the order of
# ICU's `vi` collation (CLDR), which PostgreSQL uses as `vi_icu` (core.collation).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_MARKS = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Space sorts before punctuation, punctuation before digits, digits before letters (as ICU).
_PUNCTUATION = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$"
_SEPARATOR = "\x01"  # below every weight: a shorter string sorts first


def _primary(letter: str) -> str:
    if letter.isspace():
        return "\x02"
    index = _PUNCTUATION.find(letter)
    if index >= 0:
        return chr(0x03 + index)
    if "0" <= letter <= "9":
        return chr(0x30 + ord(letter) - ord("0"))
    index = _ALPHABET.find(letter)
    if index >= 0:
        return chr(0x41 + index)
    return chr(0x100 + ord(letter))  # anything else after the letters, by code point


def vi_sort_key(text: str) -> str:
    """A key whose plain code-point order is Vietnamese alphabetical order: "An" < "Ăn" <
    "Ân" < "Bình" < "Dũng" < "Đức". Compare keys as strings (Python, or a `COLLATE "C"`
    column); three levels separated by \\x01: letters, then tones, then case."""
    primary: list[str] = []
    secondary: list[str] = []
    tertiary: list[str] = []
    decomposed = unicodedata.normalize("NFD", text)
    index, length = 0, len(decomposed)
    while index < length:
        base = decomposed[index]
        index += 1
        marks = []
        while index < length and unicodedata.combining(decomposed[index]):
            marks.append(decomposed[index])
            index += 1
        letter = base.lower()
        tone = 0
        for mark in marks:
            if (letter, mark) in _LETTER_MARKS:
                letter = _LETTER_MARKS[(letter, mark)]
            else:
                tone = max(tone, _TONES.get(mark, 6 + ord(mark) % 64))
        primary.append(_primary(letter))
        secondary.append(chr(0x21 + tone))
        tertiary.append("\x22" if base != base.lower() else "\x21")
    return _SEPARATOR.join(("".join(primary), "".join(secondary), "".join(tertiary)))
