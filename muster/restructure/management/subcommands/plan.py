"""`muster restructure plan PLAN [--csv FILE]`: compute a plan without changing any record."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from muster.core.errors import InvalidInput
from muster.restructure.actions import plan_save
from muster.restructure.compute import plan_compute
from muster.restructure.plans import plan_get

GAPS_SHOWN = 20
HELP = (
    "Compute a plan (coverage, moves, split cases, gaps) without changing any record; "
    "--csv loads the plan's successions from a file first (docs/restructure.md)."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", help='the plan key, e.g. "vn-2025"')
    parser.add_argument("--csv", type=Path, default=None, help="a succession CSV")


def handle(options: dict[str, Any], out: TextIO) -> int:
    if options.get("csv"):
        path: Path = options["csv"]
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInput.single(str(path), "FILE_NOT_UTF8", {"byte": exc.start}) from exc
        except OSError as exc:
            raise InvalidInput.single(
                str(path), "FILE_UNREADABLE", {"reason": exc.strerror}
            ) from exc
        plan = plan_save(key=options["plan"], title=path.name, text=text, acting_user=None)
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
    # Up to GAPS_SHOWN of each kind: thousands of one kind must not hide the others.
    kinds: dict[str, list[Any]] = {}
    for gap in summary.gaps:
        kinds.setdefault(gap.kind, []).append(gap)
    by_kind = ", ".join(f"{kind} {len(gaps)}" for kind, gaps in sorted(kinds.items()))
    out.write(f"gaps: {len(summary.gaps)}" + (f" ({by_kind})" if by_kind else "") + "\n")
    for gaps in kinds.values():
        for gap in gaps[:GAPS_SHOWN]:
            out.write(f"  {gap.text} — fix: {gap.fix}\n")
        if len(gaps) > GAPS_SHOWN:
            out.write(f"  … {len(gaps) - GAPS_SHOWN} more {gaps[0].kind}\n")
    return 0
