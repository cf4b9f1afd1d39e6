"""Writing the audit chains. Called by actions inside their transaction, never by views.

Two chains (docs/decisions/0008-keyed-audit-chain.md): `write` (AuditEvent, in the action's
transaction) and `read` (ReadEvent, views of personal data). Each row's `hash` is the
HMAC-SHA256, under a key kept outside the database (`core.keys.audit_mac_key`), of the chain's
name, its predecessor's `hash` and its own canonical content; the first row follows a genesis
MAC bound to this database's identity. After every committed transaction that appended to a
chain, a signed checkpoint of the chain's head goes to an append-only file outside the
database (`audit.checkpoints`), so deleting the newest rows shows too (`audit.verify`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from muster.audit.models import AuditEvent, ChainIdentity, ReadEvent
from muster.audit.registry import check_action
from muster.core.keys import audit_mac_key

WRITE, READ = "write", "read"

# Called with every write event appended, inside the action's transaction (registered by higher
# apps from their AppConfig.ready(): readiness queues a refresh of the figures it changes).
# A listener must be cheap and must not write: it may only note what to do on commit.
_LISTENERS: list[Callable[[AuditEvent], None]] = []


def on_record(listener: Callable[[AuditEvent], None]) -> None:
    """Call `listener(event)` after each write event is appended (once per listener)."""
    if listener not in _LISTENERS:
        _LISTENERS.append(listener)


# pg_advisory_xact_lock keys: one per chain, so reads never queue behind writes.
LOCK_IDS = {WRITE: 7317001, READ: 7317002}


def canonical(value: dict[str, Any]) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    ).encode()


def mac(key: bytes, chain: str, prev: str, fields: dict[str, Any]) -> str:
    message = chain.encode() + b"\0" + prev.encode() + b"\0" + canonical(fields)
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def genesis(key: bytes, chain: str, identity: str) -> str:
    """The `prev_hash` of a chain's first row: bound to the database's identity."""
    return hmac.new(key, f"genesis\0{chain}\0{identity}".encode(), hashlib.sha256).hexdigest()


def write_fields(row: Any) -> dict[str, Any]:
    """What a write event's MAC covers (every column but id and the chain's own two)."""
    return {
        "at": row.at.isoformat(),
        "action": row.action,
        "actor_id": row.actor_id,
        "actor_label": row.actor_label,
        "target_type": row.target_type,
        "target_id": row.target_id,
        "commune_code": row.commune_code,
        "data": row.data,
    }


def read_fields(row: Any) -> dict[str, Any]:
    return {
        "at": row.at.isoformat(),
        "action": row.action,
        "actor_id": row.actor_id,
        "target_type": row.target_type,
        "target_id": row.target_id,
        "channel": row.channel,
    }


@dataclass(frozen=True)
class Chain:
    name: str
    model: Any  # AuditEvent | ReadEvent (their managers differ in type only)
    fields: Callable[[Any], dict[str, Any]]


CHAINS = {
    WRITE: Chain(WRITE, AuditEvent, write_fields),
    READ: Chain(READ, ReadEvent, read_fields),
}


def lock_chain(name: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Serialise extending chain `name` until the transaction ends. SQLite writers are already
    serialised (IMMEDIATE transactions); PostgreSQL takes a transaction-level advisory lock so
    two transactions cannot both extend the chain from the same head."""
    conn = connections[using]
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_IDS[name]])


def identity_get(using: str = DEFAULT_DB_ALIAS) -> str | None:
    return (
        ChainIdentity.objects.using(using).order_by("id").values_list("identity", flat=True).first()
    )


def _identity_for_append() -> str:
    """The identity (created with the first event of an empty database, under the chain lock)."""
    identity = identity_get()
    if identity is None:
        identity = secrets.token_hex(16)
        ChainIdentity.objects.create(identity=identity)
    return identity


def _head(chain: Chain) -> str:
    # Asked on every event under the chain's lock: one statement on the primary key's index,
    # without building an ORM query each time (a bulk transaction appends thousands).
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT hash FROM {connection.ops.quote_name(chain.model._meta.db_table)} "
            "ORDER BY id DESC LIMIT 1"
        )
        row = cursor.fetchone()
    last = row[0] if row else None
    return last or genesis(audit_mac_key(), chain.name, _identity_for_append())


def _anchor_on_commit(name: str) -> None:
    """Write one checkpoint of chain `name` after the outermost transaction commits (once per
    transaction, however many events it appended; the read chain's at most once a second,
    `checkpoints.checkpoint_soon`)."""
    from muster.audit.checkpoints import checkpoint_soon, checkpoint_write

    pending = [entry[1] for entry in connection.run_on_commit]
    if any(getattr(func, "chain_anchor", None) == name for func in pending):
        return

    def anchor() -> None:
        if name == READ:
            checkpoint_soon(name)
        else:
            checkpoint_write(name)

    anchor.chain_anchor = name  # type: ignore[attr-defined]
    transaction.on_commit(anchor, robust=True)


