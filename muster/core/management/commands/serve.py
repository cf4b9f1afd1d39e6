"""`muster serve [--port P] [--host H]`: serve an existing database (`--db PATH` is a shortcut)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from muster.core.serving import serve


class Command(BaseCommand):
    help = "Serve Muster on http://HOST:PORT (default 127.0.0.1:8000) until Ctrl-C."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--threads", type=int, default=8, help="threads per process")
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="worker processes sharing the port (use the core count on a server)",
        )
        parser.add_argument(
            "--worker",
            action="store_true",
            help="also run the background tasks' worker (db_worker) until the server stops",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Muster at http://{options['host']}:{options['port']}/  (Ctrl-C stops)")
        self.stdout.flush()
        try:
            serve(
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                processes=options["processes"],
                worker=options["worker"],
            )
        except KeyboardInterrupt:
            self.stdout.write("stopped")
