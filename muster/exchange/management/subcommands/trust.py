"""`muster exchange trust PUBKEY.pem --producer NAME`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from muster.exchange.actions import producer_key_trust

HELP = "Trust a producer's Ed25519 public key (PEM, SubjectPublicKeyInfo)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pubkey", type=Path, help="PEM file of the public key")
    parser.add_argument("--producer", required=True, help="producer name as in manifests")


def handle(options: dict[str, Any], out: TextIO) -> int:
    path: Path = options["pubkey"]
    if not path.exists():
        out.write(f"no such file: {path}\n")
        return 2
    trusted = producer_key_trust(
        pem=path.read_bytes(), producer=options["producer"], acting_user=None
    )
    out.write(f"trusted {trusted.producer}: key {trusted.fingerprint}\n")
    return 0
