"""`muster import registrations|health|deferrals|service|reserve FILE [--rejects R.csv]`: migrate existing
military-service records from spreadsheets (issue #4); each kind is a module in ../imports/."""

from __future__ import annotations

from types import ModuleType
from typing import ClassVar

from muster.conscription.management import imports
from muster.core.management.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = (
        "Import military-service registrations, health examinations, deferrals or militia rosters."
    )
    package: ClassVar[ModuleType] = imports
