"""`muster demo` as a newcomer runs it: built, the database deleted, built again; and what
`--no-serve` prints. Runs the CLI in a subprocess on its own SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from muster.demo.register_exchange import PRODUCER, Sandbox, SandboxFailed, _leftover
from muster.exchange.models import FeedCursor
from muster.geo.models import AdminUnit

PEOPLE = "400"


def _demo(db: Path, workdir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["MUSTER_VAR_DIR"] = str(workdir)
    args = [
        "demo",
        "--no-serve",
        "--people",
        PEOPLE,
        "--db",
        str(db),
        "--password",
        "demo-afresh-password",
    ]
    return subprocess.run(
        [sys.executable, "-m", "muster.cli", *args],
        env=env, text=True, capture_output=True, timeout=600, check=False,
    )  # fmt: skip


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="the demo runs on its own SQLite file: tested once, in the SQLite pass",
)
def test_a_deleted_database_is_built_again_from_scratch(tmp_path: Path) -> None:
    db = tmp_path / "afresh.sqlite3"
    first = _demo(db, tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    assert (tmp_path / "afresh-popreg" / "extract.parquet").exists()
    # Nothing listens after --no-serve: it says how to serve what it built.
    assert f"    muster serve --db {db}\n" in first.stdout
    assert "URL: " not in first.stdout
    assert (tmp_path / "afresh-accounts.json").exists()
    # The migrated schema and the units' outlines are kept for the next new database.
    assert len(list((tmp_path / "cache").glob("schema-*.sqlite3"))) == 1
    assert len(list((tmp_path / "cache").glob("unit-shapes-*.json"))) == 1

    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    second = _demo(db, tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "Traceback" not in second.stderr
    # The register was rebuilt, so the extract came in again.
    assert "extract: " in second.stdout
    assert "inserted" in second.stdout


@pytest.mark.django_db
def test_register_state_is_reused_only_when_the_registry_received_it(tmp_path: Path) -> None:
    data = tmp_path / "popreg"
    assert not _leftover(data)  # nothing there: a fresh start
    data.mkdir()
    assert not _leftover(data)  # an empty folder
    (data / "ca.pem").write_text("half-made")
    assert _leftover(data)  # a sandbox that never wrote its extract
    (data / "extract.parquet").write_bytes(b"")
    assert _leftover(data)  # an extract this registry never took in
    FeedCursor.objects.create(producer=PRODUCER, last_sequence=12)
    assert not _leftover(data)  # this registry's own register: reused


def test_a_register_with_its_extract_is_not_started_in_the_background(tmp_path: Path) -> None:
    data = tmp_path / "popreg"
    data.mkdir()
    (data / "extract.parquet").write_bytes(b"")
    sandbox = Sandbox(province="Lào Cai", people=10, seed=1, data=data)
    # Nothing started: `register_exchange` decides (reuse, or rebuild a leftover) as before.
    assert sandbox.ready(AdminUnit(code="15")) is None
    sandbox.close()
    assert [p.name for p in data.iterdir()] == ["extract.parquet"]


def test_a_half_made_register_is_cleared_and_a_failed_start_is_reported(tmp_path: Path) -> None:
    data = tmp_path / "popreg"
    data.mkdir()
    (data / "ca.pem").write_text("half-made")
    sandbox = Sandbox(province="Atlantis", people=10, seed=1, data=data)
    try:
        assert not (data / "ca.pem").exists()  # cleared before the sandbox starts
        with pytest.raises(SandboxFailed, match="Atlantis"):
            sandbox.ready(AdminUnit(code="15"))
    finally:
        sandbox.close()
