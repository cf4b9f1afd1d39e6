"""Writes of the exchange app that are not bulk paths: trusting producer keys."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from muster import audit
from muster.core.errors import InvalidInput
from muster.exchange import signing
from muster.exchange.models import TrustedKey


@transaction.atomic
def producer_key_trust(*, pem: bytes, producer: str, acting_user: Any) -> TrustedKey:
    """Trust an Ed25519 public key (PEM, SubjectPublicKeyInfo) for `producer`. Idempotent."""
    producer = producer.strip()
    if not producer:
        raise InvalidInput.single("producer", "REQUIRED")
    try:
        key = signing.load_public_key(pem)
    except signing.BadKey as exc:
        raise InvalidInput.single("public_key", "KEY_UNUSABLE", {"reason": str(exc)}) from exc
    fingerprint = signing.fingerprint(key)
    existing = TrustedKey.objects.filter(fingerprint=fingerprint).first()
    if existing is not None:
        if existing.producer != producer:
            raise InvalidInput.single(
                "public_key", "KEY_TRUSTED_FOR_OTHER", {"producer": existing.producer}
            )
        return existing
    trusted = TrustedKey.objects.create(
        producer=producer,
        public_key_pem=signing.public_pem(key).decode(),
        fingerprint=fingerprint,
        added_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    audit.record(
        "exchange.key.trusted",
        actor=acting_user,
        target=trusted,
        data={"producer": producer, "fingerprint": fingerprint},
    )
    return trusted


def trusted_pems(producer: str) -> list[bytes]:
    """The PEMs of `producer`'s keys that are not revoked."""
    rows = TrustedKey.objects.filter(producer=producer, revoked_at__isnull=True)
    return [row.public_key_pem.encode() for row in rows]
