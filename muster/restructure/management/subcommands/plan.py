"""`muster restructure plan PLAN [--csv FILE]`: compute a plan without changing any record."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from muster.restructure.compute import plan_compute
from muster.restructure.plans import csv_plan_load_file, plan_get

HELP = (
    "Compute a plan (coverage, moves, split cases, gaps) without changing any record; "
    "--csv loads the plan's successions from a file first (docs/restructure.md)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", help='the plan key, e.g. "vn-2025"')
    parser.add_argument("--csv", type=Path, default=None, help="a succession CSV")


def handle(options: dict[str, Any], out: TextIO) -> int:
    if options.get("csv"):
        plan = csv_plan_load_file(key=options["plan"], path=options["csv"])
    else:
        plan = plan_get(options["plan"])
    summary = plan_compute(plan)
    out.write(
        f"plan {summary.key} effective {summary.effective_on}: {summary.steps} steps, "
        f"{summary.affected_units} units affected\n"
    )
    if summary.orphans:
        out.write(f"ORPHANS ({len(summary.orphans)}): units without a successor\n")
        for o in summary.orphans:
            out.write(f"  {o.unit_type} {o.code} {o.name}: {o.records} records\n")
    else:
        out.write("coverage: every affected unit has a successor\n")
    by_type: dict[str, int] = {}
    for move in summary.moves:
        by_type[move.record_type] = by_type.get(move.record_type, 0) + move.count
    out.write(
        "moves: " + (", ".join(f"{k} {v}" for k, v in sorted(by_type.items())) or "none") + "\n"
    )
    for move in summary.moves[:50]:
        out.write(
            f"  {move.record_type:9} {move.old_code} {move.old_name} → "
            f"{move.new_code} {move.new_name}: {move.count}\n"
        )
    if len(summary.moves) > 50:
        out.write(f"  … {len(summary.moves) - 50} more\n")
    out.write(
        f"split cases: {summary.split_persons} persons, {summary.split_open} open for review\n"
    )
    out.write(f"gaps: {len(summary.gaps)}\n")
    for gap in summary.gaps[:50]:
        out.write(f"  {gap.text} — fix: {gap.fix}\n")
    return 0
