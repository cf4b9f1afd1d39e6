"""`muster keys backup-key FILE`: create a backup key file (32 random bytes, base64, 0600) for
`muster backup --key-file FILE`. Keep it away from the backups and the server."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError, CommandParser

from muster.core.keys import KeyFileError, backup_key_create

HELP = "Create a backup key file (never overwrites one)."


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument("file", type=Path)


def handle(options: dict[str, Any], out: TextIO) -> int:
    try:
        backup_key_create(options["file"])
    except KeyFileError as exc:
        raise CommandError(str(exc)) from exc
    out.write(f"backup key written to {options['file']} (mode 0600)\n")
    return 0
