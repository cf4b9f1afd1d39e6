"""Signed checkpoints of the audit chains' heads, appended to a file outside the database.

One JSON line per committed transaction that extended a chain:
`{"v":1,"db":IDENTITY,"chain":"write","last_id":N,"head":MAC,"at":ISO,"sig":BASE64}`, the
Ed25519 signature (`core.keys.audit_signing_key`) over the other fields' canonical JSON. The
file (`settings.MUSTER_AUDIT_CHECKPOINTS`) is only ever appended to (O_APPEND, one write per
line, so concurrent processes never interleave); `chattr +a` on it makes that a property of
the file system too (docs/security.md). `audit.verify` compares the chains with it.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from django.utils import timezone

from muster.audit.chain import CHAINS, canonical, identity_get
from muster.core.keys import audit_signing_key

VERSION = 1


def checkpoint_path() -> Path:
    return Path(settings.MUSTER_AUDIT_CHECKPOINTS)


@dataclass(frozen=True)
class Checkpoint:
    line: int  # 1-based line number in the file
    chain: str
    last_id: int
    head: str
    at: str


@dataclass(frozen=True)
class BadLine:
    line: int
    reason: str


def _append(path: Path, text: str) -> None:
    if not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.parent.chmod(0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def checkpoint_write(chain: str, using: str = DEFAULT_DB_ALIAS) -> Checkpoint | None:
    """Append a checkpoint of the committed head of `chain` (None when the chain is empty)."""
    model = CHAINS[chain].model
    head = model.objects.using(using).order_by("-id").values_list("id", "hash").first()
    identity = identity_get(using)
    if head is None or identity is None:
        return None
    body = {
        "v": VERSION,
        "db": identity,
        "chain": chain,
        "last_id": head[0],
        "head": head[1],
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    signature = audit_signing_key().sign(canonical(body))
    line = {**body, "sig": base64.b64encode(signature).decode("ascii")}
    _append(checkpoint_path(), json.dumps(line, separators=(",", ":")) + "\n")
    return Checkpoint(0, chain, head[0], head[1], str(body["at"]))


def checkpoints_read(identity: str) -> tuple[list[Checkpoint], list[BadLine]]:
    """This database's checkpoints in file order, and the lines that do not verify (a
    signature that fails, a line that is not a checkpoint). Every line is checked, then other
    databases' lines are skipped (editing a line's `db` breaks its signature)."""
    path = checkpoint_path()
    if not path.exists():
        return [], []
    public = audit_signing_key().public_key()
    found: list[Checkpoint] = []
    bad: list[BadLine] = []
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, text in enumerate(handle, start=1):
            if not text.strip():
                continue
            try:
                line = json.loads(text)
                signature = base64.b64decode(line.pop("sig"))
                public.verify(signature, canonical(line))
                if line.get("db") != identity:
                    continue
                found.append(
                    Checkpoint(
                        number, line["chain"], int(line["last_id"]), line["head"], line["at"]
                    )
                )
            except InvalidSignature:
                bad.append(BadLine(number, "its signature does not verify"))
            except (ValueError, KeyError, TypeError, AttributeError):
                bad.append(BadLine(number, "it is not a checkpoint"))
    return found, bad
