"""`muster reserve SUBCOMMAND …`: each subcommand is a module in ../subcommands/."""

from __future__ import annotations

from types import ModuleType
from typing import ClassVar

from muster.core.management.subcommands import SubcommandCommand
from muster.reserve.management import subcommands


class Command(SubcommandCommand):
    help = "The reserve force: the register, reserve units and their assignment."
    package: ClassVar[ModuleType] = subcommands
