"""`muster restructure apply PLAN [--accept-proposals]`: apply in resumable batches."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from muster.restructure.actions import plan_apply_checked
from muster.restructure.plans import plan_get

HELP = (
    "Apply a plan in resumable batches (safe to kill and re-run; applying twice changes "
    "nothing). Refused while split cases are open unless --accept-proposals."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("plan", help='the plan key, e.g. "vn-2025"')
    parser.add_argument(
        "--accept-proposals",
        action="store_true",
        help="decide every open split case by its proposal",
    )
    parser.add_argument("--batch-size", type=int, default=50_000, help="persons per batch")
    parser.add_argument(
        "--path",
        choices=["auto", "rewrite", "batched"],
        default="auto",
        help="rewrite: PostgreSQL only, the person tables rewritten in one transaction under "
        "exclusive locks (a maintenance window); auto: rewrite from 100,000 persons",
    )


def handle(options: dict[str, Any], out: TextIO) -> int:
    plan = plan_get(options["plan"])
    # The operator at the CLI acts as the system: `accounts.permissions` allows it everything.
    result = plan_apply_checked(
        plan=plan,
        acting_user=None,
        accept_proposals=bool(options.get("accept_proposals")),
        batch_size=options.get("batch_size") or 50_000,
        rewrite={"rewrite": True, "batched": False}.get(options.get("path") or "auto"),
    )
    if result.already_applied:
        out.write(f"plan {result.plan} is already applied: nothing to do\n")
        return 0
    out.write(
        f"plan {result.plan} applied: {result.persons} persons in {result.batches} batches, "
        f"{result.users} users, {result.territories} territories, "
        f"{result.org_units} commands ended, {result.counts.get('militia', 0)} militia members moved\n"
    )
    return 0
