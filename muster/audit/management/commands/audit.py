"""`muster audit verify|rekey`: check both audit chains, or re-MAC them with the current key
(docs/security.md § Audit verification); each subcommand is a module in ../audit/."""

from __future__ import annotations

from types import ModuleType
from typing import ClassVar

from muster.audit.management import audit
from muster.core.management.subcommands import SubcommandCommand


class Command(SubcommandCommand):
    help = "Verify the audit chains against their key and checkpoints, or re-MAC them."
    package: ClassVar[ModuleType] = audit
