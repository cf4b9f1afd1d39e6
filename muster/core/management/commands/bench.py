"""`muster bench NAME [--option value ...]`: run bench/NAME.py, print its figures as JSON last."""

from __future__ import annotations

import importlib
import json
import pkgutil
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

import bench


def available() -> list[str]:
    return sorted(
        m.name for m in pkgutil.iter_modules(bench.__path__) if not m.name.startswith("_")
    )


class Command(BaseCommand):
    help = (
        "Run a benchmark from bench/; its figures are printed as one JSON object on the last line."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help=f"one of: {', '.join(available())}")
        parser.add_argument("--people", type=int, help="population size, where it applies")
        parser.add_argument("--requests", type=int, help="requests per client, where it applies")
        parser.add_argument("--rows", type=int, help="extract rows, where it applies (ingest)")
        parser.add_argument("--runs", type=int, help="kill-and-rerun runs per scenario (faults)")
        parser.add_argument("--scenario", help="one scenario only, where it applies (faults)")
        parser.add_argument(
            "--seconds", type=int, help="seconds at each rate, where it applies (load)"
        )
        parser.add_argument(
            "--until", help="the last stage to run, where it applies (scale: e.g. readiness)"
        )
        parser.add_argument(
            "--engine",
            choices=("duckdb", "spark", "both"),
            help="linkage engine(s), where it applies (link; default duckdb)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"]
        if name not in available():
            raise CommandError(f"no benchmark {name!r}; available: {', '.join(available())}")
        module = importlib.import_module(f"bench.{name}")
        kwargs = {
            k: options[k]
            for k in (
                "people",
                "requests",
                "rows",
                "runs",
                "seconds",
                "scenario",
                "engine",
                "until",
            )
            if options.get(k) is not None
        }
        figures = module.run(log=self.stderr.write, **kwargs)
        self.stdout.write(json.dumps(figures, ensure_ascii=False, sort_keys=True))
