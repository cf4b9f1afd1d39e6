"""`muster import militia FILE [--rejects R.csv]`: militia rosters (DQTV Art. 8-10), through
`militia.imports` (the militia's own rules and actions)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from muster.militia.imports import COLUMNS, ImportRefused, militia_import

HELP = (
    "Import militia members from a UTF-8 CSV or .xlsx (header exactly "
    f"{', '.join(COLUMNS)}); each good row joins through the militia's rules, the decision "
    "recorded as imported; bad rows go to a rejects report (line, personal_id, field, reason, "
    "action). Safe to re-run."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help=f"CSV or xlsx with columns {', '.join(COLUMNS)}")
    parser.add_argument(
        "--rejects",
        type=Path,
        help="where to write the rejects report (default: FILE.rejects.csv beside it)",
    )


def handle(options: dict[str, Any], out: TextIO) -> int:
    path: Path = options["file"]
    rejects: Path = options.get("rejects") or path.with_name(path.name + ".rejects.csv")
    try:
        result = militia_import(path, rejects=rejects)
    except ImportRefused as exc:
        out.write(f"refused, nothing changed — {exc}\n")
        return 2
    out.write(f"{result.summary()}\n")
    if result.rejected:
        out.write(f"{result.rejected} rows were rejected: see the report\n")
    out.write(f"quality report: {rejects}\n")
    return 0
