"""`muster sandbox popreg …`: run the population-register sandbox (a separate process).

    muster sandbox popreg --port P                 initialise var/popreg/ if needed, then serve
    muster sandbox popreg --data DIR --write-extract OUT.csv|OUT.parquet
    muster sandbox popreg --simulate-days N [--port P]

Initialisation (first use of a data directory) takes --province, --people, --seed, --start and
--producer; later runs use what the directory holds. The sandbox never touches Muster's
database: it keeps its own SQLite file in the data directory.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from config.env import VAR_DIR
from sandbox.popreg import register as reg
from sandbox.popreg.register import SandboxError
from sandbox.popreg.server import serve
from sandbox.popreg.simulate import simulate_days


def _date(text: str) -> date:
    return date.fromisoformat(text)


class Command(BaseCommand):
    help = "Sandboxes of external systems; `popreg` is the population register (docs/exchange.md)."
    requires_system_checks: list[str] = []  # it uses no Django database

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="sandbox", required=True)
        popreg = sub.add_parser(
            "popreg",
            help="the population-register sandbox: extracts and a signed change feed over mTLS",
        )
        popreg.add_argument(
            "--data",
            type=Path,
            default=VAR_DIR / "popreg",
            help="data directory (default var/popreg/)",
        )
        popreg.add_argument("--province", default=reg.DEFAULT_PROVINCE, help="2025 province")
        popreg.add_argument("--people", type=int, default=reg.DEFAULT_PEOPLE)
        popreg.add_argument("--seed", type=int, default=reg.DEFAULT_SEED)
        popreg.add_argument(
            "--start", type=_date, help="first simulated day, YYYY-MM-DD (default a year ago)"
        )
        popreg.add_argument("--producer", default=reg.DEFAULT_PRODUCER, help="producer name")
        popreg.add_argument("--simulate-days", type=int, help="advance simulated time N days")
        popreg.add_argument(
            "--write-extract", type=Path, help="write OUT.csv or OUT.parquet + manifest, exit"
        )
        popreg.add_argument("--host", default="127.0.0.1", help="address to listen on")
        popreg.add_argument("--port", type=int, help="serve the feed on this port")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self._popreg(options)
        except SandboxError as exc:
            raise CommandError(str(exc)) from exc

    def _popreg(self, options: dict[str, Any]) -> None:
        root: Path = options["data"]
        if reg.Paths(root).db.is_file():
            register = reg.Register(root)
        else:
            self.stdout.write(f"initialising {root} ({options['people']} people) …")
            register = reg.initialise(
                root,
                province=options["province"],
                people=options["people"],
                seed=options["seed"],
                start=options["start"],
                producer=options["producer"],
                host=options["host"],
            )
            paths = register.paths
            self.stdout.write(
                f"trust the producer key: muster exchange trust {paths.public_key} "
                f"--producer {register.producer}\n"
                f"client certificate for Muster: --ca {paths.ca} --cert {paths.client_cert} "
                f"--key {paths.client_key}"
            )
        if options["simulate_days"]:
            result = simulate_days(register, options["simulate_days"])
            counts = ", ".join(f"{k} {v}" for k, v in sorted(result.by_type.items()))
            self.stdout.write(
                f"simulated {result.days} day(s) to {result.clock}: {result.events} events "
                f"({counts or 'none'}); last sequence {result.last_sequence}"
            )
        if options["write_extract"]:
            out, manifest_path, rows = register.write_extract(options["write_extract"])
            self.stdout.write(
                f"wrote {out} ({rows} rows) and {manifest_path}, as of sequence "
                f"{register.last_sequence()} (clock {register.clock()})"
            )
            return
        if options["port"] is not None:
            self.stdout.flush()
            serve(register, host=options["host"], port=options["port"], out=sys.stdout)
