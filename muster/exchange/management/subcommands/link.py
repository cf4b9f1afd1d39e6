"""`muster exchange link LEGACY.csv --out MATCHES.csv [--rejects R.csv] [--source NAME]
[--engine duckdb|spark]`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from muster.linkage import actions, engine, rules

HELP = "Link legacy district-command records to registry people (exact IDs, then Splink)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "legacy", type=Path, help="legacy CSV (" + ", ".join(rules.LEGACY_COLUMNS) + ")"
    )
    parser.add_argument("--out", type=Path, required=True, help="matches CSV to write")
    parser.add_argument(
        "--rejects", type=Path, help="rows that could not be read (default: OUT.rejects.csv)"
    )
    parser.add_argument(
        "--source", help="name of the legacy source (default: the file name without extension)"
    )
    parser.add_argument(
        "--link-threshold", type=float, help="probability that links (default 0.95 or settings)"
    )
    parser.add_argument(
        "--review-threshold",
        type=float,
        help="probability that asks for review (default 0.6 or settings)",
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="write the CSV files but store nothing"
    )
    parser.add_argument(
        "--engine",
        choices=engine.ENGINES,
        default="duckdb",
        help="where the model is scored: DuckDB here (default) or Spark (local mode, or the"
        " cluster MUSTER_SPARK_MASTER names) for national-scale files",
    )


def handle(options: dict[str, Any], out: TextIO) -> int:
    path: Path = options["legacy"]
    if not path.is_file():
        out.write(f"no such file: {path}\n")
        return 2
    default = actions.default_thresholds()
    try:
        thresholds = rules.Thresholds(
            link=options["link_threshold"]
            if options["link_threshold"] is not None
            else default.link,
            review=options["review_threshold"]
            if options["review_threshold"] is not None
            else default.review,
        )
    except ValueError as exc:
        out.write(f"{exc}\n")
        return 2
    outcome = actions.legacy_file_link(
        path=path,
        source=options["source"] or path.stem,
        thresholds=thresholds,
        acting_user=None,
        dry_run=options["dry_run"],
        engine_name=options["engine"],
    )
    actions.write_matches(outcome.matches, options["out"])
    rejects_path: Path = options["rejects"] or options["out"].with_suffix(".rejects.csv")
    if outcome.rejects or options["rejects"]:
        actions.write_rejects(outcome.rejects, rejects_path)
    c = outcome.counts
    out.write(
        f"read {c['read']}, linked {c['linked']}, review {c['review']}, "
        f"unmatched {c['unmatched']}, rejected {c['rejected']}"
        + (f" (problems listed in {rejects_path})" if outcome.rejects else "")
        + (" — dry run, nothing stored" if options["dry_run"] else "")
        + "\n"
    )
    return 0
