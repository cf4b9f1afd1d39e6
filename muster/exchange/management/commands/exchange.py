"""`muster exchange SUBCOMMAND …`: each subcommand is a module in ../subcommands/.

A subcommand module defines `HELP: str`, `add_arguments(parser)` and
`handle(options: dict, out: TextIO) -> int` (the exit code).
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from types import ModuleType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from muster.core.errors import InvalidInput
from muster.exchange.management import subcommands


def _modules() -> dict[str, ModuleType]:
    found = {}
    for info in pkgutil.iter_modules(subcommands.__path__):
        module = importlib.import_module(f"{subcommands.__name__}.{info.name}")
        found[info.name.replace("_", "-")] = module
    return found


class Command(BaseCommand):
    help = "Exchange with the population register: trust keys, ingest extracts, pull the feed."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, module in sorted(_modules().items()):
            sub_parser = sub.add_parser(name, help=module.HELP, description=module.HELP)
            module.add_arguments(sub_parser)

    def handle(self, *args: Any, **options: Any) -> None:
        module = _modules()[options["subcommand"]]
        try:
            code = module.handle(options, self.stdout)
        except InvalidInput as exc:
            raise CommandError(str(exc)) from exc
        if code:
            sys.exit(code)
