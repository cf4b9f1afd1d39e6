"""`muster callup refresh-worklists [--today D]`: ended deferrals back on the worklists."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any, TextIO

from django.utils import timezone

from muster.conscription.bulk import deferral_worklist_refresh

HELP = (
    "Put men whose deferral of call-up has ended back on their commune's worklist "
    "(MSL Art. 41(3)); safe to re-run."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="the reference date as YYYY-MM-DD (default: today)",
    )


def handle(options: dict[str, Any], out: TextIO) -> int:
    today: date = options.get("today") or timezone.localdate()
    counts = deferral_worklist_refresh(today=today)
    out.write(
        f"deferrals ended by {today.isoformat()}: {counts.ended} · work items opened: "
        f"{counts.opened}\n"
    )
    return 0
