"""Reports read the streaming replica; writes never go there (issue 20, docs/scaling.md).

The router's choices are checked in every run. The `scale` test builds its own small primary
cluster and a streaming replica of it (initdb, pg_basebackup) on spare ports in a temporary
folder — never the 5432 cluster — and proves the routing against real PostgreSQL: with replay
paused on the replica, a report does not see a row the primary has, an ordinary read does, a
write inside a report lands on the primary, and the lag says the replica is paused.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from muster.core import replica
from muster.core.replica import PRIMARY, REPLICA, ReplicaRouter, read_alias, reporting
from muster.geo.models import AdminUnit

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")


@pytest.fixture
def with_replica(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(replica, "replica_configured", lambda: True)


@pytest.mark.usefixtures("with_replica")
def test_reads_stay_on_the_primary_outside_reports() -> None:
    router = ReplicaRouter()
    assert router.db_for_read(AdminUnit) == PRIMARY
    assert read_alias() == PRIMARY


@pytest.mark.usefixtures("with_replica")
def test_reports_read_the_replica_and_write_the_primary() -> None:
    from muster.audit.models import AuditEvent

    router = ReplicaRouter()
    with reporting():
        assert router.db_for_read(AdminUnit) == REPLICA
        assert read_alias() == REPLICA
        assert router.db_for_write(AdminUnit) == PRIMARY
        # The read log's chain head decides the next write: never a lagging copy.
        assert router.db_for_read(AuditEvent) == PRIMARY
    assert router.allow_migrate(REPLICA, "people") is False
    assert router.allow_migrate(PRIMARY, "people") is True


def test_without_a_replica_reports_read_the_primary() -> None:
    router = ReplicaRouter()
    with reporting():
        assert router.db_for_read(AdminUnit) == PRIMARY
        assert read_alias() == PRIMARY
    assert replica.replica_lag() is None


# ---- a real primary and streaming replica --------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and the server refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


def _run(command: list[str], **kwargs: object) -> None:
    subprocess.run(command, check=True, capture_output=True, timeout=300, **kwargs)  # type: ignore[call-overload]


def _start(data: Path, port: int, socket_dir: Path) -> None:
    options = f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={socket_dir}"
    options += " -c fsync=off -c shared_buffers=16MB -c max_wal_senders=4"
    _run(
        _as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(data / "log"),
                "-w",
                "-o",
                options,
                "start",
            ]
        )
    )


def _psql(port: int, sql: str, database: str = "muster") -> str:
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-d", database, "-Atc", sql],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout.strip()


@pytest.fixture
def clusters() -> Iterator[tuple[int, int, Path]]:
    if not (PG_BIN / "initdb").exists() or shutil.which("psql") is None:
        pytest.skip("PostgreSQL 15 server binaries are not installed")
    folder = Path(tempfile.mkdtemp(prefix="muster-replica-"))
    primary, standby = folder / "primary", folder / "replica"
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    ports = (_free_port(), _free_port())
    started: list[Path] = []
    try:
        _run(
            _as_postgres(
                [
                    str(PG_BIN / "initdb"),
                    "-D",
                    str(primary),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--no-sync",
                ]
            )
        )
        _start(primary, ports[0], folder)
        started.append(primary)
        _run(["createdb", "-h", "127.0.0.1", "-p", str(ports[0]), "-U", "postgres", "muster"])
        yield ports[0], ports[1], folder
    finally:
        for data in (standby, primary):
            if data.exists():
                subprocess.run(
                    _as_postgres(
                        [str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]
                    ),
                    capture_output=True,
                )
        shutil.rmtree(folder, ignore_errors=True)


PROBE = """
import django, json
django.setup()
from muster.core.replica import replica_lag, reporting
from muster.geo.models import AdminUnit
from muster.web.context_processors import replica_lag as lag_in_page

out = {"primary": AdminUnit.objects.filter(code="99999").count()}
with reporting():
    out["report"] = AdminUnit.objects.filter(code="99999").count()
    out["page_lag_paused"] = lag_in_page(None)["replica_lag"].paused
    # A write inside a report: the standby would refuse it ("read-only transaction").
    out["updated"] = AdminUnit.objects.filter(code="99999").update(name="Xã Kiểm Tra")
out["lag_paused"] = replica_lag().paused
print(json.dumps(out))
"""


def _muster_env(primary_port: int, replica_port: int | None, folder: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "MUSTER_VAR_DIR": str(folder / "var"),
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{primary_port}/muster",
    }
    if replica_port is not None:
        env["DATABASE_REPLICA_URL"] = f"postgres://postgres@127.0.0.1:{replica_port}/muster"
    return env


@pytest.mark.scale
def test_a_report_reads_the_streaming_replica(clusters: tuple[int, int, Path]) -> None:
    primary_port, replica_port, folder = clusters
    muster = str(Path(sys.executable).with_name("muster"))
    _run([muster, "migrate", "--no-input"], env=_muster_env(primary_port, None, folder), cwd=ROOT)
    standby = folder / "replica"
    _run(
        _as_postgres(
            [
                str(PG_BIN / "pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(primary_port),
                "-U",
                "postgres",
                "-D",
                str(standby),
                "-R",
                "-X",
                "stream",
            ]
        )
    )
    _start(standby, replica_port, folder)
    assert _psql(replica_port, "SELECT pg_is_in_recovery()") == "t"

    # Replay paused: what the primary writes now, the replica does not have.
    _psql(replica_port, "SELECT pg_wal_replay_pause()")
    _psql(
        primary_port,
        "INSERT INTO geo_adminunit (edition, level, code, name, short_name,"
        " unit_type, area_is_estimate, search_key) VALUES ('2025', 'commune', '99999',"
        " 'Xã Thử', 'Thử', 'Xã', false, 'thu')",
    )
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env=_muster_env(primary_port, replica_port, folder),
    )
    import json

    seen = json.loads(probe.stdout.strip().splitlines()[-1])
    assert seen["primary"] == 1  # an ordinary read: the primary
    assert seen["report"] == 0  # a report: the paused replica, which lacks the row
    assert seen["updated"] == 1  # a write inside a report went to the primary
    assert seen["lag_paused"] is True
    assert seen["page_lag_paused"] is True
    assert (
        _psql(primary_port, "SELECT name FROM geo_adminunit WHERE code = '99999'") == "Xã Kiểm Tra"
    )

    # Replay resumed: the replica catches up with both the insert and the update.
    _psql(replica_port, "SELECT pg_wal_replay_resume()")
    for _ in range(100):
        if (
            _psql(replica_port, "SELECT name FROM geo_adminunit WHERE code = '99999'")
            == "Xã Kiểm Tra"
        ):
            break
        time.sleep(0.1)
    else:
        pytest.fail("the replica did not catch up after replay resumed")
