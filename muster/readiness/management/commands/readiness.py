"""`muster readiness refresh [--as-of DATE] [--commune CODE …] [--queue]`: refresh the
readiness summary tables for a day (default today): every commune and the roll-ups of every
region, or the communes named and their regions' roll-ups. `--queue` hands the refresh to the
background worker (`muster db_worker`) instead of running it here. Run it nightly (cron or a
systemd timer) so each day has its snapshot, and with a past `--as-of` to compute that day
from the dated records (docs/readiness.md). Prints what it wrote as JSON."""

from __future__ import annotations

import json
from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from muster.readiness.tasks import refresh_readiness


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = "Readiness: refresh the summary tables of the dashboards."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        refresh = sub.add_parser("refresh", help="recompute a day's readiness figures")
        refresh.add_argument("--as-of", type=_day, default=None, help="YYYY-MM-DD (today)")
        refresh.add_argument(
            "--commune", action="append", default=[], help="a commune code (repeatable)"
        )
        refresh.add_argument("--queue", action="store_true", help="queue for the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        day: date = options["as_of"] or timezone.localdate()
        codes: list[str] = options["commune"]
        kwargs: dict[str, Any] = {"as_of": day.isoformat()}
        if codes:
            kwargs["commune_codes"] = codes
        else:
            kwargs["everything"] = True
        if options["queue"]:
            result = refresh_readiness.enqueue(**kwargs)
            self.stdout.write(json.dumps({"queued": str(result.id), "as_of": day.isoformat()}))
            return
        self.stdout.write(json.dumps(refresh_readiness.call(**kwargs), sort_keys=True))
