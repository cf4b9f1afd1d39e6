"""`muster geo load`: load or refresh administrative units, successions and outlines.
`muster geo elevation FILE.tif`: import an elevation GeoTIFF (EPSG:4326) for the 3D map."""

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
        elevation = sub.add_parser(
            "elevation", help="Import an elevation GeoTIFF (EPSG:4326, metres) for the 3D map."
        )
        elevation.add_argument("file", help="a single-band GeoTIFF of heights")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "load":
            self._load(show_progress=not options["no_progress"] and sys.stderr.isatty())
        elif options["subcommand"] == "elevation":
            self._elevation(options["file"])

    def _elevation(self, file: str) -> None:
        from pathlib import Path

        from muster.core.errors import InvalidInput
        from muster.core.wording import error_text
        from muster.geo.bulk import elevation_load
        from muster.geo.models import Elevation

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        try:
            pk = elevation_load(name=path.name, data=path.read_bytes(), acting_user=None)
        except InvalidInput as exc:
            raise CommandError(error_text(exc)) from exc
        grid = Elevation.objects.get(pk=pk)
        self.stdout.write(
            f"elevation {path.name}: {grid.cols}×{grid.rows} cells over "
            f"{grid.west:.4f},{grid.south:.4f} – {grid.east:.4f},{grid.north:.4f}"
        )

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
