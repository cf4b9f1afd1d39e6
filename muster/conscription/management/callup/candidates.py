"""`muster callup candidates --year Y --commune CODE [--reference-date D] [--format csv|json]
[--out FILE]`: the call-up candidate list of one commune (issue #4)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from muster.conscription.queries.candidate_pages import candidate_list
from muster.conscription.queries.candidates import CSV_COLUMNS, reference_and_rules
from muster.core.errors import InvalidInput
from muster.core.exports import machine_csv_write
from muster.geo.models import AdminUnit, Edition, Level

HELP = (
    "The call-up candidate list of a commune: every man aged 17–27 on the reference date "
    "(default: the call-up date of the province's cycle of that year) with his status and "
    "reason codes, as CSV (personal_id, full_name, birth_date, status, reasons)."
)


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--year", type=int, required=True, help="the call-up year")
    parser.add_argument("--commune", required=True, help="the 2025 commune code, e.g. 02611")
    parser.add_argument(
        "--reference-date",
        type=_day,
        help="ages and records on this day, YYYY-MM-DD (default: the cycle's call-up date)",
    )
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument("--out", type=Path, help="write to this file (default: standard output)")


def commune_get(code: str) -> AdminUnit:
    unit = (
        AdminUnit.objects.filter(edition=Edition.V2025, level=Level.COMMUNE, code=code)
        .select_related("parent")
        .first()
    )
    if unit is None:
        raise InvalidInput.single("commune", "COMMUNE_NOT_2025", {"code": code})
    return unit


def handle(options: dict[str, Any], out: TextIO) -> int:
    commune = commune_get(options["commune"])
    reference, rules = reference_and_rules(commune, options["year"], options["reference_date"])
    # The operator's export is a read of personal data like a page's (no user: the system).
    rows = candidate_list(None, commune=commune, reference=reference, rules=rules, channel="cli")
    with _output(options["out"], out) as stream:
        if options["format"] == "json":
            items = [dict(zip(CSV_COLUMNS, row.csv_values(), strict=True)) for row in rows]
            # One write: Django's OutputWrapper ends every write with a newline.
            stream.write(json.dumps(items, ensure_ascii=False, indent=1) + "\n")
        else:
            # ISO dates and codes as the contract says, text cells formula-safe.
            machine_csv_write(stream, CSV_COLUMNS, (row.csv_values() for row in rows))
    return 0


@contextmanager
def _output(path: Path | None, out: TextIO) -> Iterator[TextIO]:
    if path is None:
        yield out
        return
    with path.open("w", encoding="utf-8", newline="") as stream:
        yield stream
