"""Re-encrypting everything sealed with the newest data key (`muster keys rotate`, and the
migration that sealed the first release's clear columns).

Every sealed column is found by its field class (`core.sealed`), so a new one needs no list
here. Each kind is done set-based or in batches by id, and each batch is one transaction that
the caller audits (`on_batch`): values under an older key (or still in clear) are selected by
their prefix, so a run killed midway resumes where it stopped and a second run changes nothing.
Files are rewritten beside the original and renamed over it, one at a time.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from muster.core.keys import data_keyring
from muster.core.sealed import (
    FILE_MAGIC,
    SealedCodeField,
    SealedCodesField,
    SealedFileField,
    SealedTextField,
    SealedValueField,
    bytes_kid,
    code_token,
    reseal,
    seal_bytes,
    unseal_bytes,
)

BATCH = 1000


@dataclass(frozen=True)
class Batch:
    table: str
    column: str
    rows: int  # values or files re-encrypted
    last_id: int | None  # the batch's last row (None: a set-based statement)


def sealed_fields(apps: Any = None) -> list[tuple[Any, Any]]:
    """(model, field) of every sealed column, in a stable order."""
    found = []
    for model in (apps or global_apps).get_models():
        for field in model._meta.concrete_fields:
            if isinstance(
                field,
                SealedValueField | SealedTextField | SealedCodeField | SealedFileField,
            ):
                found.append((model, field))
    return sorted(found, key=lambda mf: (mf[0]._meta.db_table, mf[1].column))


def reencrypt(
    *,
    apps: Any = None,
    using: str = DEFAULT_DB_ALIAS,
    batch_size: int = BATCH,
    on_batch: Callable[[Batch], None] | None = None,
) -> list[Batch]:
    """Bring every sealed value, pseudonym and file under the newest data key."""
    done: list[Batch] = []

    def report(batch: Batch) -> None:
        done.append(batch)
        if on_batch is not None:
            on_batch(batch)

    for model, field in sealed_fields(apps):
        if isinstance(field, SealedFileField):
            _files(model, field, using, batch_size, report)
        elif isinstance(field, SealedCodeField):
            _codes(model, field, using, report)
        else:
            _values(model, field, using, batch_size, report)
    return done


def _q(using: str, name: str) -> str:
    return connections[using].ops.quote_name(name)


def _values(model: Any, field: Any, using: str, size: int, report: Callable[[Batch], None]) -> None:
    """`KID$TOKEN` columns (and clear text not yet sealed), by id batches."""
    table, column = model._meta.db_table, field.column
    current = f"{data_keyring().newest.kid}$gAAAAA%"
    select = (
        f"SELECT id, {_q(using, column)} FROM {_q(using, table)} WHERE id > %s "
        f"AND {_q(using, column)} <> '' AND {_q(using, column)} NOT LIKE %s ORDER BY id LIMIT %s"
    )
    update = f"UPDATE {_q(using, table)} SET {_q(using, column)} = %s WHERE id = %s"
    last = 0
    while True:
        with transaction.atomic(using=using), connections[using].cursor() as cursor:
            cursor.execute(select, [last, current, size])
            rows = cursor.fetchall()
            if not rows:
                return
            cursor.executemany(update, [(reseal(value), pk) for pk, value in rows])
            last = rows[-1][0]
            report(Batch(table, column, len(rows), last))


def _codes(model: Any, field: Any, using: str, report: Callable[[Batch], None]) -> None:
    """Pseudonym columns, set-based: one UPDATE per sealed code and older form (the clear
    code itself, its pseudonym under each older key)."""
    ring = data_keyring()
    table, column = _q(using, model._meta.db_table), _q(using, field.column)
    for code in sorted(field.sealed.codes):
        target = code_token(code, ring.newest)
        sources = [code, *(code_token(code, key) for key in ring.keys if key != ring.newest)]
        for source in sources:
            with transaction.atomic(using=using), connections[using].cursor() as cursor:
                if isinstance(field, SealedCodesField):
                    wrapped = f"REPLACE(';' || {column} || ';', %s, %s)"
                    cursor.execute(
                        f"UPDATE {table} SET {column} = SUBSTR({wrapped}, 2, LENGTH({wrapped}) - 2) "
                        f"WHERE ';' || {column} || ';' LIKE %s",
                        [f";{source};", f";{target};"] * 2 + [f"%;{source};%"],
                    )
                else:
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s WHERE {column} = %s", [target, source]
                    )
                if cursor.rowcount:
                    report(Batch(model._meta.db_table, field.column, cursor.rowcount, None))


def _files(model: Any, field: Any, using: str, size: int, report: Callable[[Batch], None]) -> None:
    """Sealed files (and files stored before sealing), rewritten and renamed over, 0600."""
    newest = data_keyring().newest.kid
    rows = (
        model.objects.using(using)
        .exclude(**{field.attname: ""})
        .order_by("id")
        .values_list("id", field.attname)
    )
    pending = 0
    last = 0
    for pk, name in rows.iterator(chunk_size=size):
        path = Path(field.storage.path(name))
        if not path.exists():
            continue
        with path.open("rb") as handle:
            head = handle.read(len(FILE_MAGIC) + 8)
        if bytes_kid(head) == newest:
            continue
        stored = path.read_bytes()
        content = unseal_bytes(stored) if bytes_kid(head) else stored
        _replace(path, seal_bytes(content))
        pending, last = pending + 1, pk
        if pending >= size:
            report(Batch(model._meta.db_table, field.column, pending, last))
            pending = 0
    if pending:
        report(Batch(model._meta.db_table, field.column, pending, last))


def _replace(path: Path, content: bytes) -> None:
    temporary = path.with_name(f".{path.name}.sealing")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def sealed_file_paths(apps: Any = None, using: str = DEFAULT_DB_ALIAS) -> Iterable[Path]:
    """Every stored sealed file (for backups)."""
    for model, field in sealed_fields(apps):
        if isinstance(field, SealedFileField):
            for name in (
                model.objects.using(using)
                .exclude(**{field.attname: ""})
                .values_list(field.attname, flat=True)
            ):
                yield Path(field.storage.path(name))
