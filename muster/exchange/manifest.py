"""Extract manifests: `<extract>.manifest.json` beside the data file (docs/exchange.md).

{"format": "muster-extract/1", "producer": NAME, "generated_at": ISO-8601,
 "files": [{"name": FILE, "rows": N, "sha256": HEX}], "signature": BASE64}
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from muster.exchange import signing

FORMAT = "muster-extract/1"


class ManifestError(ValueError):
    """The manifest or the file it describes failed a check; the message says which."""


@dataclass(frozen=True)
class ManifestFile:
    name: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    producer: str
    generated_at: str
    files: tuple[ManifestFile, ...]
    raw: dict[str, Any]


def manifest_path_for(extract: Path) -> Path:
    return extract.with_name(extract.name + ".manifest.json")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(
    extract: Path, *, rows: int, producer: str, key: Ed25519PrivateKey, generated_at: datetime
) -> Path:
    """Write and sign the manifest for one extract file (the sandbox producer uses this)."""
    body = {
        "format": FORMAT,
        "producer": producer,
        "generated_at": generated_at.isoformat(),
        "files": [{"name": extract.name, "rows": rows, "sha256": file_sha256(extract)}],
    }
    path = manifest_path_for(extract)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(json.dumps(signing.sign(body, key), ensure_ascii=False, indent=2).encode())
    tmp.replace(path)
    return path


def read_manifest(path: Path) -> Manifest:
    """Parse a manifest; ManifestError says what is malformed."""
    try:
        raw = json.loads(path.read_bytes().decode("utf-8"))
    except FileNotFoundError as exc:
        raise ManifestError(f"manifest not found: {path}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestError(f"manifest {path.name} is not UTF-8 JSON: {exc}") from exc
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ManifestError(f"manifest {path.name}: format must be {FORMAT!r}")
    try:
        files = tuple(
            ManifestFile(str(f["name"]), int(f["rows"]), str(f["sha256"]).lower())
            for f in raw["files"]
        )
        producer, generated_at = str(raw["producer"]), str(raw["generated_at"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ManifestError(f"manifest {path.name}: missing or malformed field {exc}") from exc
    return Manifest(producer, generated_at, files, raw)


def verify_signature(manifest: Manifest, trusted_pems: list[bytes]) -> str:
    """The fingerprint of the trusted key that signed it, else ManifestError('signature …')."""
    if not trusted_pems:
        raise ManifestError(
            f"signature: no trusted key for producer {manifest.producer!r} "
            "(add one with `muster exchange trust PUBKEY.pem --producer NAME`)"
        )
    for pem in trusted_pems:
        key = signing.load_public_key(pem)
        if signing.verify(manifest.raw, key):
            return signing.fingerprint(key)
    raise ManifestError(
        f"signature: the manifest is not signed by a trusted key of {manifest.producer!r}"
    )


def entry_for(manifest: Manifest, extract: Path) -> ManifestFile:
    for entry in manifest.files:
        if entry.name == extract.name:
            return entry
    raise ManifestError(f"the manifest does not list {extract.name!r}")


def verify_hash(entry: ManifestFile, extract: Path) -> None:
    actual = file_sha256(extract)
    if actual != entry.sha256:
        raise ManifestError(
            f"hash: {extract.name} has SHA-256 {actual}, the manifest says {entry.sha256}"
        )
