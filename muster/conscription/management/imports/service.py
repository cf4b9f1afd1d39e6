"""`muster import service FILE [--rejects R.csv]`: past active service (MSL Art. 21-22), each row also a reserve entry by the rules of a discharge (MSL Art. 24)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from muster.conscription.imports.history import cli_history_import

HELP = (
    "Import past active service (MSL Art. 21-22), each row also a reserve entry by the rules of a discharge (MSL Art. 24), from a UTF-8 CSV with the header exactly: personal_id, enlisted_on, discharged_on, unit. Bad rows go to a rejects "
    "report (line, personal_id, field, reason, action). Safe to re-run."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", type=Path, help="UTF-8 CSV: personal_id, enlisted_on, discharged_on, unit"
    )
    parser.add_argument(
        "--rejects",
        type=Path,
        help="where to write the rejects report (default: FILE.rejects.csv beside it)",
    )


def handle(options: dict[str, Any], out: TextIO) -> int:
    return cli_history_import("service", options, out)
