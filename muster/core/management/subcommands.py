"""`muster NAME SUBCOMMAND …` commands whose subcommands are the modules of one package.

A subcommand module defines `HELP: str`, `add_arguments(parser)` and
`handle(options: dict, out: TextIO) -> int` (the exit code); `some_thing.py` is run as
`some-thing`. `InvalidInput` from an action becomes a clean command error.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from types import ModuleType
from typing import Any, ClassVar

from django.core.management.base import BaseCommand, CommandError, CommandParser

from muster.core.errors import InvalidInput


def subcommand_modules(package: ModuleType) -> dict[str, ModuleType]:
    found = {}
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        found[info.name.replace("_", "-")] = module
    return found


class SubcommandCommand(BaseCommand):
    package: ClassVar[ModuleType]

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name, module in sorted(subcommand_modules(self.package).items()):
            sub_parser = sub.add_parser(name, help=module.HELP, description=module.HELP)
            module.add_arguments(sub_parser)

    def handle(self, *args: Any, **options: Any) -> None:
        module = subcommand_modules(self.package)[options["subcommand"]]
        try:
            code = module.handle(options, self.stdout)
        except InvalidInput as exc:
            raise CommandError(str(exc)) from exc
        if code:
            sys.exit(code)
