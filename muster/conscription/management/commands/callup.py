"""`muster callup SUBCOMMAND …`: each subcommand is a module in ../callup/."""

from __future__ import annotations

from types import ModuleType
from typing import ClassVar

from muster.conscription.management import callup
from muster.core.management.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = "Military-service call-up: candidate lists, statutory reports, worklist refresh."
    package: ClassVar[ModuleType] = callup
