"""Civil-defence exposure and a response plan at scale (issue 19): a hazard zone covering
300 communes of a region of about 10,000,000 people, then a plan with 2,000 resources.

    DATABASE_URL=postgres://…/muster_scale muster bench exposure   # the scale benchmark's DB
    DATABASE_URL=sqlite:///$PWD/var/bench-cd.sqlite3 muster bench exposure   # a small region

With the scale benchmark's database (`muster bench load` at 10 million people; its communes'
shapes loaded) the zone is the union of the drawn shapes of 300 populated 2025 communes around
the most populated one, shrunk by about 100 m so the edge communes count in part. Without it
(fewer than 300 populated communes with shapes) the benchmark draws its own region — 300
communes of 0.05° squares, 100 people each — and says so (`region`: `synthetic-small`).

Everything runs in one transaction that is rolled back at the end: the database given is left
as it was (the civil-defence tables are created in that transaction when missing, PostgreSQL's
DDL being transactional; on SQLite the benchmark migrates first). Timed:

  (i) the hazard import (`actions.hazard_import`: GeoJSON read, communes touched);
  (l) `queries.exposure_counts` on the day counted live (no readiness snapshot of the day:
      the fallback, every person row of the communes read);
  (r) the readiness refresh of the communes touched for the day (`readiness.bulk.refresh`,
      what the coalescing refresh queue or `muster readiness refresh` does ahead of time);
  (e) `queries.exposure_counts` on the day read from those snapshots — target under 2 s; the
      rows must equal the live ones (`live_agrees`);
  (p) `planning.plan_compute` with 2,000 resources written straight into the register (600
      shelters, 1,400 rescue means of every kind, spread over the communes), reusing (e)'s
      exposure — target under 30 s; the tasks, assignments and shortfall are reported.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction

COMMUNES = 300
RESOURCES = 2000
SHELTERS = 600
DAY = date(2026, 9, 8)
SEED = 19
KEY = "BENCH-EXPOSURE"


class _Rollback(Exception):
    pass


def _populated(log: Callable[[str], Any]) -> list[tuple[int, float, float, int]]:
    """(commune id, lat, lon, people) of 2025 communes with a shape and people."""
    from django.db.models import Count

    from muster.geo.models import AdminUnit, Edition, Level
    from muster.people.models import Person

    started = time.perf_counter()
    counts = dict(
        Person.objects.values("residence_commune_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("residence_commune_id", "n")
    )
    units = AdminUnit.objects.filter(
        edition=Edition.V2025, level=Level.COMMUNE, shape__isnull=False, lat__isnull=False
    ).values_list("id", "lat", "lon")
    found = [(pk, lat, lon, counts[pk]) for pk, lat, lon in units if counts.get(pk)]
    log(f"{len(found):,} populated communes with shapes ({time.perf_counter() - started:.1f} s)")
    return found


def _synthetic(log: Callable[[str], Any]) -> list[tuple[int, float, float, int]]:
    """300 communes of 0.05° squares in one province, 100 people each, a command over them."""
    from muster.civildefence.tests.factories import square
    from muster.geo.models import AdminUnit, Edition, Level, UnitShape
    from muster.orgs.models import OrgKind, OrgUnit, Territory
    from muster.people.models import Person

    start = date(2025, 7, 1)
    province = AdminUnit.objects.create(
        edition=Edition.V2025,
        level=Level.PROVINCE,
        code="CDB",
        name="Tỉnh Thử PTDS",
        short_name="Thử PTDS",
        unit_type="Tỉnh",
        search_key="thu ptds",
        valid_from=start,
    )
    side, found = 0.05, []
    command = OrgUnit.objects.create(
        code="BCHQS-CDB", name="BCHQS Thử PTDS", kind=OrgKind.PROVINCIAL_COMMAND, valid_from=start
    )
    Territory.objects.create(org_unit=command, admin_unit=province, valid_from=start)
    for i in range(COMMUNES):
        west, south = 104 + (i % 20) * side, 21 + (i // 20) * side
        unit = AdminUnit.objects.create(
            edition=Edition.V2025,
            level=Level.COMMUNE,
            code=f"CDB{i:03d}",
            name=f"Xã {i}",
            short_name=f"{i}",
            unit_type="Xã",
            parent=province,
            search_key=f"xa {i}",
            valid_from=start,
            lat=south + side / 2,
            lon=west + side / 2,
        )
        UnitShape.objects.create(
            unit=unit,
            geojson=json.dumps(square(west, south, west + side, south + side)),
            method="bench",
        )
        found.append((unit.pk, south + side / 2, west + side / 2, 100))
    Person.objects.bulk_create(
        Person(
            personal_id=f"9{n:011d}",
            full_name="Người Thử",
            search_key="nguoi thu",
            given_key="thu nguoi",
            sex="M" if n % 2 else "F",
            birth_date=date(1940 + n % 80, 1 + n % 12, 1),
            residence_commune_id=pk,
            household_id=f"H{n // 4}",
            source="bench",
        )
        for n, (pk, _lat, _lon, _people) in enumerate(
            (c for c in found for _ in range(100)), start=1
        )
    )
    log(f"synthetic region: {COMMUNES} communes, {COMMUNES * 100:,} people")
    return found


def _zone_text(chosen: list[int]) -> str:
    from shapely.geometry import mapping, shape
    from shapely.ops import unary_union

    from muster.geo.models import UnitShape

    shapes = [
        shape(json.loads(text))
        for text in UnitShape.objects.filter(unit_id__in=chosen).values_list("geojson", flat=True)
    ]
    zone = unary_union([s if s.is_valid else s.buffer(0) for s in shapes]).buffer(-0.001)
    return json.dumps(mapping(zone))


def _resources(chosen: list[tuple[int, float, float, int]], rng: random.Random) -> None:
    from muster.civildefence.models import MeansKind, RescueMeans, Shelter
    from muster.orgs.models import OrgKind, OrgUnit, Territory

    command = dict(
        Territory.objects.filter(
            admin_unit_id__in=[c[0] for c in chosen], org_unit__kind=OrgKind.COMMUNE_COMMAND
        ).values_list("admin_unit_id", "org_unit_id")
    )
    fallback = OrgUnit.objects.order_by("pk").values_list("pk", flat=True).first()
    kinds = [k for k in MeansKind.values if k not in ("radio", "other")]
    shelters, means = [], []
    for n in range(RESOURCES):
        pk, lat, lon, _people = chosen[n % len(chosen)]
        where = {
            "unit_id": command.get(pk, fallback),
            "commune_id": pk,
            "lat": lat + rng.uniform(-0.01, 0.01),
            "lon": lon + rng.uniform(-0.01, 0.01),
        }
        if n < SHELTERS:
            shelters.append(
                Shelter(
                    code=f"BS{n}",
                    name=f"Trường {n}",
                    kind="school",
                    capacity=rng.randint(200, 2000),
                    **where,
                )
            )
        else:
            kind = kinds[n % len(kinds)]
            means.append(
                RescueMeans(
                    code=f"BM{n}",
                    name=f"{kind} {n}",
                    kind=kind,
                    capacity=rng.randint(10, 400),
                    **where,
                )
            )
    Shelter.objects.bulk_create(shelters, batch_size=1000)
    RescueMeans.objects.bulk_create(means, batch_size=1000)


def _measure(log: Callable[[str], Any]) -> dict[str, Any]:
    from muster.civildefence import actions, planning, queries
    from muster.civildefence.models import PlanAssignment
    from muster.readiness import bulk

    rng = random.Random(SEED)
    populated = _populated(log)
    region = "scale"
    if len(populated) < COMMUNES:
        region = "synthetic-small"
        populated = _synthetic(log)
    centre = max(populated, key=lambda c: c[3])
    chosen = sorted(populated, key=lambda c: (c[1] - centre[1]) ** 2 + (c[2] - centre[2]) ** 2)
    chosen = chosen[:COMMUNES]
    region_people = sum(c[3] for c in populated)
    given = actions.HazardInput(
        key=KEY, kind="flood", name="Lũ thử tải", valid_from=DAY, severity=4, synthetic=True
    )
    text = _zone_text([c[0] for c in chosen])
    started = time.perf_counter()
    zone = actions.hazard_import(given=given, geojson=text, acting_user=None)
    import_s = time.perf_counter() - started
    log(f"hazard imported: {zone.communes.count()} communes touched in {import_s:.1f} s")
    started = time.perf_counter()
    live = queries.exposure_counts(zone, DAY)
    live_s = time.perf_counter() - started
    log(f"exposure counted live: {len(live.rows)} communes in {live_s:.2f} s ({live.source})")
    started = time.perf_counter()
    touched = sorted(r.commune_id for r in live.rows)
    refreshed = bulk.refresh(DAY, commune_ids=touched)
    refresh_s = time.perf_counter() - started
    log(f"readiness refresh of the {refreshed.communes} communes touched: {refresh_s:.1f} s")
    started = time.perf_counter()
    found = queries.exposure_counts(zone, DAY)
    exposure_s = time.perf_counter() - started
    rows = found.rows
    log(f"exposure: {len(rows)} communes in {exposure_s:.2f} s ({found.source})")
    _resources(chosen, rng)
    started = time.perf_counter()
    owner = "BCHQS-CDB" if region == "synthetic-small" else None
    plan = planning.plan_compute(
        zone=zone, as_of=DAY, acting_user=None, unit_code=owner, exposure=found
    )
    plan_s = time.perf_counter() - started
    assignments = PlanAssignment.objects.filter(task__plan=plan)
    log(f"plan v{plan.version} of {plan.unit.code}: {plan_s:.1f} s")
    return {
        "region": region,
        "region_people": region_people,
        "communes_touched": len(rows),
        "people_in_zone": sum(r.people_in_zone for r in rows),
        "import_s": round(import_s, 2),
        "exposure_s": round(exposure_s, 3),
        "exposure_counts": found.source,
        "exposure_target_s": 2,
        "exposure_live_s": round(live_s, 2),
        "live_agrees": live.rows == rows,
        "refresh_touched_s": round(refresh_s, 2),
        "resources": RESOURCES,
        "plan_s": round(plan_s, 2),
        "plan_solve_s": plan.solve_seconds,
        "plan_target_s": 30,
        "plan_owner": plan.unit.code,
        "tasks": plan.tasks.count(),
        "assignments": assignments.exclude(resource_kind="shortfall").count(),
        "shortfall": plan.shortfall,
        "database": connection.vendor,
    }


def run(log: Callable[[str], Any] = print) -> dict[str, Any]:
    if connection.vendor != "postgresql" and (
        "civildefence_hazardzone" not in connection.introspection.table_names()
    ):
        call_command("migrate", verbosity=0, interactive=False)
    found: dict[str, Any] = {}
    try:
        with transaction.atomic():
            if "civildefence_hazardzone" not in connection.introspection.table_names():
                call_command("migrate", verbosity=0, interactive=False)
                log("civil-defence tables created for this run (rolled back after)")
            found = _measure(log)
            raise _Rollback
    except _Rollback:
        log("rolled back: the database is left as it was")
    return found
