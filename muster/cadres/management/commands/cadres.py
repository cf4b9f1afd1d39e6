"""`muster cadres positions --command CODE [--as-of DATE] --format csv`: a command's positions
with holders and qualification gaps, in the columns `position, holder_personal_id,
holder_name, since, qualified, gaps` (issue 18's contract; ISO dates, gaps as rule codes
separated by spaces)."""

from __future__ import annotations

from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from muster.cadres import exports, queries
from muster.core.errors import NotFound
from muster.core.exports import machine_csv_write
from muster.core.wording import error_text


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = "Cadres: positions of a command with holders and qualification gaps."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        positions = sub.add_parser("positions", help="a command's positions as CSV")
        positions.add_argument("--command", required=True, help="the command's code")
        positions.add_argument("--as-of", type=_day, default=None, help="YYYY-MM-DD (today)")
        positions.add_argument("--format", choices=["csv"], default="csv")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["as_of"] or timezone.localdate()
        try:
            found = queries.command_positions(None, options["command"], day=day, channel="cli")
        except NotFound as exc:
            raise CommandError(error_text(exc)) from exc
        machine_csv_write(self.stdout, exports.POSITIONS_CSV_HEADER, exports.positions_rows(found))
