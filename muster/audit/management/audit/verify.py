"""`muster audit verify`: exit 0 when both chains verify, 1 naming the first bad event of each
chain otherwise (an edited, inserted or deleted row, deleted newest rows, a bad checkpoint)."""

from __future__ import annotations

from typing import Any, TextIO

from django.core.management.base import CommandParser

from muster.audit.checkpoints import checkpoint_path
from muster.audit.verify import verify

HELP = "Verify both audit chains (writes, reads) against the MAC key and the checkpoint file."


def add_arguments(parser: CommandParser) -> None:
    pass


def handle(options: dict[str, Any], out: TextIO) -> int:
    report = verify()
    for problem in report.problems:
        out.write(f"BROKEN {problem}\n")
    if not report.intact:
        return 1
    anchored = ", ".join(f"{k} {v}" for k, v in sorted(report.anchored.items())) or "none"
    out.write(
        f"intact: {report.checked.get('write', 0)} write events, "
        f"{report.checked.get('read', 0)} read events; newest checkpointed ids: {anchored} "
        f"({checkpoint_path()})\n"
    )
    return 0
