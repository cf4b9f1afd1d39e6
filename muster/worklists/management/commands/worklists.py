"""`muster worklists refresh [--year Y] [--province CODE] [--dry-run]`."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from muster.accounts.scope import commune_ids_under
from muster.geo.models import AdminUnit, Edition, Level
from muster.worklists import hooks
from muster.worklists.bulk import RefreshCounts, worklist_refresh_registration


class _DryRun(Exception):
    def __init__(self, counts: RefreshCounts, opened: dict[str, int]) -> None:
        self.counts = counts
        self.opened = opened


class Command(BaseCommand):
    help = "Keep the commune worklists up to date with the register."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        refresh = sub.add_parser(
            "refresh",
            help="create the missing 'due for first registration' items of a year "
            "(men turning 17), move and withdraw items the register changed",
        )
        refresh.add_argument("--year", type=int, default=None, help="default: this year")
        refresh.add_argument("--province", help="a 2025 province code (default: all)")
        refresh.add_argument("--dry-run", action="store_true", help="report counts, keep nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        year: int = options["year"] or today.year
        if not 1900 < year < 2200:
            raise CommandError(f"--year {year} is not a plausible year")
        commune_ids: set[int] | None = None
        if options["province"]:
            province = AdminUnit.objects.filter(
                edition=Edition.V2025, level=Level.PROVINCE, code=options["province"]
            ).first()
            if province is None:
                raise CommandError(f"no 2025 province with code {options['province']!r}")
            commune_ids = commune_ids_under({province.pk}, today)
        started = time.perf_counter()
        communes = sorted(commune_ids) if commune_ids is not None else None
        try:
            with transaction.atomic():
                counts = worklist_refresh_registration(year=year, commune_ids=commune_ids)
                # Items that time alone makes due (age limits, expiring certificates).
                opened = {
                    name: refresher(today=today, commune_ids=communes)
                    for name, refresher in hooks.refreshers().items()
                }
                if options["dry_run"]:
                    raise _DryRun(counts, opened)
        except _DryRun as dry:
            counts, opened = dry.counts, dry.opened
            self.stdout.write("dry run: nothing was kept")
        self.stdout.write(
            f"first registration {year}: created {counts.created}, moved {counts.moved}, "
            f"withdrawn {counts.withdrawn} ({time.perf_counter() - started:.1f} s)"
        )
        for name, count in opened.items():
            self.stdout.write(f"{name}: opened {count}")
