"""`muster orgs build [--legacy] [--effective-from DATE] [--dry-run]` and
`muster orgs assign-region PROVINCE_CODE REGION_CODE --effective-from DATE`."""

from __future__ import annotations

import time
from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from muster.core.errors import InvalidInput, NotFound
from muster.geo.models import AdminUnit, Edition, Level
from muster.orgs import actions, queries


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Build and edit the military organisation (regions, commands, territories)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        build = sub.add_parser("build", help="create missing units, territories and positions")
        build.add_argument("--legacy", action="store_true", help="add legacy district commands")
        build.add_argument("--effective-from", type=_day, default=actions.REFORM_DAY)
        build.add_argument("--dry-run", action="store_true", help="report counts, keep nothing")
        assign = sub.add_parser("assign-region", help="move a 2025 province to another region")
        assign.add_argument("province_code")
        assign.add_argument("region_code")
        assign.add_argument("--effective-from", type=_day, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["subcommand"] == "build":
                self._build(options)
            else:
                self._assign(options)
        except (InvalidInput, NotFound) as exc:
            raise CommandError(str(exc)) from exc

    def _build(self, options: dict[str, Any]) -> None:
        started = time.perf_counter()
        try:
            with transaction.atomic():
                result = actions.orgs_build(
                    effective_from=options["effective_from"], include_legacy=options["legacy"]
                )
                if options["dry_run"]:
                    raise _DryRun
        except _DryRun:
            self.stdout.write("dry run: nothing was kept")
        for name, count in result.as_dict().items():
            self.stdout.write(f"{name:28} {count:>7}")
        self.stdout.write(f"{'seconds':28} {time.perf_counter() - started:>7.1f}")
        if not result.changed:
            self.stdout.write("already complete: nothing to create")

    def _assign(self, options: dict[str, Any]) -> None:
        province = AdminUnit.objects.filter(
            edition=Edition.V2025, level=Level.PROVINCE, code=options["province_code"]
        ).first()
        if not isinstance(province, AdminUnit):
            raise CommandError(f"province_code: no 2025 province {options['province_code']!r}")
        region = queries.org_unit_get(options["region_code"])
        row = actions.region_province_assign(
            province=province,
            region=region,
            effective_from=options["effective_from"],
            acting_user=None,
        )
        self.stdout.write(f"{province.name} → {region.name} from {row.valid_from}")
