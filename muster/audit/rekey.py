"""Re-computing a chain's MACs with the current key: once when a database moves from the first
release's plain SHA-256 chain to the keyed one (migration `audit.0003`), and by
`muster audit rekey` after the MAC key was replaced.

What the old chain said is not lost: before re-MACing, the write chain is checked as it was
(the plain SHA-256 chain, or the keyed chain under `--previous-key`), and the result goes into
the `audit.chain.rekeyed` event that closes the new chain.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from functools import partial
from typing import Any

from django.db import connections, transaction
from django.utils import timezone

from muster.audit.chain import READ, WRITE, canonical, genesis, lock_chain, mac, read_fields
from muster.audit.chain import write_fields as chain_write_fields
from muster.core.keys import audit_mac_key

BATCH = 2000
LEGACY_GENESIS = "0" * 64


def _legacy_hash(prev: str, row: Any) -> str:
    fields = {
        "at": row.at.isoformat(),
        "action": row.action,
        "actor_label": row.actor_label,
        "target_type": row.target_type,
        "target_id": row.target_id,
        "commune_code": row.commune_code,
        "data": row.data,
    }
    return hashlib.sha256(prev.encode() + canonical(fields)).hexdigest()


def _rows(model: Any, using: str) -> Any:
    return model.objects.using(using).order_by("id").iterator(chunk_size=BATCH)


def first_broken(model: Any, using: str, *, key: bytes | None) -> int | None:
    """The first write event that does not verify as the chain was: plain SHA-256 (key None)
    or keyed with `key`; None when it all verifies."""
    prev: str | None = LEGACY_GENESIS if key is None else None
    for row in _rows(model, using):
        if prev is None:  # a keyed chain starts at its genesis, whatever it was
            prev = row.prev_hash
        expected = (
            _legacy_hash(prev, row)
            if key is None
            else mac(key, WRITE, prev, chain_write_fields(row))
        )
        if row.prev_hash != prev or row.hash != expected:
            return int(row.pk)
        prev = row.hash
    return None


def _rechain(model: Any, chain: str, using: str, key: bytes, start: str) -> tuple[int, str]:
    fields = chain_write_fields if chain == WRITE else read_fields
    table = connections[using].ops.quote_name(model._meta.db_table)
    prev, count, batch = start, 0, []
    with connections[using].cursor() as cursor:
        for row in _rows(model, using):
            new = mac(key, chain, prev, fields(row))
            batch.append((prev, new, row.pk))
            prev, count = new, count + 1
            if len(batch) >= BATCH:
                cursor.executemany(
                    f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s", batch
                )
                batch = []
        if batch:
            cursor.executemany(f"UPDATE {table} SET prev_hash = %s, hash = %s WHERE id = %s", batch)
    return count, prev


def rechain_tables(
    audit_event: Any,
    read_event: Any,
    chain_identity: Any,
    *,
    using: str,
    previous: str,
    previous_first_broken: int | None,
) -> dict[str, Any]:
    """Re-MAC both chains with the current key (models given, so a migration can pass its
    historical ones), then close the write chain with an `audit.chain.rekeyed` event saying
    what the old chain was and whether it verified. Checkpoints follow on commit."""
    from muster.audit.checkpoints import checkpoint_write

    key = audit_mac_key()
    with transaction.atomic(using=using):
        lock_chain(WRITE, using)
        lock_chain(READ, using)
        identity = chain_identity.objects.using(using).values_list("identity", flat=True).first()
        if identity is None:
            identity = secrets.token_hex(16)
            chain_identity.objects.using(using).create(identity=identity)
        writes, head = _rechain(audit_event, WRITE, using, key, genesis(key, WRITE, identity))
        reads, _ = _rechain(read_event, READ, using, key, genesis(key, READ, identity))
        data = {
            "previous": previous,
            "previous_intact": previous_first_broken is None,
            "previous_first_broken": previous_first_broken,
            "write_events": writes,
            "read_events": reads,
        }
        event = audit_event(
            at=timezone.now(),
            action="audit.chain.rekeyed",
            actor_id=None,
            actor_label="system",
            target_type="audit.chain",
            target_id=identity,
            commune_code="",
            data=json.loads(canonical(data)),
            prev_hash=head,
        )
        event.hash = mac(key, WRITE, head, chain_write_fields(event))
        event.save(using=using, force_insert=True)
        for chain in (WRITE, READ):
            transaction.on_commit(partial(checkpoint_write, chain, using), using=using, robust=True)
    return data
