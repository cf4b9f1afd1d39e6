"""Validated extract ingest against the database's own speed (issue #3).

    psql -h 127.0.0.1 -U postgres -c 'create database muster_ingestbench'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/muster_ingestbench muster bench ingest --rows 1000000
    DATABASE_URL=sqlite:////tmp/ingest-bench.sqlite3 muster bench ingest --rows 1000000

PostgreSQL, in one run, on a registry with its real indexes:
  (a) `extract_ingest` of a fresh extract into an empty registry;
  (b) `extract_ingest` of the same extract with 10 % of rows changed;
  (c) anchor: raw COPY of the fresh file into an unindexed table of the file's columns, then
      the registry's twelve person indexes built on their nearest columns;
  (d) anchor: a bare set-based upsert of (b) — COPY of the already prepared rows into a staging
      table + one INSERT … SELECT … ON CONFLICT DO UPDATE … WHERE IS DISTINCT FROM (rolled back,
      with an untimed VACUUM before and after, so (d) and (b) start from the same state);
  (e) anchor: Django `bulk_create` of the same fresh rows into the empty registry.
SQLite: (a) against a plain `executemany` of the same prepared rows in one transaction.
Extracts come from the synthetic generator in a child process (so its memory does not count),
with a manifest signed by a key generated here and trusted for the run.
"""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from psycopg import sql

PRODUCER = "bench-popreg"
PROVINCE_CODE = "B9"
COMMUNES = 126
SEED = 7
CHANGED_EVERY = 10  # every 10th row changed in (b)
ROOT = Path(__file__).resolve().parent.parent


def write_files(directory: str, rows: int, codes: list[str]) -> None:
    """Child process: the fresh extract and one with every 10th row's address changed."""
    import polars as pl

    from muster.demo.extract import write_extract
    from muster.demo.population import CommuneSpec, generate_population

    specs = [
        CommuneSpec(code, f"Xã Thử {i}", "Xã", 40.0, "Tỉnh Thử", "01")
        for i, code in enumerate(codes, 1)
    ]
    frame = generate_population(
        specs, people=rows, seed=SEED, province_code="01", reference_date=date(2026, 1, 1)
    )
    write_extract(frame, Path(directory) / "fresh.csv", fmt="csv")
    changed = frame.with_columns(
        address=pl.when(pl.int_range(pl.len()) % CHANGED_EVERY == 0)
        .then(pl.concat_str(pl.col("address"), pl.lit(" (đổi)")))
        .otherwise(pl.col("address"))
    )
    write_extract(changed, Path(directory) / "changed.csv", fmt="csv")


def _communes() -> list[str]:
    from muster.geo.models import AdminUnit, Edition, Level

    province, _ = AdminUnit.objects.get_or_create(
        edition=Edition.V2025,
        code=PROVINCE_CODE,
        defaults={
            "level": Level.PROVINCE,
            "name": "Tỉnh Thử",
            "short_name": "Thử",
            "unit_type": "Tỉnh",
            "search_key": "tinh thu",
            "valid_from": date(2025, 7, 1),
        },
    )
    codes = [f"B9{i:03d}" for i in range(1, COMMUNES + 1)]
    for i, code in enumerate(codes, 1):
        AdminUnit.objects.get_or_create(
            edition=Edition.V2025,
            code=code,
            defaults={
                "level": Level.COMMUNE,
                "name": f"Xã Thử {i}",
                "short_name": f"Thử {i}",
                "unit_type": "Xã",
                "parent": province,
                "search_key": f"xa thu {i}",
                "valid_from": date(2025, 7, 1),
            },
        )
    return codes


def _empty_registry() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "TRUNCATE people_person, people_residenceperiod RESTART IDENTITY CASCADE"
            )
        else:
            cursor.execute("DELETE FROM people_residenceperiod")
            cursor.execute("DELETE FROM people_personfact")
            cursor.execute("DELETE FROM people_person")


