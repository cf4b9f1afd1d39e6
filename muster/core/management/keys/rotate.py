"""`muster keys rotate [--new-key]`: re-encrypt every sealed value, pseudonym and file with the
newest data key (`--new-key` first adds one to the ring file). Batched, each batch audited
(`keys.data.reencrypted`); killed midway, a re-run resumes; run again, it changes nothing."""

from __future__ import annotations

from typing import Any, TextIO

from django.core.management.base import CommandError, CommandParser
from django.db import transaction

from muster import audit
from muster.core.keys import KeyFileError, data_key_add, data_keyring
from muster.core.rotation import BATCH, Batch, reencrypt

HELP = "Re-encrypt everything sealed with the newest data key (--new-key: add one first)."


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--new-key", action="store_true", help="add a new key to the ring file and use it"
    )
    parser.add_argument("--batch-size", type=int, default=BATCH)


def _audited(batch: Batch) -> None:
    with transaction.atomic():
        audit.record(
            "keys.data.reencrypted",
            actor=None,
            target=("keys.data", batch.table),
            data={
                "column": batch.column,
                "rows": batch.rows,
                "last_id": batch.last_id,
                "key": data_keyring().newest.kid,
            },
        )


def handle(options: dict[str, Any], out: TextIO) -> int:
    if options["new_key"]:
        try:
            key = data_key_add()
        except KeyFileError as exc:
            raise CommandError(str(exc)) from exc
        with transaction.atomic():
            audit.record("keys.data.added", actor=None, target=("keys.data", key.kid))
        out.write(f"added data key {key.kid}: it encrypts from now on\n")
    newest = data_keyring().newest.kid
    totals: dict[str, int] = {}

    def on_batch(batch: Batch) -> None:
        _audited(batch)
        name = f"{batch.table}.{batch.column}"
        totals[name] = totals.get(name, 0) + batch.rows

    reencrypt(batch_size=options["batch_size"], on_batch=on_batch)
    for name, rows in sorted(totals.items()):
        out.write(f"{name}: {rows} re-encrypted\n")
    out.write(f"everything sealed is under data key {newest}\n")
    return 0
