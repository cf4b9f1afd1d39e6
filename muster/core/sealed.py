"""Sensitive fields sealed at rest (health details): authenticated encryption with a key
derived from the deployment's secret, so a copied database file alone does not reveal them.

Sealed values are JSON objects turned into Fernet tokens (AES-128-CBC + HMAC-SHA256). The key
is derived with HKDF from `settings.SECRET_KEY` under a purpose label, so rotating the secret
needs a re-seal (documented in docs/decisions/0005-sensitive-health-data.md).
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PURPOSE = b"muster sealed fields v1"


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_PURPOSE).derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(values: dict[str, Any]) -> str:
    """The sealed token of a JSON-serialisable mapping."""
    payload = json.dumps(values, sort_keys=True, separators=(",", ":")).encode()
    return _fernet(settings.SECRET_KEY).encrypt(payload).decode("ascii")


def unseal(token: str) -> dict[str, Any]:
    """The mapping sealed in `token`; ValueError if it was not sealed with this deployment's key."""
    if not token:
        return {}
    try:
        payload = _fernet(settings.SECRET_KEY).decrypt(token.encode("ascii"))
    except InvalidToken as exc:
        raise ValueError("sealed value does not verify with this deployment's key") from exc
    values: dict[str, Any] = json.loads(payload)
    return values
