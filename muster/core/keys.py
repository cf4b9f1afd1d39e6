"""Keys kept apart from the database (docs/security.md § Keys).

`settings.MUSTER_KEY_DIR` (default `var/keys/`, 0700) holds:

- `audit_mac.key` — 32 random bytes (base64): the HMAC-SHA256 key of both audit chains;
- `audit_sign.pem` — an Ed25519 private key signing the audit checkpoints;
- `data.keys` — the data key ring, one `KID BASE64` line per key, newest last: the newest
  encrypts, every key decrypts (`muster keys rotate`). `MUSTER_DATA_KEYS`
  (`k1:BASE64,k2:BASE64`) replaces the file where a secrets manager provides the keys.

Each file is created 0600 on first use (O_EXCL, so two processes starting at once agree on one
key). A copied database alone therefore verifies nothing and decrypts nothing.
"""

from __future__ import annotations

import base64
import os
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

AUDIT_MAC_FILE = "audit_mac.key"
AUDIT_SIGN_FILE = "audit_sign.pem"
DATA_KEYS_FILE = "data.keys"
KEY_FILES = (AUDIT_MAC_FILE, AUDIT_SIGN_FILE, DATA_KEYS_FILE)
KID_PATTERN = re.compile(r"^k[0-9]{1,4}$")
KEY_BYTES = 32


class KeyFileError(RuntimeError):
    """A key file or the inline key ring cannot be used (named in the message)."""


@dataclass(frozen=True)
class DataKey:
    kid: str  # "k1", "k2" …: stored with every value it encrypts
    secret: bytes  # 32 bytes


@dataclass(frozen=True)
class KeyRing:
    keys: tuple[DataKey, ...]  # oldest first

    @property
    def newest(self) -> DataKey:
        return self.keys[-1]

    def get(self, kid: str) -> DataKey:
        for key in self.keys:
            if key.kid == kid:
                return key
        raise KeyFileError(f"data key {kid!r} is not in the key ring: restore it to decrypt")


def key_dir() -> Path:
    return Path(settings.MUSTER_KEY_DIR)


def _private_dir(path: Path) -> None:
    if not path.exists():
        path.mkdir(parents=True, exist_ok=True)
        path.chmod(0o700)


def create_private_file(path: Path, content: bytes) -> bool:
    """Write `content` to a new file readable by its owner only; False if it already exists."""
    _private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    return True


def _read_or_create(name: str, make: bytes) -> bytes:
    path = key_dir() / name
    create_private_file(path, make)
    return path.read_bytes()


# ── Audit keys ─────────────────────────────────────────────────────────────────────────────


def audit_mac_key() -> bytes:
    """The HMAC key of the audit chains (created on first use)."""
    return _audit_mac_key(str(key_dir()))


@lru_cache(maxsize=8)
def _audit_mac_key(directory: str) -> bytes:
    raw = _read_or_create(AUDIT_MAC_FILE, base64.b64encode(secrets.token_bytes(KEY_BYTES)))
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except ValueError as exc:
        raise KeyFileError(f"{Path(directory) / AUDIT_MAC_FILE}: not base64") from exc
    if len(key) < KEY_BYTES:
        raise KeyFileError(f"{Path(directory) / AUDIT_MAC_FILE}: shorter than {KEY_BYTES} bytes")
    return key


def audit_signing_key() -> Ed25519PrivateKey:
    """The Ed25519 key that signs audit checkpoints (created on first use)."""
    return _audit_signing_key(str(key_dir()))


@lru_cache(maxsize=8)
def _audit_signing_key(directory: str) -> Ed25519PrivateKey:
    fresh = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    key = serialization.load_pem_private_key(_read_or_create(AUDIT_SIGN_FILE, fresh), None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{Path(directory) / AUDIT_SIGN_FILE}: not an Ed25519 private key")
    return key


# ── The data key ring ──────────────────────────────────────────────────────────────────────


def parse_ring(text: str, *, source: str) -> KeyRing:
    """`KID BASE64` lines (the file) or `KID:BASE64` items separated by commas (inline)."""
    keys: list[DataKey] = []
    items = [item for item in re.split(r"[\n,]", text) if item.strip()]
    for number, item in enumerate(items, start=1):
        parts = re.split(r"[\s:]+", item.strip(), maxsplit=1)
        if len(parts) != 2 or not KID_PATTERN.match(parts[0]):
            raise KeyFileError(f"{source}, key {number}: expected `KID BASE64` with KID like k1")
        try:
            secret = base64.urlsafe_b64decode(parts[1])
        except ValueError as exc:
            raise KeyFileError(f"{source}, key {parts[0]}: not base64") from exc
        if len(secret) != KEY_BYTES:
            raise KeyFileError(f"{source}, key {parts[0]}: must be {KEY_BYTES} bytes")
        if any(key.kid == parts[0] for key in keys):
            raise KeyFileError(f"{source}: key {parts[0]} appears twice")
        keys.append(DataKey(parts[0], secret))
    if not keys:
        raise KeyFileError(f"{source}: no key")
    return KeyRing(tuple(keys))


def _encode(key: DataKey) -> str:
    return f"{key.kid} {base64.urlsafe_b64encode(key.secret).decode('ascii')}\n"


def data_keyring() -> KeyRing:
    """The data key ring: `MUSTER_DATA_KEYS`, else the ring file (created with one key)."""
    if settings.MUSTER_DATA_KEYS:
        return _inline_ring(settings.MUSTER_DATA_KEYS)
    path = key_dir() / DATA_KEYS_FILE
    if not path.exists():
        create_private_file(path, _encode(DataKey("k1", secrets.token_bytes(KEY_BYTES))).encode())
    stat = path.stat()
    return _file_ring(str(path), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _inline_ring(text: str) -> KeyRing:
    return parse_ring(text, source="MUSTER_DATA_KEYS")


@lru_cache(maxsize=8)
def _file_ring(path: str, mtime_ns: int, size: int) -> KeyRing:
    return parse_ring(Path(path).read_text(), source=path)


def data_key_add() -> DataKey:
    """Append a new key to the ring file; it becomes the newest (encrypts from now on)."""
    if settings.MUSTER_DATA_KEYS:
        raise KeyFileError(
            "the key ring comes from MUSTER_DATA_KEYS: add the new key there (newest last)"
        )
    ring = data_keyring()
    number = max(int(key.kid[1:]) for key in ring.keys) + 1
    key = DataKey(f"k{number}", secrets.token_bytes(KEY_BYTES))
    path = key_dir() / DATA_KEYS_FILE
    with path.open("a") as handle:
        handle.write(_encode(key))
        handle.flush()
        os.fsync(handle.fileno())
    return key


# ── Backup keys ────────────────────────────────────────────────────────────────────────────


def backup_key_create(path: Path) -> None:
    """A new backup key file (32 random bytes, base64, 0600); refuses to overwrite one."""
    if not create_private_file(path, base64.b64encode(secrets.token_bytes(KEY_BYTES)) + b"\n"):
        raise KeyFileError(f"{path} exists: a backup key is never overwritten")


def backup_key_read(path: Path) -> bytes:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"{path}: cannot read the backup key ({exc.strerror})") from exc
    try:
        key = base64.b64decode(raw.strip(), validate=True)
    except ValueError as exc:
        raise KeyFileError(f"{path}: not a backup key (base64 of 32 bytes)") from exc
    if len(key) != KEY_BYTES:
        raise KeyFileError(f"{path}: not a backup key (base64 of 32 bytes)")
    return key
