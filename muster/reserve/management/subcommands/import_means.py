"""`muster reserve import-means FILE --year Y [--rejects R.csv]`: a registry's yearly file of
reserve technical means (LLDBĐV Art. 13). Header exactly
`kind,registration,capability,capacity,owner,commune,state,registry` (docs/reserve.md);
re-running the same file changes nothing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from muster.core.exports import machine_csv_write
from muster.core.wording import reject_text
from muster.reserve import means_actions

HELP = "Import a registry's yearly file of reserve technical means (rows with problems rejected)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, help="the registry's CSV")
    parser.add_argument("--year", type=int, required=True, help="the registration year")
    parser.add_argument("--rejects", type=Path, help="rows refused (default: FILE.rejects.csv)")


def handle(options: dict[str, Any], out: TextIO) -> int:
    path: Path = options["file"]
    if not path.is_file():
        out.write(f"no such file: {path}\n")
        return 2
    outcome = means_actions.means_import(path=path, year=options["year"], acting_user=None)
    rejects: Path = options["rejects"] or path.with_suffix(".rejects.csv")
    if outcome.rejects or options["rejects"]:
        with rejects.open("w", encoding="utf-8", newline="") as stream:
            machine_csv_write(
                stream,
                ("line", "field", "reason"),
                (
                    (line, e.field, reject_text(e))
                    for line, errors in outcome.rejects
                    for e in errors
                ),
            )
    out.write(
        f"read {outcome.read}, created {outcome.created}, updated {outcome.updated}, "
        f"unchanged {outcome.unchanged}, rejected {len(outcome.rejects)}"
        + (f" (listed in {rejects})" if outcome.rejects else "")
        + "\n"
    )
    return 0
