"""`muster import registrations|health|deferrals FILE [--rejects R.csv]`: migrate existing
military-service records from spreadsheets (issue #4). Each subcommand is a module
`management/subcommands/import_<kind>.py` defining `HELP`, `add_arguments(parser)` and
`handle(options, out) -> int` (the exit code).
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from muster.conscription.management.subcommands import (
    import_deferrals,
    import_health,
    import_registrations,
)

SUBCOMMANDS = {
    "registrations": import_registrations,
    "health": import_health,
    "deferrals": import_deferrals,
}


class Command(BaseCommand):
    help = "Import military-service registrations, health examinations or deferrals from CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, module in SUBCOMMANDS.items():
            sub_parser = sub.add_parser(name, help=module.HELP, description=module.HELP)
            module.add_arguments(sub_parser)

    def handle(self, *args: Any, **options: Any) -> None:
        code = SUBCOMMANDS[options["subcommand"]].handle(options, self.stdout)
        if code:
            sys.exit(code)
