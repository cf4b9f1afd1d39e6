"""`muster militia roster …`: the militia's commands (issue 16)."""

from __future__ import annotations

from types import ModuleType
from typing import ClassVar

from muster.core.management.subcommands import SubcommandCommand
from muster.militia.management import subcommands


class Command(SubcommandCommand):
    help = "The militia: a commune command's roster as a file."
    package: ClassVar[ModuleType] = subcommands