def record(
    action: str,
    *,
    actor: Any,
    target: models.Model | tuple[str, str],
    data: dict[str, Any] | None = None,
    commune_code: str = "",
) -> AuditEvent:
    """Append one event to the write chain. Must run inside the caller's atomic block."""
    check_action(action)
    if not connection.in_atomic_block:
        raise RuntimeError("audit.record must be called inside the action's transaction")
    if isinstance(target, tuple):
        target_type, target_id = target
    else:
        target_type, target_id = target._meta.label_lower, str(target.pk)
    lock_chain(WRITE)
    event = AuditEvent(
        at=timezone.now(),
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=getattr(actor, "username", None) or "system",
        target_type=target_type,
        target_id=target_id,
        commune_code=commune_code,
        data=json.loads(canonical(data or {})),
        prev_hash=_head(CHAINS[WRITE]),
    )
    event.hash = mac(audit_mac_key(), WRITE, event.prev_hash, write_fields(event))
    event.save(force_insert=True)
    _anchor_on_commit(WRITE)
    for listener in _LISTENERS:
        listener(event)
    return event


# At most this many rows in one INSERT of a page's reads.
_READ_BATCH = 500


def record_reads(
    action: str, *, actor: Any, targets: Sequence[models.Model | tuple[str, str]], channel: str
) -> None:
    """Log that `actor` saw `targets` (a list page: one row each), chained in one short
    transaction of its own (or the caller's).

    Everything but the chain's links is prepared before the chain's lock (the rows' values and
    the canonical bytes their MACs cover), so the lock is held for the head, one MAC per row,
    one INSERT and the commit. A transaction of its own commits without waiting for the WAL
    flush (PostgreSQL `synchronous_commit = off`, as SQLite's `synchronous = NORMAL` does):
    the chain's lock is not held across a disk flush; the checkpoint that names the rows flushes
    first (docs/decisions/0011-read-log-off-the-request-path.md)."""
    check_action(action)
    if not targets:
        return
    key = audit_mac_key()
    at = timezone.now()
    stored_at = connection.ops.adapt_datetimefield_value(at)
    actor_id = actor.pk if getattr(actor, "pk", None) else None
    rows: list[tuple[Any, ...]] = []
    bodies: list[bytes] = []
    for target in targets:
        if isinstance(target, tuple):
            target_type, target_id = target
        else:
            target_type, target_id = target._meta.label_lower, str(target.pk)
        rows.append((stored_at, action, actor_id, target_type, target_id, channel))
        fields = {
            "at": at.isoformat(),
            "action": action,
            "actor_id": actor_id,
            "target_type": target_type,
            "target_id": target_id,
            "channel": channel,
        }
        bodies.append(b"\0" + canonical(fields))
    table = connection.ops.quote_name(ReadEvent._meta.db_table)
    columns = "at, action, actor_id, target_type, target_id, channel, prev_hash, hash"
    if not connection.in_atomic_block and connection.vendor == "postgresql":
        _append_reads_own_transaction(key, table, columns, rows, bodies)
        _anchor_on_commit(READ)  # outside a transaction: runs now, after the COMMIT
        return
    with transaction.atomic():
        lock_chain(READ)
        with connection.cursor() as cursor:
            prev = _head(CHAINS[READ])
            for sql, params in _read_inserts(key, prev, table, columns, rows, bodies):
                cursor.execute(sql, params)
        _anchor_on_commit(READ)


def _read_inserts(
    key: bytes,
    prev: str,
    table: str,
    columns: str,
    rows: list[tuple[Any, ...]],
    bodies: list[bytes],
) -> list[tuple[str, list[Any]]]:
    """The INSERTs of `rows`, linked from `prev`, the chain's head read under its lock."""
    linked: list[Any] = []
    for row, body in zip(rows, bodies, strict=True):
        message = READ.encode() + b"\0" + prev.encode() + body  # as `mac` builds it
        link = hmac.new(key, message, hashlib.sha256).hexdigest()
        linked.extend((*row, prev, link))
        prev = link
    width = 8
    out = []
    for start in range(0, len(rows), _READ_BATCH):
        count = min(_READ_BATCH, len(rows) - start)
        values = ", ".join(["(" + ", ".join(["%s"] * width) + ")"] * count)
        out.append(
            (
                f"INSERT INTO {table} ({columns}) VALUES {values}",
                linked[start * width : (start + count) * width],
            )
        )
    return out


def _append_reads_own_transaction(
    key: bytes, table: str, columns: str, rows: list[tuple[Any, ...]], bodies: list[bytes]
) -> None:
    """PostgreSQL, outside any transaction: the read log's transaction in two round trips
    instead of five. `BEGIN`, the chain's lock (with `synchronous_commit = off`) and the head
    go in one message — its statements run in order, each with its own snapshot, so the head
    is read after the lock is held —, then the INSERTs and `COMMIT` in another. On any error
    the transaction is rolled back before the error goes on."""
    with connection.cursor() as cursor:
        try:
            cursor.execute(
                "BEGIN; SELECT set_config('synchronous_commit', 'off', true), "
                f"pg_advisory_xact_lock({LOCK_IDS[READ]}); "
                f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1"
            )
            while cursor.nextset():  # BEGIN's result, the lock's, then the head's
                continue
            found = cursor.fetchone()
            prev = found[0] if found else genesis(key, READ, _identity_for_append())
            inserts = _read_inserts(key, prev, table, columns, rows, bodies)
            cursor.execute(
                "; ".join(sql for sql, _ in inserts) + "; COMMIT",
                [value for _, params in inserts for value in params],
            )
        except BaseException:
            raw = connection.connection
            if raw is not None and not raw.closed:
                raw.rollback()
            raise


def record_read(action: str, *, actor: Any, target: models.Model, channel: str) -> None:
    """Log that `actor` saw `target`, chained like the writes."""
    record_reads(action, actor=actor, targets=[target], channel=channel)
