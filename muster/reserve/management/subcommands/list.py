"""`muster reserve list (--commune CODE | --province CODE) [--as-of D] --format csv|xlsx
[--out F]`: everyone who is or was in the reserve of the area, with category, group and status
(`in_reserve | aged_out | left`) as of the day, in the contract's columns
(`register_exports.CONTRACT_COLUMNS`): codes and ISO dates. The operator runs as the system
(national, as imports do); every person written is logged as read (channel `cli`)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from django.utils import timezone

from muster.core.errors import NotFound
from muster.core.exports import machine_csv_write, xlsx_bytes
from muster.core.wording import error_text
from muster.reserve import register_queries as queries
from muster.reserve.register_exports import CONTRACT_COLUMNS, contract_row, contract_table

HELP = "Write the reserve register of a province or commune as of a day (CSV or XLSX)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    area = parser.add_mutually_exclusive_group(required=True)
    area.add_argument("--commune", help="2025 commune code, e.g. 00004")
    area.add_argument("--province", help="2025 province code, e.g. 01")
    parser.add_argument(
        "--as-of", type=date.fromisoformat, help="the day (YYYY-MM-DD; default today)"
    )
    parser.add_argument("--format", choices=("csv", "xlsx"), required=True)
    parser.add_argument("--out", type=Path, help="the file to write (default: standard output)")


def handle(options: dict[str, Any], out: TextIO) -> int:
    day: date = options["as_of"] or timezone.localdate()
    code = options["commune"] or options["province"]
    try:
        area = queries.area_on(None, code, timezone.localdate())
    except NotFound as exc:
        out.write(f"{error_text(exc)}\n")
        return 2
    rows = queries.register_for_file(None, area=area, day=day, channel="cli")
    target: Path | None = options["out"]
    if options["format"] == "xlsx":
        data = xlsx_bytes(contract_table(rows, area=area, day=day))
        if target is None:
            sys.stdout.buffer.write(data)
        else:
            target.write_bytes(data)
    elif target is None:
        machine_csv_write(out, CONTRACT_COLUMNS, (contract_row(r) for r in rows))
    else:
        with target.open("w", encoding="utf-8", newline="") as stream:
            machine_csv_write(stream, CONTRACT_COLUMNS, (contract_row(r) for r in rows))
    if target is not None:
        out.write(f"{len(rows)} persons of {area.name} as of {day.isoformat()} → {target}\n")
    return 0
