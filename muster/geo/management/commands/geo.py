"""`muster geo load`: load or refresh administrative units, successions and outlines."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from muster.geo.bulk import load_admin_units
from muster.geo.source import SourceError

_STEPS = {
    "read": "Reading vietnamadminunits",
    "units": "Administrative units",
    "successions": "Successions",
    "shapes": "Approximate outlines",
}


class Command(BaseCommand):
    help = "Administrative geography: `load` reads both editions from vietnamadminunits."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        load = sub.add_parser(
            "load",
            help="Load or refresh units, 2025 successions and shapes (idempotent).",
            formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        )
        load.add_argument("--no-progress", action="store_true", help="print only the summary line")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "load":
            self._load(show_progress=not options["no_progress"] and sys.stderr.isatty())

    def _load(self, *, show_progress: bool) -> None:
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            TimeElapsedColumn(),
            disable=not show_progress,
            transient=True,
        )
        tasks: dict[str, TaskID] = {}

        def report(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = progress.add_task(_STEPS.get(step, step), total=total)
            progress.update(tasks[step], completed=done, total=total)

        try:
            with progress:
                result = load_admin_units(acting_user=None, progress=report)
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.summary())
        if result.unresolved_keys:
            self.stderr.write(
                f"{len(result.unresolved_keys)} converter keys name no legacy unit: "
                + ", ".join(result.unresolved_keys[:20])
            )
