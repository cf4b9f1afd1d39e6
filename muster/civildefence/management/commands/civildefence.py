"""`muster civildefence …` (issue 19's contracts):

- `hazard import FILE.geojson --key KEY --kind KIND --name NAME --from D [--to D]
  [--severity 1-5] [--source S] [--synthetic]`: the zone as a new version of KEY (re-importing
  replaces the zone; history kept). Bad input exits 2 naming the feature and field, by code.
- `exposure KEY [--as-of D] --format csv [--out F]`: one row per commune the zone touches,
  columns `commune_code, people, people_in_zone, households_in_zone, vulnerable_in_zone`
  (estimates rounded to whole people).
- `plan KEY [--as-of D] --out PLAN.csv [--terrain-factor F] [--roads GRAPH.graphml]`:
  computes the plan now, stores it as a new version and writes it: columns `task_id,
  task_kind, commune_code, people, resource_kind, resource_code, assigned, capacity,
  travel_km`; a shortfall row has resource_kind `shortfall` and an empty resource_code.
"""

from __future__ import annotations

import sys
from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from muster.civildefence import actions, planning, queries
from muster.civildefence.models import HazardKind
from muster.core.errors import CodedError, InvalidInput
from muster.core.exports import machine_csv_write
from muster.core.wording import error_text, reject_text


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from exc


def _severity(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise ArgumentTypeError(f"{text!r} is not a whole number from 1 to 5") from exc
    return value


class Command(BaseCommand):
    help = "Civil defence: hazard zones, exposure per commune, response plans."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        hazard = sub.add_parser("hazard", help="hazard zones")
        hazard_sub = hazard.add_subparsers(dest="hazard_command", required=True)
        imp = hazard_sub.add_parser("import", help="import a zone from GeoJSON")
        imp.add_argument("file", type=Path)
        imp.add_argument("--key", required=True)
        imp.add_argument("--kind", required=True, help=", ".join(HazardKind.values))
        imp.add_argument("--name", required=True)
        imp.add_argument("--from", dest="valid_from", type=_day, required=True)
        imp.add_argument("--to", dest="valid_to", type=_day, default=None)
        imp.add_argument("--severity", type=_severity, default=3, help="risk level 1-5")
        imp.add_argument("--source", default="", help="the bulletin or map it comes from")
        imp.add_argument("--synthetic", action="store_true", help="drawn for a demo or drill")

        exposure = sub.add_parser("exposure", help="exposure per commune as CSV")
        exposure.add_argument("key")
        exposure.add_argument("--as-of", type=_day, default=None)
        exposure.add_argument("--format", choices=["csv"], default="csv")
        exposure.add_argument("--out", type=Path, default=None)

        plan = sub.add_parser("plan", help="compute and store a response plan, as CSV")
        plan.add_argument("key")
        plan.add_argument("--as-of", type=_day, default=None)
        plan.add_argument("--out", type=Path, required=True)
        plan.add_argument(
            "--unit",
            default=None,
            help="the owning command's code (default: "
            "the lowest command covering every commune touched)",
        )
        plan.add_argument("--terrain-factor", type=float, default=None)
        plan.add_argument("--roads", type=Path, default=None, help="a GraphML road graph")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["subcommand"] == "hazard":
                self._import(options)
            elif options["subcommand"] == "exposure":
                self._exposure(options)
            else:
                self._plan(options)
        except InvalidInput as exc:
            for error in exc.errors:
                self.stderr.write(reject_text(error))
            sys.exit(2)
        except CodedError as exc:
            raise CommandError(error_text(exc)) from exc

    def _import(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        given = actions.HazardInput(
            key=options["key"],
            kind=options["kind"],
            name=options["name"],
            valid_from=options["valid_from"],
            valid_to=options["valid_to"],
            severity=options["severity"],
            source=options["source"] or f"file:{path.name}",
            synthetic=options["synthetic"],
        )
        zone = actions.hazard_import(given=given, geojson=path.read_bytes(), acting_user=None)
        self.stdout.write(
            f"hazard {zone.key} version {zone.version}: {zone.communes.count()} communes "
            f"touched, {zone.area_km2} km²\n"
        )

    def _exposure(self, options: dict[str, Any]) -> None:
        day = options["as_of"] or timezone.localdate()
        zone = queries.access_hazard(None, options["key"], day)
        found = queries.exposure_counts(zone, day)
        self._write(
            options["out"], queries.EXPOSURE_CSV_HEADER, queries.exposure_csv_rows(found.rows)
        )
        self.stderr.write(_counts_note(found) + "\n")

    def _plan(self, options: dict[str, Any]) -> None:
        day = options["as_of"] or timezone.localdate()
        zone = queries.access_hazard(None, options["key"], day)
        plan = planning.plan_compute(
            zone=zone,
            as_of=day,
            unit_code=options["unit"],
            terrain_factor=options["terrain_factor"],
            roads=options["roads"],
            acting_user=None,
        )
        self._write(options["out"], planning.PLAN_CSV_HEADER, planning.plan_csv_rows(plan))
        self.stderr.write(
            f"plan {plan.hazard_key} of {plan.unit.code} version {plan.version}: "
            f"shortfall {plan.shortfall}, solved in {plan.solve_seconds:.2f} s\n"
        )

    def _write(self, out: Path | None, header: tuple[str, ...], rows: Any) -> None:
        if out is None:
            machine_csv_write(self.stdout, header, rows)
            return
        with out.open("w", encoding="utf-8", newline="") as stream:
            machine_csv_write(stream, header, rows)


def _counts_note(found: queries.Exposure) -> str:
    """Where the exposure's counts came from, for the operator (stderr; the CSV is unchanged)."""
    day = found.day.isoformat()
    if found.computed_at is not None:
        at = found.computed_at.isoformat(timespec="seconds")
        read = f"counts of the readiness snapshots of {day}, computed at {at}"
        if not found.live:
            return read
        return f"{read}; {found.live} communes counted live (no fresh snapshot of the day)"
    return (
        f"counted live: no readiness snapshot of {day} "
        f"(`muster readiness refresh --as-of {day}` keeps them ahead of time)"
    )
