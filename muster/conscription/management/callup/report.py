"""`muster callup report --year Y (--commune CODE | --province CODE) --doc D --format F`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO

from django.utils import translation

from muster.conscription.models import CallupCycle
from muster.conscription.reports import files as report_files
from muster.conscription.reports import statutory as reports
from muster.core.errors import FieldError, InvalidInput
from muster.geo.models import AdminUnit
from muster.orgs.documents import issuing_command

HELP = (
    "Write a statutory list or the annual call-up report of a commune or province (xlsx, csv, "
    "pdf), issued by the place's command (its heading and its commander's signature block)."
)
DOCUMENTS = (*reports.LISTS, "annual")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True)
    place = parser.add_mutually_exclusive_group(required=True)
    place.add_argument("--commune", help="2025 commune code")
    place.add_argument("--province", help="2025 province code")
    parser.add_argument("--doc", choices=DOCUMENTS, default="annual")
    parser.add_argument("--format", choices=("xlsx", "csv", "pdf"), default="xlsx")
    parser.add_argument("--language", choices=("vi", "en"), default="vi")
    parser.add_argument("--out", type=Path, required=True)


def _place(options: dict[str, Any]) -> tuple[AdminUnit, list[AdminUnit], CallupCycle]:
    units = AdminUnit.objects.filter(edition="2025")
    if options["commune"]:
        unit = units.filter(level="commune", code=options["commune"]).first()
        if unit is None:
            raise InvalidInput(
                [FieldError("commune", "COMMUNE_NOT_2025", {"code": options["commune"]})]
            )
        communes, province_id = [unit], unit.parent_id
    else:
        unit = units.filter(level="province", code=options["province"]).first()
        if unit is None:
            raise InvalidInput(
                [FieldError("province", "NOT_A_2025_PROVINCE", {"code": options["province"]})]
            )
        communes, province_id = list(units.filter(level="commune", parent=unit)), unit.pk
    cycle = CallupCycle.objects.filter(year=options["year"], province_id=province_id).first()
    if cycle is None:
        raise InvalidInput([FieldError("year", "CALLUP_NO_CYCLE_THERE", {"year": options["year"]})])
    return unit, communes, cycle


def handle(options: dict[str, Any], out: TextIO) -> int:
    unit, communes, cycle = _place(options)
    issuer = issuing_command(unit, cycle.callup_date)
    fmt = options["format"]
    with translation.override(options["language"]):
        report = reports.report_for(cycle, communes, unit.name)
        if options["doc"] == "annual":
            counts = reports.annual_counts(report)
            body = report_files.annual_file(report, counts, fmt, issuer=issuer)
            rows = len(counts)
        else:
            listed = reports.statutory_list_read(
                None, report, options["doc"], options["language"], channel="cli"
            )
            body = report_files.list_file(report, options["doc"], listed, fmt, issuer=issuer)
            rows = len(listed)
    options["out"].write_bytes(body)
    out.write(f"{options['doc']} of {unit.name}, {cycle.year}: {rows} rows → {options['out']}\n")
    return 0
