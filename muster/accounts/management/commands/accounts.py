"""`muster accounts SUBCOMMAND …`: each subcommand is a module in ../subcommands/."""

from __future__ import annotations

from types import ModuleType
from typing import ClassVar

from muster.accounts.management import subcommands
from muster.core.management.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = "User accounts from the server's shell: the second factor of a user who lost it."
    package: ClassVar[ModuleType] = subcommands
