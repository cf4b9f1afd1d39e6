"""`muster import health FILE [--rejects R.csv]`: health examination results (MSL Art. 40; measurements sealed)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from muster.conscription.imports.records import HealthSpec, cli_arguments, cli_import

HELP = (
    "Import health examination results (MSL Art. 40; measurements sealed) from a UTF-8 CSV; bad rows go to a rejects report "
    "(line, personal_id, field, reason, action). Safe to re-run."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cli_arguments(parser, HealthSpec.columns)


def handle(options: dict[str, Any], out: TextIO) -> int:
    return cli_import("health", options, out)