def _sign(directory: Path, rows: int) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from muster.exchange import manifest, signing
    from muster.exchange.actions import producer_key_trust

    key = Ed25519PrivateKey.generate()
    producer_key_trust(
        pem=signing.public_pem(key.public_key()), producer=PRODUCER, acting_user=None
    )
    for name in ("fresh.csv", "changed.csv"):
        manifest.write_manifest(
            directory / name, rows=rows, producer=PRODUCER, key=key, generated_at=datetime.now(UTC)
        )


def _prepared(path: Path) -> Any:
    """The file's rows as the loader writes them (untimed input of the anchors)."""
    import polars as pl

    from muster.people import bulk
    from muster.people.extract_format import EXTRACT_COLUMNS

    raw = pl.read_csv(path, schema=dict.fromkeys(EXTRACT_COLUMNS, pl.String)).with_row_index(
        "_row", offset=2
    )
    prepared, _ = bulk.check_rows(
        raw.with_columns(pl.col("_row").cast(pl.Int64)),
        communes=bulk.commune_ids(),
        today=date.today(),
        duplicates_in_frame=False,
    )
    return bulk.with_source(prepared, PRODUCER)


def _timed(step: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = step()
    return time.perf_counter() - started, value


# --- anchors ------------------------------------------------------------------------------------

RAW = "bench_raw_person"
# The registry's person indexes, each on the file column nearest to the registry's column.
RAW_INDEXES = (
    "ALTER TABLE {t} ADD PRIMARY KEY (id)",
    "ALTER TABLE {t} ADD UNIQUE (personal_id)",
    "CREATE INDEX ON {t} (personal_id varchar_pattern_ops)",
    "CREATE INDEX ON {t} (household_id)",
    # person_id_warned: the generator's IDs agree with sex and birth year, so no row is warned.
    "CREATE INDEX ON {t} ((full_name COLLATE \"C\"), id) WHERE sex NOT IN ('M', 'F')",
    'CREATE INDEX ON {t} ((full_name COLLATE "C"), id) INCLUDE (residence_commune_code)',
    'CREATE INDEX ON {t} ((full_name COLLATE "C"), address, id) INCLUDE (residence_commune_code)',
    "CREATE INDEX ON {t} (residence_commune_code, sex, birth_date)",
    "CREATE INDEX ON {t} (residence_commune_code, birth_date)"
    " INCLUDE (id, personal_id, full_name, address) WHERE sex = 'M' AND life_status = 'alive'",
)


def _anchor_copy_and_index(path: Path) -> float:
    """(c): COPY the file into an unindexed table, then build the indexes; seconds."""
    table = sql.Identifier(RAW)
    raw: Any = connection.connection
    with raw.cursor() as cursor:
        cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table))
        cursor.execute(
            sql.SQL(
                "CREATE TABLE {} (id bigint GENERATED BY DEFAULT AS IDENTITY, "
                "personal_id varchar(12), full_name varchar(120), sex varchar(1), "
                "birth_date date, ethnicity varchar(40), residence_commune_code varchar(8), "
                "address varchar(255), household_id varchar(20), life_status varchar(5), "
                "died_on date)"
            ).format(table)
        )
    raw.commit()
    started = time.perf_counter()
    with transaction.atomic(), raw.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv, HEADER true)").format(
            table,
            sql.SQL(", ").join(
                map(
                    sql.Identifier,
                    (
                        "personal_id",
                        "full_name",
                        "sex",
                        "birth_date",
                        "ethnicity",
                        "residence_commune_code",
                        "address",
                        "household_id",
                        "life_status",
                        "died_on",
                    ),
                )
            ),
        )
        with cursor.copy(copy_sql) as copy, path.open("rb") as source:
            for block in iter(lambda: source.read(1 << 20), b""):
                copy.write(block)
        for statement in RAW_INDEXES:
            cursor.execute(sql.SQL(statement).format(t=table))
    seconds = time.perf_counter() - started
    with raw.cursor() as cursor:
        cursor.execute(sql.SQL("DROP TABLE {}").format(table))
    raw.commit()
    return seconds


