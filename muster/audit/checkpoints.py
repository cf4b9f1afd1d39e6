"""Signed checkpoints of the audit chains' heads, appended to a file outside the database.

One JSON line per committed transaction that extended a chain:
`{"v":1,"db":IDENTITY,"chain":"write","last_id":N,"head":MAC,"at":ISO,"sig":BASE64}`, the
Ed25519 signature (`core.keys.audit_signing_key`) over the other fields' canonical JSON. The
file (`settings.MUSTER_AUDIT_CHECKPOINTS`) is only ever appended to (O_APPEND, one write per
line, so concurrent processes never interleave); `chattr +a` on it makes that a property of
the file system too (docs/security.md). `audit.verify` compares the chains with it.
"""

from __future__ import annotations

import atexit
import base64
import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from muster.audit.chain import CHAINS, READ, canonical, identity_get
from muster.core.keys import audit_signing_key

VERSION = 1

logger = logging.getLogger(__name__)


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


def _flush_wal(using: str) -> None:
    """Make every commit so far durable before a line names it: the read chain commits
    without waiting for the WAL flush (`chain.record_reads`), so a database crash may lose its
    newest rows, and a checkpoint must not name a row a crash can take back. A transaction
    with an id commits synchronously, flushing the WAL up to its commit record (so past every
    earlier commit). SQLite's commits are as durable as they will be."""
    conn = connections[using]
    if conn.vendor != "postgresql" or conn.in_atomic_block:
        return
    with transaction.atomic(using=using), conn.cursor() as cursor:
        cursor.execute("SELECT set_config('synchronous_commit', 'on', true), txid_current()")


def checkpoint_write(
    chain: str, using: str = DEFAULT_DB_ALIAS, path: Path | None = None
) -> Checkpoint | None:
    """Append a checkpoint of the committed head of `chain` (None when the chain is empty)."""
    model = CHAINS[chain].model
    head = model.objects.using(using).order_by("-id").values_list("id", "hash").first()
    identity = identity_get(using)
    if head is None or identity is None:
        return None
    if chain == READ:
        _flush_wal(using)
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
    _append(path or checkpoint_path(), json.dumps(line, separators=(",", ":")) + "\n")
    return Checkpoint(0, chain, head[0], head[1], str(body["at"]))


# Throttled lines (the read chain): per process, the time of the last line per (database,
# chain) and the timer of the line that is due.
_throttle = threading.Lock()
_last_line: dict[tuple[str, str], float] = {}
_due: dict[tuple[str, str], tuple[threading.Timer, Path]] = {}


def checkpoint_soon(chain: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """After a commit that extended `chain`: its line, written by a timer thread (never on the
    request's path) as soon as MUSTER_AUDIT_READ_CHECKPOINT_SECONDS have passed since this
    process's last line of the chain; one line due at a time, naming the head at the time it
    is written, so it anchors every commit before it. An interval of 0: the line now, here."""
    interval = float(settings.MUSTER_AUDIT_READ_CHECKPOINT_SECONDS)
    if interval <= 0:
        checkpoint_write(chain, using)
        return
    key = (using, chain)
    with _throttle:
        if key in _due:
            return  # a line is already due, and will name this commit's rows too
        last = _last_line.get(key)
        wait = 0.0 if last is None else max(0.0, last + interval - time.monotonic())
        path = checkpoint_path()
        timer = threading.Timer(wait, _write_due, (chain, using, path))
        timer.daemon = True
        _due[key] = (timer, path)
        timer.start()


def _write_due(chain: str, using: str, path: Path) -> None:
    """The timer's line, on the timer's own thread and database connection."""
    with _throttle:
        _due.pop((using, chain), None)
        _last_line[(using, chain)] = time.monotonic()  # later commits wait for the next one
    try:
        checkpoint_write(chain, using, path)
    except Exception:  # a thread has no caller to raise to: say so, the next line covers it
        logger.exception("audit checkpoint of the %s chain failed", chain)
    finally:
        connections[using].close()


def flush_due() -> None:
    """Write every line that is due now, without waiting for its timer (at exit; tests)."""
    with _throttle:
        due = list(_due.items())
        for key, (timer, _) in due:
            timer.cancel()
            _due.pop(key, None)
            _last_line[key] = time.monotonic()
    for (using, chain), (_, path) in due:
        checkpoint_write(chain, using, path)


def _flush_at_exit() -> None:
    try:
        flush_due()
    except Exception:  # the database may be gone at exit: the next process's line covers it
        logger.exception("audit checkpoints due at exit were not written")


atexit.register(_flush_at_exit)


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
