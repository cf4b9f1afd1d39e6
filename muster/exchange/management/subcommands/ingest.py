"""`muster exchange ingest EXTRACT [--manifest M] [--rejects R.csv]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from muster.exchange.ingest import BATCH_ROWS, extract_ingest
from muster.exchange.ingest_file import ExtractRefused

HELP = (
    "Check a signed population-register extract (CSV or Parquet) and upsert its valid rows; "
    "problems go to a rejects CSV (line, personal_id, field, reason, action)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("extract", type=Path, help="the extract file (CSV or Parquet)")
    parser.add_argument(
        "--manifest", type=Path, help="its signed manifest (default: EXTRACT.manifest.json)"
    )
    parser.add_argument(
        "--rejects",
        type=Path,
        help="where to write the quality report (default: EXTRACT.rejects.csv beside it)",
    )
    parser.add_argument(
        "--batch-rows",
        type=int,
        default=BATCH_ROWS,
        help=f"rows per batch (default {BATCH_ROWS}; small values are for tests)",
    )


def handle(options: dict[str, Any], out: TextIO) -> int:
    path: Path = options["extract"]
    rejects: Path = options["rejects"] or path.with_name(path.name + ".rejects.csv")

    def progress(done: int) -> None:
        out.write(f"loaded {done} rows\n")
        out.flush()

    try:
        result = extract_ingest(
            path,
            manifest=options["manifest"],
            rejects=rejects,
            batch_rows=max(1, options["batch_rows"]),
            progress=progress,
        )
    except ExtractRefused as exc:
        out.write(f"refused, nothing changed — {exc}\n")
        return 2
    out.write(f"{result.summary()}\n")
    out.write(f"quality report: {result.rejects_path}\n")
    return 0
