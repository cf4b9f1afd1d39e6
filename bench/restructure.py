"""Applying the 2025 plan to a legacy population, against a bare UPDATE (issue #5).

    psql -h 127.0.0.1 -U postgres -c 'create database muster_restructurebench'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/muster_restructurebench \\
        muster bench restructure --people 1000000

PostgreSQL, one run:
  set-up (untimed for the comparison): geo load, the 2025 and legacy commands, N people spread
  over every legacy ward of the country (old addresses, split wards with village names) loaded
  set-based (COPY, indexes rebuilt after) with open residence periods; the built-in plan
  `vn-2025` computed (split proposals, review cases);
  (y) anchor, first: one bare `UPDATE people_person p SET residence_commune_id = m.new_id FROM
      mapping m WHERE p.residence_commune_id = m.old_id` (legacy ward → default 2025 successor)
      of the same rows, no history, inside a transaction that is rolled back; then, untimed,
      `VACUUM FULL ANALYZE people_person` rewrites the table and its indexes, so (x) starts
      from the same compact state a fresh load leaves;
  (x) `plan_apply(vn-2025, accept_proposals=True)`: every person re-pointed, journaled, the
      open residence period closed on 2025-06-30 and a new one opened on 2025-07-01, users,
      territories and commands moved, audited. At this size it takes the rewrite path (journal,
      persons and periods rewritten and swapped in, one transaction); its per-step seconds are
      logged and reported as `x_steps` (`x_other_s`: resolving the plan, choosing, commit).
Target: x / y ≤ 1.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction

SEED = 11
MAPPING = "bench_restructure_mapping"
BATCH = 50_000


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return round(time.perf_counter() - started, 2), value


def _empty_registry() -> None:
    """Persons, their history and any earlier plan: gone (this is a benchmark database)."""
    from muster.restructure.models import Plan

    tables = ["people_person", "people_residenceperiod", Plan._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


def _load(people: int, log: Callable[[str], object]) -> dict[str, Any]:
    from muster.demo.legacy_population import (
        legacy_ward_specs,
        persons_load_legacy,
        split_successors,
        with_split_villages,
    )
    from muster.demo.population import generate_population
    from muster.geo.models import AdminUnit, Edition, Level

    wards = list(
        AdminUnit.objects.filter(edition=Edition.LEGACY, level=Level.COMMUNE).order_by("code")
    )
    log(f"generating {people:,} people over {len(wards):,} legacy wards")
    generate_s, frame = _timed(
        lambda: with_split_villages(
            generate_population(
                legacy_ward_specs(wards),
                people=people,
                seed=SEED,
                province_code="01",
                reference_date=date(2025, 6, 30),
            ),
            split_successors(wards),
        )
    )
    _empty_registry()
    log("loading them (COPY, open residence periods)")
    load_s, result = _timed(lambda: persons_load_legacy(frame, source="bench-legacy"))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE people_person")
        cursor.execute("VACUUM ANALYZE people_residenceperiod")
    return {
        "wards": len(wards),
        "generate_s": generate_s,
        "load_s": load_s,
        "inserted": result.inserted,
    }


def _anchor_update() -> tuple[float, int]:
    """(y): the bare UPDATE … FROM mapping, rolled back; then the table rewritten (untimed)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {MAPPING}")
        cursor.execute(
            f"CREATE TABLE {MAPPING} AS SELECT s.predecessor_id AS old_id, "
            "s.successor_id AS new_id FROM geo_succession s "
            "JOIN geo_adminunit o ON o.id = s.predecessor_id "
            "WHERE s.is_default AND o.edition = 'legacy' AND o.level = 'commune'"
        )
        cursor.execute(f"ALTER TABLE {MAPPING} ADD PRIMARY KEY (old_id)")
        cursor.execute(f"ANALYZE {MAPPING}")
    with transaction.atomic():
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute(
                f"UPDATE people_person p SET residence_commune_id = m.new_id FROM {MAPPING} m "
                "WHERE p.residence_commune_id = m.old_id"
            )
            rows = cursor.rowcount
            seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {MAPPING}")
        cursor.execute("VACUUM FULL ANALYZE people_person")
        cursor.execute("VACUUM ANALYZE people_residenceperiod")
    return round(seconds, 2), rows


def run(log: Callable[[str], object] = print, people: int = 1_000_000) -> dict[str, Any]:
    from muster.geo.bulk import load_admin_units
    from muster.orgs.actions import orgs_build

    if connection.vendor != "postgresql":
        raise SystemExit("muster bench restructure runs on PostgreSQL (DATABASE_URL=postgres://…)")
    call_command("migrate", verbosity=0, interactive=False)
    figures: dict[str, Any] = {
        "benchmark": "restructure",
        "database": connection.vendor,
        "people": people,
        "machine": f"{platform.machine()} {os.cpu_count()} CPU, {platform.platform()}",
        "python": platform.python_version(),
        "load_average_before": [round(v, 2) for v in os.getloadavg()],
    }
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        figures["postgresql"] = cursor.fetchone()[0]
    log("geo load and the organisation (2025 + legacy)")
    load_admin_units()
    orgs_build(include_legacy=True)
    figures.update(_load(people, log))

    plan: Any = None
    apply_error = None
    try:
        from muster.restructure.apply import plan_apply
        from muster.restructure.compute import plan_compute
        from muster.restructure.plans import plan_get

        log("planning vn-2025 (untimed for the comparison)")
        figures["plan_compute_s"], _summary = _timed(lambda: plan_compute(plan_get("vn-2025")))
        plan = plan_get("vn-2025")
        figures["split_cases"] = _split_cases(plan)
    except ImportError as exc:
        apply_error = f"the restructure engine is not available: {exc}"

    log("(y) anchor: bare UPDATE … FROM mapping, rolled back")
    figures["load_average_at_y"] = round(os.getloadavg()[0], 2)
    figures["y_update_s"], figures["rows"] = _anchor_update()

    if apply_error is None:
        log("(x) plan_apply(vn-2025, accept_proposals=True)")
        figures["load_average_at_x"] = round(os.getloadavg()[0], 2)
        figures["x_apply_s"], result = _timed(
            lambda: plan_apply(plan, accept_proposals=True, batch_size=BATCH)
        )
        figures["x_persons"] = result.persons
        figures["x_batches"] = result.batches
        figures["x_path"] = "rewrite" if result.rewrite else "batched"
        figures["x_steps"] = result.steps
        figures["x_other_s"] = round(figures["x_apply_s"] - sum(result.steps.values()), 2)
        for step, seconds in result.steps.items():
            log(f"    {step:<36} {seconds:7.2f} s")
        figures["x_over_y"] = round(figures["x_apply_s"] / max(figures["y_update_s"], 0.01), 2)
        figures["history_rows"] = _history_rows()
    else:
        figures["x_error"] = apply_error
        log(apply_error)
    figures["load_average_after"] = [round(v, 2) for v in os.getloadavg()]
    return figures


def _split_cases(plan: Any) -> int:
    from muster.restructure.models import SplitCase

    return SplitCase.objects.filter(plan=plan).count()


def _history_rows() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE valid_to IS NULL), "
            "count(*) FILTER (WHERE valid_to IS NOT NULL) FROM people_residenceperiod"
        )
        open_periods, closed = cursor.fetchone()
    return {"open_periods": int(open_periods), "closed_periods": int(closed)}
