"""Signatures, manifests and trusted keys as docs/exchange.md defines them."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management import call_command
from django.core.management.base import CommandError

from muster.audit.models import AuditEvent
from muster.exchange import manifest, signing
from muster.exchange.actions import trusted_pems
from muster.exchange.models import TrustedKey


def test_canonical_json_is_sorted_compact_utf8():
    assert signing.canonical_json({"b": 1, "a": "Hà"}) == '{"a":"Hà","b":1}'.encode()


def test_signature_covers_every_other_field():
    key = Ed25519PrivateKey.generate()
    signed = signing.sign({"sequence": 1, "personal_id": "001200000001"}, key)
    assert signing.verify(signed, key.public_key())
    assert not signing.verify({**signed, "sequence": 2}, key.public_key())
    assert not signing.verify(signed, Ed25519PrivateKey.generate().public_key())
    assert not signing.verify({**signed, "signature": "not base64!"}, key.public_key())


def test_manifest_round_trip_and_each_failing_check(tmp_path):
    key = Ed25519PrivateKey.generate()
    extract = tmp_path / "extract.csv"
    extract.write_text("personal_id\n001200000001\n")
    path = manifest.write_manifest(
        extract, rows=1, producer="popreg", key=key, generated_at=datetime(2026, 11, 1, tzinfo=UTC)
    )
    parsed = manifest.read_manifest(path)
    pem = signing.public_pem(key.public_key())
    assert manifest.verify_signature(parsed, [pem]) == signing.fingerprint(key.public_key())
    entry = manifest.entry_for(parsed, extract)
    manifest.verify_hash(entry, extract)

    other = signing.public_pem(Ed25519PrivateKey.generate().public_key())
    with pytest.raises(manifest.ManifestError, match=r"^signature"):
        manifest.verify_signature(parsed, [other])
    with pytest.raises(manifest.ManifestError, match="no trusted key"):
        manifest.verify_signature(parsed, [])
    extract.write_text("personal_id\n001200000002\n")
    with pytest.raises(manifest.ManifestError, match=r"^hash"):
        manifest.verify_hash(entry, extract)


@pytest.mark.django_db
def test_trust_command_stores_the_key_once_and_audits(tmp_path):
    key = Ed25519PrivateKey.generate()
    pem_path = tmp_path / "popreg.pem"
    pem_path.write_bytes(signing.public_pem(key.public_key()))
    call_command("exchange", "trust", str(pem_path), "--producer", "popreg")
    call_command("exchange", "trust", str(pem_path), "--producer", "popreg")
    assert TrustedKey.objects.count() == 1
    assert trusted_pems("popreg") == [signing.public_pem(key.public_key())]
    assert AuditEvent.objects.filter(action="exchange.key.trusted").count() == 1
    with pytest.raises(CommandError, match="public_key: KEY_TRUSTED_FOR_OTHER"):
        call_command("exchange", "trust", str(pem_path), "--producer", "other")


@pytest.mark.django_db
def test_trust_refuses_a_key_that_is_not_ed25519(tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    pem_path = tmp_path / "rsa.pem"
    pem_path.write_bytes(
        rsa_key.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    with pytest.raises(CommandError, match=r"public_key: KEY_UNUSABLE: .*not an Ed25519 key"):
        call_command("exchange", "trust", str(pem_path), "--producer", "popreg")
