"""`muster keys status|rotate|backup-key`: the data key ring kept apart from the database
(docs/security.md § Keys); each subcommand is a module in ../keys/."""

from __future__ import annotations

from types import ModuleType
from typing import ClassVar

from muster.core.management import keys
from muster.core.management.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = "Show, rotate or create the keys kept apart from the database."
    package: ClassVar[ModuleType] = keys
