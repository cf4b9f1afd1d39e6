"""`muster reserve assign --province CODE [--as-of D] [--commit] --out PLAN.csv`.

Proposes the province's assignment of reservists to its reserve units on the day (LLDBĐV
Art. 16-17, `reserve.solver`) and writes it, one row per seat filled, with the columns of the
contract `PLAN_COLUMNS`. With `--commit` the proposal takes effect from the day: the operator
runs as the system (as imports do), which both proposes and approves.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from django.utils import timezone

from muster.core.exports import machine_csv_write
from muster.reserve import figures, unit_actions
from muster.reserve.assignment_input import assignment_input
from muster.reserve.solver import solve
from muster.reserve.unit_queries import access_province, personal_ids

HELP = "Propose (and with --commit, make) the assignment of a province's reservists to units."
PLAN_COLUMNS = ("unit_code", "position", "specialty", "personal_id", "match", "category")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--province", required=True, help="2025 province code, e.g. 01")
    parser.add_argument(
        "--as-of", type=date.fromisoformat, help="the day it takes effect (YYYY-MM-DD; today)"
    )
    parser.add_argument("--commit", action="store_true", help="make the assignment take effect")
    parser.add_argument("--out", type=Path, required=True, help="the plan CSV to write")


def handle(options: dict[str, Any], out: TextIO) -> int:
    day: date = options["as_of"] or timezone.localdate()
    province = access_province(None, options["province"], day=day)
    found = assignment_input(province, day)
    if options["commit"]:
        proposal, solution = unit_actions.proposal_draft(
            province=province, day=day, acting_user=None
        )
        counts = unit_actions.proposal_approve(
            province=province, proposal=proposal, acting_user=None
        )
    else:
        solution, counts = solve(found.problem), {}
    people = {c.person_id: c for c in found.problem.candidates}
    ids = personal_ids(None, [p.person_id for p in solution.placements], channel="cli")
    rows = sorted(
        (
            found.units[found.posts[p.post_id].unit_id].code,
            found.posts[p.post_id].position,
            found.posts[p.post_id].specialty,
            ids[p.person_id],
            p.match,
            people[p.person_id].category,
        )
        for p in solution.placements
    )
    with options["out"].open("w", encoding="utf-8", newline="") as stream:
        machine_csv_write(stream, PLAN_COLUMNS, rows)
    total = figures.total(
        figures.unit_figures(found.problem.posts, found.problem.candidates, solution.placements)
    )
    out.write(
        f"{len(found.units)} units, {total.seats} seats: {total.filled} filled "
        f"({total.staffing_rate:.1%}), {total.spare_filled}/{total.spare_seats} spare, "
        f"exact {total.exact_rate:.1%}, category 1 {total.category_1_share:.1%}"
        + (
            f"; committed from {day.isoformat()}: {counts['opened']} opened, "
            f"{counts['closed']} closed, {counts['kept']} kept"
            if counts
            else "; proposal only (--commit to make it take effect)"
        )
        + "\n"
    )
    return 0
