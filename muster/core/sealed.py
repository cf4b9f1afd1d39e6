"""Sensitive data sealed at rest with the data key ring (`core.keys`), kept apart from the
database; what is sealed and what stays in clear is listed in docs/security.md.

Three forms, each naming the key that made it so `muster keys rotate` finds (set-based) what
is not yet under the newest key:

- **values** (`seal`/`unseal`, `seal_text`/`unseal_text`, `SealedTextField`): `KID$TOKEN`, a
  Fernet token (AES-128-CBC + HMAC-SHA256, random IV) under key KID. Tokens of the first
  release, without `KID$`, were made with a key derived from SECRET_KEY and still open.
- **codes** (`code_token`, `code_of`, `SealedCodeField`, `SealedCodesField`): a code that
  reveals a sealed fact (drug addiction, a criminal-procedure bar) is stored as
  `S.KID.HEX`, a keyed pseudonym (HMAC-SHA256 of the code, 48 bits). Equal codes give equal
  pseudonyms, so the set-based candidate list still groups, compares and joins on them and
  maps them back in Python at no measurable cost; what that leaves visible is in
  docs/security.md.
- **files** (`seal_bytes`/`unseal_bytes`): `MUSTER-SEALED-1 KID\n` + a Fernet token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

from muster.core.keys import DataKey, data_keyring

_LEGACY_PURPOSE = b"muster sealed fields v1"
LEGACY_KID = "legacy"
VALUE_SEPARATOR = "$"
CODE_PREFIX = "S."
FILE_MAGIC = b"MUSTER-SEALED-1 "


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=purpose).derive(secret)


@lru_cache(maxsize=16)
def _fernet(key: DataKey) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(key.secret, b"muster sealed values v2")))


@lru_cache(maxsize=4)
def _legacy_fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(secret.encode(), _LEGACY_PURPOSE)))


def _fernet_of(kid: str) -> Fernet:
    if kid == LEGACY_KID:
        return _legacy_fernet(settings.SECRET_KEY)
    return _fernet(data_keyring().get(kid))


# ── Values ─────────────────────────────────────────────────────────────────────────────────


def seal_raw(payload: bytes) -> str:
    key = data_keyring().newest
    return f"{key.kid}{VALUE_SEPARATOR}{_fernet(key).encrypt(payload).decode('ascii')}"


def value_kid(token: str) -> str | None:
    """The key a sealed value was made with (LEGACY_KID for the first release's); None: clear."""
    if not token:
        return None
    kid, separator, rest = token.partition(VALUE_SEPARATOR)
    if separator and rest.startswith("gAAAAA"):
        return kid
    return LEGACY_KID if token.startswith("gAAAAA") else None


def unseal_raw(token: str) -> bytes:
    kid = value_kid(token)
    if kid is None:
        raise ValueError("not a sealed value")
    body = token if kid == LEGACY_KID else token.partition(VALUE_SEPARATOR)[2]
    try:
        return _fernet_of(kid).decrypt(body.encode("ascii"))
    except InvalidToken as exc:
        raise ValueError(f"sealed value does not verify with data key {kid!r}") from exc


def seal(values: dict[str, Any]) -> str:
    """The sealed token of a JSON-serialisable mapping."""
    return seal_raw(json.dumps(values, sort_keys=True, separators=(",", ":")).encode())


def unseal(token: str) -> dict[str, Any]:
    """The mapping sealed in `token` ({} for an empty one); ValueError if it does not open."""
    if not token:
        return {}
    values: dict[str, Any] = json.loads(unseal_raw(token))
    return values


def seal_text(text: str) -> str:
    """A sealed text; the empty text stays empty (nothing to hide, and cheap to test for)."""
    return seal_raw(text.encode()) if text else ""


def unseal_text(stored: str) -> str:
    """The text of `seal_text`; a value never sealed (written before sealing) as it is."""
    if value_kid(stored) is None:
        return stored
    return unseal_raw(stored).decode()


def reseal(token: str) -> str:
    """`token` under the newest key (unchanged when it already is); clear text gets sealed."""
    if not token:
        return token
    kid = value_kid(token)
    if kid == data_keyring().newest.kid:
        return token
    return seal_raw(token.encode() if kid is None else unseal_raw(token))


# ── Codes ──────────────────────────────────────────────────────────────────────────────────


@lru_cache(maxsize=16)
def _code_key(key: DataKey) -> bytes:
    return _derive(key.secret, b"muster sealed codes v1")


def code_token(code: str, key: DataKey | None = None) -> str:
    """The pseudonym of a sealed code under `key` (default: the newest)."""
    key = key or data_keyring().newest
    digest = hmac.digest(_code_key(key), code.encode(), hashlib.sha256)
    return f"{CODE_PREFIX}{key.kid}.{digest[:6].hex()}"


def is_code_token(value: str) -> bool:
    return value.startswith(CODE_PREFIX)


def code_table(codes: Iterable[str]) -> dict[str, str]:
    """Pseudonym → code for `codes` under every key of the ring (to read any row)."""
    ring = data_keyring()
    return {code_token(code, key): code for code in codes for key in ring.keys}


class SealedCodes:
    """The codes of one column that are stored as pseudonyms (the rest stay in clear)."""

    def __init__(self, codes: Iterable[str]) -> None:
        self.codes = frozenset(codes)

    def table(self) -> dict[str, str]:
        return _code_table_cached(self.codes, data_keyring())

    def store(self, code: str) -> str:
        return code_token(code) if code in self.codes else code

    def read(self, stored: str) -> str:
        if not is_code_token(stored):
            return stored
        try:
            return self.table()[stored]
        except KeyError as exc:
            raise ValueError(f"sealed code {stored!r} opens with no key of the ring") from exc

    def store_list(self, codes: str) -> str:
        return ";".join(self.store(code) for code in codes.split(";")) if codes else codes

    def read_list(self, stored: str) -> str:
        if CODE_PREFIX not in stored:
            return stored
        return ";".join(self.read(code) for code in stored.split(";"))


@lru_cache(maxsize=16)
def _code_table_cached(codes: frozenset[str], ring: Any) -> dict[str, str]:
    return code_table(sorted(codes))


class SealedValueField(models.TextField):  # type: ignore[type-arg]
    """A column of `seal()` tokens the owning code seals and opens itself (a mapping of
    measurements): marked so `muster keys rotate` and docs/security.md find it."""


class SealedFileField(models.FileField):
    """Files stored as `seal_bytes` (mode 0600), opened only by the views that check scope."""


class SealedTextField(models.TextField):  # type: ignore[type-arg]
    """A text sealed at rest: the model reads and writes clear text, the column holds
    `KID$TOKEN`. Not searchable (no one filters notes)."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else unseal_text(value)

    def get_prep_value(self, value: Any) -> Any:
        # The model always holds clear text (from_db_value opens it), so every write seals.
        value = super().get_prep_value(value)
        return seal_text(value) if isinstance(value, str) else value


class SealedCodeField(models.CharField):  # type: ignore[type-arg]
    """A code column whose revealing codes (`sealed`) are stored as pseudonyms; lookups by a
    code (`filter(ground_code="NR_SENTENCE")`) match rows under the newest key."""

    def __init__(self, *args: Any, sealed: Iterable[str] = (), **kwargs: Any) -> None:
        self.sealed = SealedCodes(sealed)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["sealed"] = sorted(self.sealed.codes)
        return name, path, args, kwargs

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else self.sealed.read(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        return self.sealed.store(value) if isinstance(value, str) else value


class SealedCodesField(SealedCodeField):
    """Codes joined by `;` (an examination's outcome), each revealing one as a pseudonym."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return None if value is None else self.sealed.read_list(value)

    def get_prep_value(self, value: Any) -> Any:
        value = models.CharField.get_prep_value(self, value)
        return self.sealed.store_list(value) if isinstance(value, str) else value


# ── Files ──────────────────────────────────────────────────────────────────────────────────


def seal_bytes(content: bytes) -> bytes:
    """A file's content sealed under the newest key, with a header naming the key."""
    key = data_keyring().newest
    return FILE_MAGIC + key.kid.encode() + b"\n" + _fernet(key).encrypt(content)


def bytes_kid(head: bytes) -> str | None:
    """The key a sealed file was made with, from its first bytes; None: a clear file."""
    if not head.startswith(FILE_MAGIC):
        return None
    return head[len(FILE_MAGIC) :].split(b"\n", 1)[0].decode("ascii", "replace")


def unseal_bytes(sealed: bytes) -> bytes:
    """The content of `seal_bytes`; ValueError for a clear or tampered file."""
    kid = bytes_kid(sealed[:64])
    if kid is None:
        raise ValueError("not a sealed file")
    body = sealed.split(b"\n", 1)[1]
    try:
        return _fernet_of(kid).decrypt(body)
    except InvalidToken as exc:
        raise ValueError(f"sealed file does not verify with data key {kid!r}") from exc