def _anchor_upsert(prepared: Any) -> tuple[float, float]:
    """(d): COPY prepared rows to a staging table + one bare upsert; (copy s, upsert s)."""
    from muster.people import bulk

    columns = bulk.PERSON_COLUMNS
    compared = [c for c in bulk.COMPARED if c != "phone"]
    names = sql.SQL(", ").join(map(sql.Identifier, columns))
    upsert = sql.SQL(
        "INSERT INTO people_person ({names}, created_at, updated_at) "
        "SELECT {names}, now(), now() FROM {stage} "
        "ON CONFLICT (personal_id) DO UPDATE SET {sets}, updated_at = excluded.updated_at "
        "WHERE ({old}) IS DISTINCT FROM ({new})"
    ).format(
        names=names,
        stage=sql.Identifier("bench_stage"),
        sets=sql.SQL(", ").join(
            sql.SQL("{} = excluded.{}").format(sql.Identifier(c), sql.Identifier(c))
            for c in compared
        ),
        old=sql.SQL(", ").join(sql.Identifier("people_person", c) for c in compared),
        new=sql.SQL(", ").join(sql.Identifier("excluded", c) for c in compared),
    )
    raw: Any = connection.connection
    with transaction.atomic(), raw.cursor() as cursor:
        cursor.execute(
            sql.SQL("CREATE TEMPORARY TABLE {} AS SELECT {} FROM people_person LIMIT 0").format(
                sql.Identifier("bench_stage"), names
            )
        )
        started = time.perf_counter()
        copy_sql = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv)").format(
            sql.Identifier("bench_stage"), names
        )
        with cursor.copy(copy_sql) as copy:
            for offset in range(0, prepared.height, 100_000):
                copy.write(prepared.slice(offset, 100_000).write_csv(include_header=False))
        cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier("bench_stage")))
        copied = time.perf_counter()
        cursor.execute(upsert)
        done = time.perf_counter()
        transaction.set_rollback(True)  # (b) runs on the same starting state
    return copied - started, done - copied


def _anchor_bulk_create(prepared: Any) -> float:
    """(e): Person objects built and saved with bulk_create(batch_size=5000); seconds."""
    from muster.people.models import Person

    started = time.perf_counter()
    with transaction.atomic():
        for offset in range(0, prepared.height, 50_000):
            chunk = prepared.slice(offset, 50_000).to_dicts()
            Person.objects.bulk_create((Person(**row) for row in chunk), batch_size=5000)
    return time.perf_counter() - started


def _anchor_executemany(prepared: Any) -> float:
    """SQLite: the prepared rows with one executemany in one transaction; seconds."""
    import polars as pl

    from muster.people import bulk

    now = connection.ops.adapt_datetimefield_value(datetime.now(UTC))
    rows = prepared.with_columns(
        pl.col("birth_date").dt.to_string("%Y-%m-%d"),
        pl.col("died_on").dt.to_string("%Y-%m-%d"),
        created_at=pl.lit(now),
        updated_at=pl.lit(now),
    )
    names = ", ".join(connection.ops.quote_name(c) for c in rows.columns)
    marks = ", ".join("?" for _ in rows.columns)
    started = time.perf_counter()
    with transaction.atomic():
        raw: Any = connection.connection
        raw.executemany(f"INSERT INTO {bulk.PERSON} ({names}) VALUES ({marks})", rows.iter_rows())
    return time.perf_counter() - started


def _vacuum() -> None:
    """Untimed: VACUUM (ANALYZE) the registry, as autovacuum would after a million-row load.

    (d) runs between (a) and (b) and is rolled back, but a rollback does not undo its
    footprint: ON CONFLICT DO UPDATE locks every conflicting row (900,000 aborted lock
    markers) and the 100,000 updates leave dead row versions and index entries, which (b)
    would otherwise pay to clean up. Vacuuming before and after (d) starts both from the same
    state.
    """
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) people_person, people_residenceperiod")


