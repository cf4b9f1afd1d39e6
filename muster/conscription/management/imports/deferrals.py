"""`muster import deferrals FILE [--rejects R.csv]`: deferrals and exemptions of call-up (MSL Art. 41)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from muster.conscription.imports.records import DeferralSpec, cli_arguments, cli_import

HELP = (
    "Import deferrals and exemptions of call-up (MSL Art. 41) from a UTF-8 CSV; bad rows go to a rejects report "
    "(line, personal_id, field, reason, action). Safe to re-run."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cli_arguments(parser, DeferralSpec.columns)


def handle(options: dict[str, Any], out: TextIO) -> int:
    return cli_import("deferrals", options, out)
