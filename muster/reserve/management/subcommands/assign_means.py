"""`muster reserve assign-means --province CODE [--as-of D]`: the province's reserve technical
means in working order to its units' needs, by capability (LLDBĐV Art. 18)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any, TextIO

from django.utils import timezone

from muster.reserve import means_actions
from muster.reserve.unit_queries import access_province

HELP = "Assign a province's reserve technical means to its reserve units by capability."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--province", required=True, help="2025 province code, e.g. 01")
    parser.add_argument(
        "--as-of", type=date.fromisoformat, help="the day it takes effect (YYYY-MM-DD; today)"
    )


def handle(options: dict[str, Any], out: TextIO) -> int:
    day: date = options["as_of"] or timezone.localdate()
    province = access_province(None, options["province"], day=day)
    counts = means_actions.means_assign(province=province, day=day, acting_user=None)
    out.write(
        f"{counts['assigned']} means assigned from {day.isoformat()}: {counts['opened']} new, "
        f"{counts['kept']} kept, {counts['closed']} ended\n"
    )
    return 0
