"""`muster import reserve FILE [--rejects R.csv]`: the reserve register on its MSL Art. 24 bases (RES_CAT1_A … RES_CAT2_DD); rank and specialty may be empty."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from muster.conscription.imports.history import cli_history_import

HELP = (
    "Import the reserve register on its MSL Art. 24 bases (RES_CAT1_A … RES_CAT2_DD); rank and specialty may be empty, from a UTF-8 CSV with the header exactly: personal_id, basis, entered_on, rank, specialty. Bad rows go to a rejects "
    "report (line, personal_id, field, reason, action). Safe to re-run."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", type=Path, help="UTF-8 CSV: personal_id, basis, entered_on, rank, specialty"
    )
    parser.add_argument(
        "--rejects",
        type=Path,
        help="where to write the rejects report (default: FILE.rejects.csv beside it)",
    )


def handle(options: dict[str, Any], out: TextIO) -> int:
    return cli_history_import("reserve", options, out)
