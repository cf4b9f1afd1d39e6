"""`muster militia roster --command CODE [--as-of D] --format csv|xlsx [--out F]`: a commune
command's militia roster on a day (issue 16)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from django.utils import timezone

from muster.core.errors import NotFound
from muster.core.exports import machine_csv_write, xlsx_bytes
from muster.militia.exports import roster_file_table
from muster.militia.queries import ROSTER_COLUMNS, militia_roster, roster_values

HELP = (
    "A commune command's militia roster on a day (default today): CSV with columns "
    f"{', '.join(ROSTER_COLUMNS)} (ISO dates), or xlsx in the statutory roster layout."
)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--command", required=True, help="the commune command's code")
    parser.add_argument("--as-of", type=_day, help="the roster on this day, YYYY-MM-DD")
    parser.add_argument("--format", choices=("csv", "xlsx"), required=True)
    parser.add_argument("--out", type=Path, help="write to this file (default: standard output)")


def handle(options: dict[str, Any], out: TextIO) -> int:
    day = options["as_of"] or timezone.localdate()
    # The operator's file is a read of personal data like a page's (no user: the system).
    try:
        roster = militia_roster(None, code=options["command"], day=day, channel="cli")
    except NotFound as exc:
        out.write(f"{exc}\n")
        return 2
    path: Path | None = options["out"]
    if options["format"] == "xlsx":
        data = xlsx_bytes(roster_file_table(roster, today=timezone.localdate()))
        if path is None:
            sys.stdout.buffer.write(data)
        else:
            path.write_bytes(data)
        return 0
    rows = (roster_values(m, day) for m in roster.members)
    if path is None:
        machine_csv_write(out, ROSTER_COLUMNS, rows)
    else:
        with path.open("w", encoding="utf-8", newline="") as stream:
            machine_csv_write(stream, ROSTER_COLUMNS, rows)
    return 0
