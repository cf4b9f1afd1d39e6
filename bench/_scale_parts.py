"""Pieces of `bench scale`: the stage record, the region's files and the legacy province.

Each stage of `bench scale` stores its figures in the table `bench_scale_stage` of the
benchmark database when it finishes; a later run on the same database reports the stored
figures instead of measuring again, so the database is built once (and a killed build resumes
at the first stage not recorded). `--people` must match the size the database was built for.
"""

from __future__ import annotations

import json
import os
import resource
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection

STAGES = "bench_scale_stage"
CHANGED_EVERY = 10  # every 10th row's address changed in the re-ingest's file


def stage_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {STAGES} (name text PRIMARY KEY, figures jsonb NOT NULL,"
            " finished_at timestamptz NOT NULL DEFAULT now())"
        )


def stage_done(name: str) -> dict[str, Any] | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT figures, finished_at FROM {STAGES} WHERE name = %s", [name])
        row = cursor.fetchone()
    if row is None:
        return None
    figures = row[0] if isinstance(row[0], dict) else json.loads(row[0])
    return {**figures, "measured_at": row[1].isoformat(timespec="seconds")}


def stage_record(name: str, figures: dict[str, Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {STAGES} (name, figures) VALUES (%s, %s) ON CONFLICT (name) DO UPDATE "
            "SET figures = excluded.figures, finished_at = now()",
            [name, json.dumps(figures, ensure_ascii=False)],
        )


def run_stage(
    name: str, measure: Callable[[], dict[str, Any]], log: Callable[[str], object]
) -> dict[str, Any]:
    """The stored figures of stage `name`, or `measure()`'s, recorded when it returns."""
    done = stage_done(name)
    if done is not None:
        log(f"[{name}] reusing the figures measured at {done['measured_at']}")
        return {**done, "reused": True}
    log(f"[{name}] measuring (load average {os.getloadavg()[0]:.1f})")
    load_before = round(os.getloadavg()[0], 2)
    started = time.perf_counter()
    figures = measure()
    figures["stage_s"] = round(time.perf_counter() - started, 1)
    figures["load_average"] = [load_before, round(os.getloadavg()[0], 2)]
    figures["peak_rss_mb"] = peak_rss_mb()
    stage_record(name, figures)
    return figures


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child (the generator)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"process": round(own, 1), "largest_child": round(child, 1)}


# --- the region's extract (child process) -------------------------------------------------------


