"""Loading both editions of administrative units, successions and shapes (target < 30 s).

Run on an empty database to time a first load; the second run must change nothing:
    DATABASE_URL=sqlite:////tmp/geo-bench.sqlite3 muster bench geo_load
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.core.management import call_command
from django.db import connection


def run(log: Callable[[str], object] = print) -> dict[str, Any]:
    from muster.geo.bulk import load_admin_units
    from muster.geo.models import AdminUnit

    call_command("migrate", verbosity=0, interactive=False)
    empty = not AdminUnit.objects.exists()
    started = time.perf_counter()
    first = load_admin_units()
    first_seconds = time.perf_counter() - started
    started = time.perf_counter()
    second = load_admin_units()
    second_seconds = time.perf_counter() - started
    log(first.summary())
    return {
        "benchmark": "geo_load",
        "database": connection.vendor,
        "first_run_on_empty_database": empty,
        "first_seconds": round(first_seconds, 2),
        "second_seconds": round(second_seconds, 2),
        "second_run_changed_anything": second.changed,
        "units": AdminUnit.objects.count(),
        "target_seconds": 30,
    }
