"""`muster keys status`: where the keys are, the data key ring (newest last), and how many
sealed values each column still holds under an older key."""

from __future__ import annotations

from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import CommandParser
from django.db import connection

from muster.core.keys import data_keyring, key_dir
from muster.core.rotation import sealed_fields
from muster.core.sealed import SealedCodeField, SealedFileField

HELP = "Show where the keys are and what is not yet under the newest data key."


def add_arguments(parser: CommandParser) -> None:
    pass


def handle(options: dict[str, Any], out: TextIO) -> int:
    ring = data_keyring()
    source = "MUSTER_DATA_KEYS" if settings.MUSTER_DATA_KEYS else str(key_dir() / "data.keys")
    out.write(f"key folder: {key_dir()}\ndata keys ({source}): ")
    out.write(", ".join(k.kid for k in ring.keys) + f" (newest {ring.newest.kid})\n")
    quote = connection.ops.quote_name
    for model, field in sealed_fields():
        if isinstance(field, SealedCodeField | SealedFileField):
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {quote(model._meta.db_table)} WHERE {quote(field.column)} "
                f"<> '' AND {quote(field.column)} NOT LIKE %s",
                [f"{ring.newest.kid}$gAAAAA%"],
            )
            older = cursor.fetchone()[0]
        out.write(f"{model._meta.db_table}.{field.column}: {older} not under {ring.newest.kid}\n")
    return 0