def province_shares(communes: dict[str, int], people: int) -> dict[str, int]:
    """People per province in proportion to its communes; the remainder to the largest."""
    total = sum(communes.values())
    shares = {code: people * n // total for code, n in communes.items()}
    largest = max(communes, key=lambda code: communes[code])
    shares[largest] += people - sum(shares.values())
    return shares


def write_region_files(directory: str, plan_json: str) -> None:
    """Child process: one fresh extract of the whole region and one with every 10th row's
    address changed, written province by province (the frames of one province at a time)."""
    import polars as pl

    from muster.demo.extract import write_extract
    from muster.demo.population import CommuneSpec, generate_population

    plan = json.loads(plan_json)
    out = Path(directory)
    rows = 0
    with (out / "fresh.part").open("wb") as fresh, (out / "changed.part").open("wb") as changed:
        for index, province in enumerate(plan["provinces"]):
            specs = [CommuneSpec(**spec) for spec in province["specs"]]
            frame = generate_population(
                specs,
                people=province["people"],
                seed=plan["seed"] + index,
                province_code=province["code"],
                reference_date=date(2026, 1, 1),
            )
            rows += frame.height
            edited = frame.with_columns(
                address=pl.when(pl.int_range(pl.len()) % CHANGED_EVERY == 0)
                .then(pl.concat_str(pl.col("address"), pl.lit(" (đổi)")))
                .otherwise(pl.col("address"))
            )
            for part, target in ((frame, fresh), (edited, changed)):
                path = out / "one.csv"
                write_extract(part, path, fmt="csv")
                with path.open("rb") as source:
                    header = source.readline()
                    if index == 0:
                        target.write(header)
                    while block := source.read(1 << 24):
                        target.write(block)
                path.unlink()
            del frame, edited
    (out / "fresh.part").rename(out / "fresh.csv")
    (out / "changed.part").rename(out / "changed.csv")
    (out / "rows.json").write_text(json.dumps({"rows": rows}))


def specs_json(specs: list[Any]) -> list[dict[str, Any]]:
    return [asdict(spec) for spec in specs]


# --- the province put back into its legacy wards (untimed set-up of the restructure) ----------

LEGACY_BACK_SQL = (
    # Each 2025 commune of the province → one legacy ward it succeeds (the default succession's
    # predecessor, else the lowest code): the people of a 2025 commune go back there.
    """
    CREATE TEMPORARY TABLE bench_scale_back AS
    SELECT DISTINCT ON (s.successor_id) s.successor_id AS new_id, s.predecessor_id AS old_id
    FROM geo_succession s
    JOIN geo_adminunit o ON o.id = s.predecessor_id AND o.edition = 'legacy' AND o.level = 'commune'
    JOIN geo_adminunit n ON n.id = s.successor_id AND n.parent_id = %(province)s
    ORDER BY s.successor_id, s.is_default DESC, o.code
    """,
    "ALTER TABLE bench_scale_back ADD PRIMARY KEY (new_id)",
    """
    UPDATE people_person p SET residence_commune_id = b.old_id
    FROM bench_scale_back b WHERE p.residence_commune_id = b.new_id
    """,
    # Open periods as the legacy load leaves them: in the legacy ward, from 2020 or birth.
    """
    UPDATE people_residenceperiod r SET commune_id = b.old_id,
      valid_from = greatest(DATE '2020-01-01', p.birth_date)
    FROM bench_scale_back b, people_person p
    WHERE r.commune_id = b.new_id AND r.valid_to IS NULL AND p.id = r.person_id
    """,
    "DROP TABLE bench_scale_back",
)


def province_back_to_legacy(province_id: int) -> int:
    """Untimed: the people of one 2025 province as they lived before 1/7/2025 (one legacy ward
    per 2025 commune), with their open periods; returns how many persons live in legacy wards
    (also right when a killed run had already moved them)."""
    with connection.cursor() as cursor:
        for statement in LEGACY_BACK_SQL:
            cursor.execute(statement, {"province": province_id} if "%(" in statement else None)
        cursor.execute("VACUUM ANALYZE people_person")
        cursor.execute("VACUUM ANALYZE people_residenceperiod")
        cursor.execute(
            "SELECT count(*) FROM people_person p JOIN geo_adminunit c "
            "ON c.id = p.residence_commune_id WHERE c.edition = 'legacy'"
        )
        return int(cursor.fetchone()[0])


def movers_anchor(province_id: int) -> tuple[float, int]:
    """(y) of the restructure: one bare UPDATE of the province's people from their legacy ward
    to its default 2025 successor, no history, rolled back; seconds and rows."""
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_scale_map ON COMMIT DROP AS "
            "SELECT DISTINCT ON (s.predecessor_id) s.predecessor_id AS old_id, "
            "s.successor_id AS new_id FROM geo_succession s "
            "JOIN geo_adminunit o ON o.id = s.predecessor_id AND o.edition = 'legacy' "
            "AND o.level = 'commune' "
            "JOIN geo_adminunit n ON n.id = s.successor_id AND n.parent_id = %s "
            "ORDER BY s.predecessor_id, s.is_default DESC",
            [province_id],
        )
        cursor.execute("ALTER TABLE bench_scale_map ADD PRIMARY KEY (old_id)")
        cursor.execute("ANALYZE bench_scale_map")
        started = time.perf_counter()
        cursor.execute(
            "UPDATE people_person p SET residence_commune_id = m.new_id FROM bench_scale_map m "
            "WHERE p.residence_commune_id = m.old_id"
        )
        rows = cursor.rowcount
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE people_person")
    return round(seconds, 2), rows


def database_size() -> dict[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
        cursor.execute(
            "SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname = 'public' "
            "ORDER BY 2 DESC LIMIT 6"
        )
        tables = {name: round(size / 1e9, 2) for name, size in cursor.fetchall()}
    return {"database_gb": round(total / 1e9, 2), "largest_tables_gb": tables}
