"""`muster restructure revert PLAN`: put back what an applied plan changed."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from muster.restructure.actions import plan_revert_checked
from muster.restructure.plans import plan_get

HELP = "Revert an applied plan from its journal (refused when a later applied plan exists)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", help='the plan key, e.g. "vn-2025"')


def handle(options: dict[str, Any], out: TextIO) -> int:
    counts = plan_revert_checked(plan=plan_get(options["plan"]), acting_user=None)
    out.write(
        f"plan {options['plan']} reverted: {counts['persons']} persons, {counts['users']} users, "
        f"{counts['territories']} territories, {counts['militia']} militia members\n"
    )
    return 0
