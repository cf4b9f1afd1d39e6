"""Ed25519 signatures over canonical JSON, as the exchange protocol (docs/exchange.md) defines.

Canonical JSON: `json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`
encoded as UTF-8. A signed object carries `"signature": BASE64` over the canonical JSON of every
other field.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey


class BadKey(ValueError):
    """The PEM is not an Ed25519 key of the expected kind."""


def canonical_json(obj: Any) -> bytes:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def unsigned_part(signed: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in signed.items() if k != "signature"}


def sign(obj: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """`obj` with a `signature` over the canonical JSON of its other fields."""
    body = unsigned_part(obj)
    signature = base64.b64encode(key.sign(canonical_json(body))).decode()
    return {**body, "signature": signature}


def verify(signed: dict[str, Any], key: Ed25519PublicKey) -> bool:
    """True when `signed["signature"]` is `key`'s signature of the other fields."""
    raw = signed.get("signature")
    if not isinstance(raw, str):
        return False
    try:
        key.verify(base64.b64decode(raw, validate=True), canonical_json(unsigned_part(signed)))
    except (InvalidSignature, ValueError):
        return False
    return True


def load_public_key(pem: bytes) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM (SubjectPublicKeyInfo)."""
    try:
        key = serialization.load_pem_public_key(pem)
    except ValueError as exc:
        raise BadKey(f"not a PEM public key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise BadKey(f"not an Ed25519 key ({type(key).__name__})")
    return key


def load_private_key(pem: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise BadKey(f"not an Ed25519 private key ({type(key).__name__})")
    return key


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def private_pem(key: Ed25519PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def fingerprint(key: Ed25519PublicKey) -> str:
    """SHA-256 of the raw public key, hex: how a trusted key is named in logs and errors."""
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()
