"""`muster audit rekey [--previous-key FILE]`: re-MAC both chains with the current key (after
the key file was replaced, e.g. on suspicion it leaked). The write chain is first checked as it
was — under the previous key when given, else as the first release's SHA-256 chain — and the
result is recorded in the `audit.chain.rekeyed` event that closes the new chain."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from muster.audit.models import AuditEvent, ChainIdentity, ReadEvent
from muster.audit.rekey import first_broken, rechain_tables

HELP = "Re-MAC both audit chains with the current key, recording whether the old chain verified."


def add_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--previous-key",
        type=Path,
        help="the MAC key file the chain was written with (default: a SHA-256 chain)",
    )


def handle(options: dict[str, Any], out: TextIO) -> int:
    previous: Path | None = options["previous_key"]
    key = None
    if previous is not None:
        try:
            key = base64.b64decode(previous.read_bytes().strip(), validate=True)
        except (OSError, ValueError) as exc:
            raise CommandError(f"{previous}: not a MAC key file ({exc})") from exc
    broken = first_broken(AuditEvent, DEFAULT_DB_ALIAS, key=key)
    data = rechain_tables(
        AuditEvent,
        ReadEvent,
        ChainIdentity,
        using=DEFAULT_DB_ALIAS,
        previous="hmac" if key else "sha256",
        previous_first_broken=broken,
    )
    state = "verified" if broken is None else f"was broken at event {broken}"
    out.write(
        f"re-MACed {data['write_events']} write and {data['read_events']} read events; "
        f"the old chain {state} (recorded in the audit.chain.rekeyed event)\n"
    )
    return 0
