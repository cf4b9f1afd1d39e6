"""Would partitioning persons by province pay? Measured on a `bench scale` database (issue 20).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/muster_scale muster bench partition

Needs a database that `muster bench scale` has loaded (its `fresh` stage at least). Read-only
for the registry: everything it builds is a `bench_part_*` table, dropped at the end.
  (1) scoped search: the first statement of `person_search_page` for the provincial user of
      Bắc Ninh (commune = ANY(the province's communes) AND search_key LIKE 'prefix%', listing
      order, LIMIT 1001) for a few prefixes, EXPLAIN (ANALYZE, BUFFERS), best of 3 — on
      `people_person` and on a copy of it LIST-partitioned by province on
      residence_commune_id (each province's communes one partition: the commune array prunes
      to one partition with no new column or predicate), both with the search index;
  (2) what a per-province rewrite would save: copying the whole person table with its search
      index (what the restructure's rewrite path does to every table it touches) against
      copying one province's rows (one partition), seconds.
Also reported: the constraints partitioning would cost (PostgreSQL 15 requires the partition
key in every primary key and unique constraint, so `id` and `personal_id` could no longer be
unique across the table, and a foreign key needs a unique key on the referenced side).
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import connection

PREFIXES_FIXED = ("nguyen", "nguyen van", "tran thi h")
Log = Callable[[str], object]


def _province_communes() -> dict[int, list[int]]:
    from bench.scale import _region_provinces
    from muster.geo.models import AdminUnit, Level

    out: dict[int, list[int]] = {}
    for province in _region_provinces():
        out[province.pk] = list(
            AdminUnit.objects.filter(parent=province, level=Level.COMMUNE).values_list(
                "id", flat=True
            )
        )
    return out


def _search_sql(table: str) -> str:
    return (
        f"SELECT search_key, id FROM {table} WHERE residence_commune_id = ANY(%(communes)s) "
        "AND search_key LIKE %(prefix)s ORDER BY 1, 2 LIMIT 1001"
    )


def _explain(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """Best of 3 of EXPLAIN (ANALYZE, BUFFERS): execution ms, buffers touched, rows, plan."""
    best: dict[str, Any] | None = None
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
            raw = cursor.fetchone()[0]
            plan = (raw if isinstance(raw, list) else json.loads(raw))[0]
            top = plan["Plan"]
            found = {
                "ms": round(plan["Execution Time"], 2),
                "buffers": top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0),
                "rows": top.get("Actual Rows", 0),
                "heap_fetches": _heap_fetches(top),
                "nodes": _nodes(top),
            }
            if best is None or found["ms"] < best["ms"]:
                best = found
    assert best is not None
    return best


def _heap_fetches(node: dict[str, Any]) -> int:
    own = int(node.get("Heap Fetches", 0))
    return own + sum(_heap_fetches(child) for child in node.get("Plans", []))


def _nodes(node: dict[str, Any]) -> list[str]:
    own = node["Node Type"] + (f" on {node['Relation Name']}" if "Relation Name" in node else "")
    out = [own]
    for child in node.get("Plans", []):
        out.extend(_nodes(child))
    return out


def _partitioned_copy(provinces: dict[int, list[int]]) -> float:
    """bench_part_person: people_person's rows LIST-partitioned by province on the commune."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_part_person")
        cursor.execute(
            "CREATE TABLE bench_part_person (LIKE people_person INCLUDING DEFAULTS) "
            "PARTITION BY LIST (residence_commune_id)"
        )
        for province, communes in provinces.items():
            cursor.execute(
                f"CREATE TABLE bench_part_person_{province} PARTITION OF bench_part_person "
                f"FOR VALUES IN ({', '.join(map(str, communes))})"
            )
        cursor.execute("CREATE TABLE bench_part_person_rest PARTITION OF bench_part_person DEFAULT")
        cursor.execute("INSERT INTO bench_part_person SELECT * FROM people_person")
        cursor.execute(
            "CREATE INDEX ON bench_part_person (search_key, id) INCLUDE (residence_commune_id)"
        )
        cursor.execute("VACUUM ANALYZE bench_part_person")
    return round(time.perf_counter() - started, 1)


def _copy_seconds(where: str, params: dict[str, Any]) -> float:
    """CREATE TABLE AS … + the search index, the shape of one table's rewrite; dropped after."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_part_copy")
        cursor.execute(
            f"CREATE TABLE bench_part_copy AS SELECT * FROM people_person {where}", params
        )
        cursor.execute(
            "CREATE INDEX ON bench_part_copy (search_key, id) INCLUDE (residence_commune_id)"
        )
        seconds = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_part_copy")
    return round(seconds, 1)


def _prefixes(communes: list[int]) -> list[str]:
    """The fixed prefixes and one whole name of a person of the province."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_key FROM people_person WHERE residence_commune_id = ANY(%s) "
            "ORDER BY id LIMIT 1 OFFSET 1000",
            [communes],
        )
        row = cursor.fetchone()
    return [*PREFIXES_FIXED, *([row[0]] if row else [])]


def run(log: Log = print) -> dict[str, Any]:
    from bench.scale import SEARCH_PROVINCE
    from muster.geo.models import AdminUnit, Edition, Level

    if connection.vendor != "postgresql":
        raise SystemExit("bench partition runs on PostgreSQL: set DATABASE_URL=postgres://...")
    provinces = _province_communes()
    searched = AdminUnit.objects.get(
        edition=Edition.V2025, level=Level.PROVINCE, code=SEARCH_PROVINCE
    )
    communes = provinces[searched.pk]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM people_person")
        people = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM people_person WHERE residence_commune_id = ANY(%s)", [communes]
        )
        in_province = cursor.fetchone()[0]
        cursor.execute("SET jit = off")
        # As autovacuum leaves it: the restructure's rewrite only ANALYZEs the new table, and
        # without a visibility map every index-only scan visits the heap.
        cursor.execute("VACUUM ANALYZE people_person")
    figures: dict[str, Any] = {
        "benchmark": "partition",
        "date": date.today().isoformat(),
        "people": people,
        "people_in_searched_province": in_province,
        "load_average_start": [round(v, 2) for v in os.getloadavg()],
    }
    prefixes = _prefixes(communes)
    log(f"(1) search on people_person, {len(prefixes)} prefixes")
    plain = {
        p: _explain(_search_sql("people_person"), {"communes": communes, "prefix": p + "%"})
        for p in prefixes
    }
    log("(1) building the partitioned copy")
    figures["partitioned_copy_s"] = _partitioned_copy(provinces)
    part = {
        p: _explain(_search_sql("bench_part_person"), {"communes": communes, "prefix": p + "%"})
        for p in prefixes
    }
    figures["search"] = {p: {"table": plain[p], "partitioned": part[p]} for p in prefixes}
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_part_person")
    log("(2) rewrite: whole table against one province")
    figures["copy_whole_table_s"] = _copy_seconds("", {})
    figures["copy_one_province_s"] = _copy_seconds(
        "WHERE residence_commune_id = ANY(%(c)s)", {"c": communes}
    )
    figures["load_average_end"] = [round(v, 2) for v in os.getloadavg()]
    return figures
