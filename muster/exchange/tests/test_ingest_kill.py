"""Kill -9 an ingest after a few batches; a re-run ends in the state of an uninterrupted run.

The ingest runs as a real `muster exchange ingest` process against this test's database (a
file copy of it on SQLite), so the kill interrupts real commits, index drops and COPYs.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.db import connection

from muster.exchange import signing
from muster.exchange.actions import producer_key_trust
from muster.exchange.tests.ingest_support import PRODUCER, csv_bytes, signed_extract, text_frame
from muster.people.tests.factories import make_world

ROWS = 20_000
BATCH = 100
KILL_AFTER = 5  # progress lines (batches that reached the database)

Query = Callable[[str], list[tuple[Any, ...]]]


def _database(tmp_path: Path) -> tuple[str, Query]:
    """(DATABASE_URL for the subprocess, a query function on the same database)."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        path = tmp_path / "kill.sqlite3"
        target = sqlite3.connect(path)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()

        def query_sqlite(statement: str) -> list[tuple[Any, ...]]:
            with sqlite3.connect(path) as con:
                return con.execute(statement).fetchall()

        return f"sqlite:///{path}", query_sqlite

    def query_postgres(statement: str) -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(statement)
            return list(cursor.fetchall())

    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    url = f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/"
    return url + db["NAME"], query_postgres


def _command(path: Path) -> list[str]:
    ingest = [sys.executable, "-m", "muster.cli", "exchange", "ingest", str(path)]
    return [*ingest, "--batch-rows", str(BATCH)]


def _state(query: Query) -> dict[str, Any]:
    return {
        "persons": query(
            "SELECT personal_id, full_name, sex, birth_date, residence_commune_id, address "
            "FROM people_person ORDER BY personal_id"
        ),
        "periods": query(
            "SELECT p.personal_id, r.commune_id, r.valid_from, r.valid_to FROM "
            "people_residenceperiod r JOIN people_person p ON p.id = r.person_id "
            "ORDER BY p.personal_id"
        ),
        "runs": query(
            "SELECT status, rows_read, inserted, updated, unchanged, rejected FROM "
            "exchange_ingestrun ORDER BY id"
        ),
        "events": query(
            "SELECT count(*) FROM audit_auditevent WHERE action = 'exchange.extract.ingested'"
        ),
        "indexes": query(
            "SELECT count(*) FROM pg_indexes WHERE tablename = 'people_person'"
            if connection.vendor == "postgresql"
            else "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'people_person'"
        ),
    }


@pytest.mark.django_db(transaction=True)
def test_killed_ingest_is_finished_by_a_rerun(tmp_path):
    make_world()
    key = Ed25519PrivateKey.generate()
    producer_key_trust(
        pem=signing.public_pem(key.public_key()), producer=PRODUCER, acting_user=None
    )
    frame = text_frame(ROWS)
    path = signed_extract(tmp_path, csv_bytes(frame), key=key, rows=ROWS)
    url, query = _database(tmp_path)
    indexes_before = _state(query)["indexes"]
    env = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}

    process = subprocess.Popen(
        _command(path), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    seen = 0
    for line in process.stdout:
        if line.startswith("loaded "):
            seen += 1
            if seen == KILL_AFTER:
                break
    still_running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert still_running, "the ingest finished before it could be killed; use more rows"

    if connection.vendor == "sqlite":
        # The fresh load ran in rollback-journal mode (core.sqlite.rollback_journal): the kill
        # left a hot journal, which the next connection rolls back.
        assert Path(url.removeprefix("sqlite:///") + "-journal").exists()
    interrupted = _state(query)
    assert interrupted["runs"][0][0] == "running"
    assert interrupted["events"] == [(0,)]
    assert len(interrupted["persons"]) < ROWS

    rerun = subprocess.run(_command(path), env=env, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"read {ROWS} · inserted {ROWS} · updated 0 · unchanged 0" in rerun.stdout
    after = _state(query)
    assert len(after["persons"]) == ROWS
    assert len({row[0] for row in after["persons"]}) == ROWS
    assert [row[0] for row in after["periods"]] == [row[0] for row in after["persons"]]
    assert after["runs"] == [("done", ROWS, ROWS, 0, 0, 0)]
    assert after["events"] == [(1,)]
    assert after["indexes"] == indexes_before
    if connection.vendor == "sqlite":
        assert query("PRAGMA journal_mode") == [("wal",)]

    # And an uninterrupted re-run of the finished job changes nothing.
    again = subprocess.run(_command(path), env=env, capture_output=True, text=True, timeout=300)
    assert f"inserted 0 · updated 0 · unchanged {ROWS}" in again.stdout, again.stderr
    assert _state(query)["persons"] == after["persons"]
