"""`muster import registrations FILE [--rejects R.csv]`: military-service registrations (MSL Art. 12, 16–17)."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from muster.conscription.imports.records import RegistrationSpec, cli_arguments, cli_import

HELP = (
    "Import military-service registrations (MSL Art. 12, 16–17) from a UTF-8 CSV; bad rows go to a rejects report "
    "(line, personal_id, field, reason, action). Safe to re-run."
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    cli_arguments(parser, RegistrationSpec.columns)


def handle(options: dict[str, Any], out: TextIO) -> int:
    return cli_import("registrations", options, out)
