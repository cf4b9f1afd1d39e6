"""The demo's population arrives the way production's does: from the population register.

A sandbox register (`muster sandbox popreg`, its own process and database) is initialised with
the demo's province, size and seed; Muster trusts its key, ingests its signed extract, migrates
the commune commands' own records (`before_feed`: registrations, so it knows who is on a
register), then pulls the change feed of the simulated weeks since over mutual TLS. Worklists
(due for first registration, transfers, deaths) follow from that, and a batch of legacy
district records is linked so the review queue has work in it.

The register's folder beside the database holds the sandbox's state (its database, keys and
clock). It is reused only when the registry holds what it sent (the producer's feed cursor);
otherwise — the database was deleted or replaced — the folder is rebuilt from scratch.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from muster.exchange.actions import producer_key_trust
from muster.exchange.adapter import HttpsMtlsTransport
from muster.exchange.feed import PullResult, feed_pull
from muster.exchange.ingest import IngestResult, extract_ingest
from muster.exchange.models import FeedCursor
from muster.geo.models import AdminUnit
from muster.linkage.actions import LinkOutcome, default_thresholds, legacy_file_link, people_frame
from muster.linkage.addresses import legacy_geo_load
from muster.linkage.legacy_gen import TRUTH_COLUMN, generate_legacy
from muster.worklists.bulk import RefreshCounts, worklist_refresh_registration

PRODUCER = "popreg"
# The register's extract is as of this many days ago; the feed brings the rest.
FEED_DAYS = 30
LEGACY_RECORDS = 1_000


class SandboxFailed(RuntimeError):
    """The sandbox process failed; the message carries its output."""


@dataclass(frozen=True)
class RegisterResult:
    ingest: IngestResult | None  # None on a re-run: the extract was ingested before
    pull: PullResult
    refresh: RefreshCounts
    link: LinkOutcome | None  # likewise for the legacy batch


def _sandbox(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "muster.cli", "sandbox", "popreg", "--data", str(data), *args],
        capture_output=True, text=True, timeout=600, check=False, env=os.environ.copy(),
    )  # fmt: skip
    if done.returncode != 0:
        raise SandboxFailed(f"muster sandbox popreg {' '.join(args)}: {done.stderr[-2000:]}")
    return done


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(data: Path, port: int, *, simulate_days: int) -> subprocess.Popen[str]:
    simulate = ["--simulate-days", str(simulate_days)] if simulate_days else []
    proc = subprocess.Popen(
        [sys.executable, "-m", "muster.cli", "sandbox", "popreg", "--data", str(data),
         "--port", str(port), *simulate],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
    )  # fmt: skip
    assert proc.stdout is not None
    deadline = time.monotonic() + 300
    for line in proc.stdout:
        if "listening" in line:
            return proc
        if time.monotonic() > deadline:
            break
    proc.kill()
    raise SandboxFailed(
        "the sandbox feed did not start: " + (proc.stderr.read() if proc.stderr else "")
    )


def _leftover(data: Path) -> bool:
    """Whether `data` holds a register whose state this database never received (the
    database was deleted or replaced since): its clock is already at today and it would send
    nothing, so it must be rebuilt."""
    if not (data / "extract.parquet").exists():
        return data.exists() and any(data.iterdir())
    return not FeedCursor.objects.filter(producer=PRODUCER).exists()


def _extract_args(province: str, people: int, seed: int, extract: Path) -> list[str]:
    start = date.today() - timedelta(days=FEED_DAYS)
    return [
        "--province", province, "--people", str(people), "--seed", str(seed),
        "--start", start.isoformat(), "--write-extract", str(extract),
    ]  # fmt: skip


class Sandbox:
    """The sandbox register of a demo whose folder holds no extract yet, made ready in the
    background while the demo builds its schema, units and organisation: its extract written,
    then its feed started with the simulated weeks (both its own process and database, and
    the province found from the bundled unit data as `find_province` finds it). Otherwise
    (a re-run) `register_exchange` does it all in turn. `close()` stops the feed."""

    def __init__(self, *, province: str, people: int, seed: int, data: Path) -> None:
        self.data = data
        self._server: subprocess.Popen[str] | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._ready: Future[int] | None = None
        if (data / "extract.parquet").exists():
            return
        if data.exists():  # what a killed run left: rebuilt from scratch
            shutil.rmtree(data)
        data.mkdir(parents=True)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sandbox")
        self._ready = self._pool.submit(self._prepare, province, people, seed)

    def _prepare(self, province: str, people: int, seed: int) -> int:
        _sandbox(self.data, *_extract_args(province, people, seed, self.data / "extract.parquet"))
        port = _free_port()
        self._server = _serve(self.data, port, simulate_days=FEED_DAYS)
        return port

    def ready(self, province: AdminUnit) -> int | None:
        """The port of the feed started in the background (None when nothing was started),
        once the extract is written; a register of another province is refused."""
        if self._ready is None:
            return None
        port = self._ready.result()
        first = pl.read_parquet(
            self.data / "extract.parquet", columns=["residence_commune_code"], n_rows=1
        )
        code = first["residence_commune_code"][0] if first.height else None
        if code is not None and not AdminUnit.objects.filter(parent=province, code=code).exists():
            raise SandboxFailed(f"the sandbox's extract is not of province {province.code}")
        return port

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        if self._server is not None:
            self._server.terminate()
            self._server.wait(timeout=30)
            self._server = None


def register_exchange(
    *,
    province: AdminUnit,
    people: int,
    seed: int,
    data: Path,
    before_feed: Callable[[], None] | None = None,
    sandbox: Sandbox | None = None,
) -> RegisterResult:
    """Extract → ingest → (`before_feed`) → feed → worklists → legacy linkage, all through
    the real paths. `sandbox`: the register made ready in the background (`Sandbox`)."""
    port = sandbox.ready(province) if sandbox is not None else None
    if port is None and _leftover(data):
        shutil.rmtree(data)
    data.mkdir(parents=True, exist_ok=True)
    extract = data / "extract.parquet"
    fresh = port is not None or not extract.exists()  # a re-run finds the clock at today
    if port is None and fresh:
        _sandbox(data, *_extract_args(province.code, people, seed, extract))
    producer_key_trust(
        pem=(data / "producer.pub.pem").read_bytes(), producer=PRODUCER, acting_user=None
    )
    # Only a fresh extract is ingested: on a re-run the registry already holds it plus the feed's
    # later changes, which re-ingesting the older extract would undo.
    ingested = extract_ingest(extract, rejects=data / "extract-rejects.csv") if fresh else None
    if before_feed is not None:
        before_feed()

    server = None
    if port is None:
        port = _free_port()
        server = _serve(data, port, simulate_days=FEED_DAYS if fresh else 0)
    try:
        transport = HttpsMtlsTransport(
            f"https://127.0.0.1:{port}", ca=data / "ca.pem", cert=data / "client.pem",
            key=data / "client.key",
        )  # fmt: skip
        pulled = feed_pull(producer=PRODUCER, transport=transport)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if sandbox is not None:
            sandbox.close()

    commune_ids = list(AdminUnit.objects.filter(parent=province).values_list("id", flat=True))
    refreshed = worklist_refresh_registration(year=date.today().year, commune_ids=commune_ids)

    legacy_csv = data / "legacy-district-records.csv"
    if not legacy_csv.exists():
        geo = legacy_geo_load()
        legacy = generate_legacy(people_frame(), geo, records=LEGACY_RECORDS, seed=seed)
        legacy.drop(TRUTH_COLUMN).write_csv(legacy_csv)
    linked = legacy_file_link(
        path=legacy_csv, source="demo-legacy", thresholds=default_thresholds(), acting_user=None
    )
    return RegisterResult(ingested, pulled, refreshed, linked)
