"""`muster restructure plan|apply|revert PLAN`: each subcommand is a module in ../subcommands/."""

from __future__ import annotations

from types import ModuleType
from typing import ClassVar

from muster.core.management.subcommands import SubcommandCommand
from muster.restructure.management import subcommands


class Command(SubcommandCommand):
    help = "Restructuring plans: compute (plan), apply in resumable batches, revert."
    package: ClassVar[ModuleType] = subcommands