def _settled() -> None:
    """Untimed, before each timed step on PostgreSQL: write out what earlier steps left dirty.

    Each step writes about a gigabyte of WAL and pages; without a checkpoint in between, a
    step pays for flushing its predecessor's (the first step of the run for nobody's).
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(log: Callable[[str], object] = print, rows: int = 1_000_000) -> dict[str, Any]:
    from muster.exchange.ingest import extract_ingest
    from muster.people import bulk
    from muster.people.models import Person

    call_command("migrate", verbosity=0, interactive=False)
    codes = _communes()
    figures: dict[str, Any] = {
        "benchmark": "ingest",
        "database": connection.vendor,
        "rows": rows,
        "machine": f"{platform.machine()} {os.cpu_count()} CPU, {platform.platform()}",
        "python": platform.python_version(),
    }
    with tempfile.TemporaryDirectory(prefix="muster-bench-ingest-") as tmp:
        directory = Path(tmp)
        log(f"generating two {rows:,}-row extracts in a child process")
        subprocess.run(
            [
                sys.executable,
                "-c",
                f"from bench.ingest import write_files; write_files({tmp!r}, {rows}, {codes!r})",
            ],
            check=True,
            cwd=ROOT,
        )
        _sign(directory, rows)
        fresh, changed = directory / "fresh.csv", directory / "changed.csv"
        figures["file_mb"] = round(fresh.stat().st_size / 1e6, 1)

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                figures["postgresql"] = cursor.fetchone()[0]
            log("(c) raw COPY into an unindexed table + the same indexes")
            _settled()
            c = _anchor_copy_and_index(fresh)

        _empty_registry()
        _settled()
        log("(a) ingest of the fresh extract into an empty registry")
        a, result_a = _timed(lambda: extract_ingest(fresh, rejects=directory / "a.rejects.csv"))
        figures["a_result"] = result_a.summary()
        figures["peak_rss_mb_after_a"] = _peak_mb()
        assert bulk.indexes_missing() == [], "indexes must be back after a fresh load"

        if connection.vendor != "postgresql":
            prepared = _prepared(fresh)
            _empty_registry()
            log("SQLite anchor: executemany of the same rows in one transaction")
            plain = _anchor_executemany(prepared)
            figures.update(
                a_seconds=round(a, 2),
                a_rows_per_second=round(rows / a),
                executemany_seconds=round(plain, 2),
                executemany_rows_per_second=round(rows / plain),
                ratio_executemany_over_a=round(plain / a, 2),
                target_a_at_least_2x_executemany=plain / a >= 2,
            )
            return figures

        log("(d) bare upsert of the changed rows from a staging table (rolled back)")
        prepared_changed = _prepared(changed)
        _vacuum()
        _settled()
        d_copy, d_upsert = _anchor_upsert(prepared_changed)
        del prepared_changed
        _vacuum()
        _settled()
        log("(b) ingest of the extract with 10 % of rows changed")
        b, result_b = _timed(lambda: extract_ingest(changed, rejects=directory / "b.rejects.csv"))
        figures["b_result"] = result_b.summary()

        log("(e) Django bulk_create of the fresh rows into the empty registry")
        prepared_fresh = _prepared(fresh)
        _empty_registry()
        _settled()
        e = _anchor_bulk_create(prepared_fresh)
        assert Person.objects.count() == prepared_fresh.height
        _empty_registry()

    d = d_copy + d_upsert
    figures.update(
        a_seconds=round(a, 2),
        b_seconds=round(b, 2),
        c_seconds=round(c, 2),
        d_seconds=round(d, 2),
        d_copy_seconds=round(d_copy, 2),
        d_upsert_seconds=round(d_upsert, 2),
        e_seconds=round(e, 2),
        ratio_a_over_c=round(a / c, 2),
        ratio_b_over_d=round(b / d, 2),
        ratio_b_over_d_upsert_only=round(b / d_upsert, 2),
        ratio_e_over_a=round(e / a, 2),
        ratio_e_over_b=round(e / b, 2),
        target_a_within_1_5x_c=a <= 1.5 * c,
        target_b_within_1_5x_d=b <= 1.5 * d,
        target_a_5x_faster_than_e=e >= 5 * a,
        target_b_5x_faster_than_e=e >= 5 * b,
    )
    return figures
