"""`muster exchange SUBCOMMAND …`: each subcommand is a module in ../subcommands/."""

from __future__ import annotations

from types import ModuleType
from typing import ClassVar

from muster.core.management.subcommands import SubcommandCommand
from muster.exchange.management import subcommands


class Command(SubcommandCommand):
    help = "Exchange with the population register: trust keys, ingest extracts, pull the feed."
    package: ClassVar[ModuleType] = subcommands
