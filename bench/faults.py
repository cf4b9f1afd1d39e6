"""Kill -9 at random points of `muster restructure apply` and of order-batch approval (issue 13).

    muster bench faults                 # 20 runs of each, on throwaway SQLite copies
    muster bench faults --scenario approval --runs 5
    DATABASE_URL=postgres://…/muster_x muster bench faults   # on PostgreSQL copies of the server

For each scenario (bench/_fault_worlds.py): a migrated empty database gets the scenario's world;
one copy runs the act to completion (the clean run, timed); then, RUNS times, a fresh copy of
the world runs the act in a child process that is killed with SIGKILL after a random delay
drawn from the clean run's duration, and the act is run again to completion. After each:
- the end state equals the clean run's: the affected tables' rows (ids, units, dates, numbers,
  statuses; random verification codes only counted) and the count of each audit action, as
  checksums;
- `muster audit verify` passes (both chains, against the key and the checkpoint file each copy
  carries — a kill between a commit and its checkpoint must not break it); it runs in the
  re-run's process, after the act, to save a start-up.
Figures per scenario: runs, how many kills landed while the act ran and left a partial state,
how many ended equal to the clean run and verified, the clean act's seconds; the problems seen.
`tests/test_faults.py` runs the same with a few runs on the test database.
"""

from __future__ import annotations

import hashlib
import os
import platform
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from config.env import BASE_DIR

RUNS = 20
SEED = 13
WORLDS = "bench._fault_worlds"

# What a scenario's end state is: each query's rows, compared as a checksum.
STATES: dict[str, dict[str, str]] = {
    "restructure": {
        "persons": "SELECT id, residence_commune_id FROM people_person ORDER BY id",
        "periods": "SELECT person_id, commune_id, valid_from, valid_to "
        "FROM people_residenceperiod ORDER BY person_id, valid_from, commune_id",
        "users": "SELECT id, jurisdiction_id FROM accounts_user ORDER BY id",
        "territories": "SELECT org_unit_id, admin_unit_id, valid_from, valid_to "
        "FROM orgs_territory ORDER BY org_unit_id, admin_unit_id, valid_from",
        "org_units": "SELECT id, valid_to FROM orgs_orgunit ORDER BY id",
        "moves": "SELECT record_type, count(*) FROM restructure_moverecord "
        "GROUP BY record_type ORDER BY record_type",
        "plans": "SELECT key, status FROM restructure_plan ORDER BY key",
        "splits": "SELECT status, count(*) FROM restructure_splitcase GROUP BY status ORDER BY 1",
        "audit": "SELECT action, count(*) FROM audit_auditevent GROUP BY action ORDER BY action",
    },
    "approval": {
        "orders": "SELECT id, batch_id, person_id, number, issued_on, revoked_at "
        "FROM conscription_calluporder ORDER BY id",
        "batches": "SELECT id, approved_by_id, approved_at IS NOT NULL "
        "FROM conscription_orderbatch ORDER BY id",
        "codes": "SELECT count(*), count(DISTINCT verification_code) "
        "FROM conscription_calluporder WHERE verification_code <> ''",
        "audit": "SELECT action, count(*) FROM audit_auditevent GROUP BY action ORDER BY action",
    },
}


class Store:
    """Databases cloned from one another, each with its own audit checkpoint file beside it:
    SQLite files in a folder (copied through the backup API), or PostgreSQL databases of one
    server (CREATE DATABASE … TEMPLATE, which needs the source idle: only children use them)."""

    def __init__(self, root: Path, server: dict[str, Any] | None = None, prefix: str = "faults"):
        self.root = root
        self.server = server
        self.prefix = prefix
        (root / "keys").mkdir(parents=True, exist_ok=True)

    def _db(self, name: str) -> str:
        return f"{self.prefix}_{name}"

    def _sqlite(self, name: str) -> Path:
        return self.root / f"{name}.sqlite3"

    def checkpoints(self, name: str) -> Path:
        return self.root / f"{name}.checkpoints.jsonl"

    def url(self, name: str) -> str:
        if self.server is None:
            return f"sqlite:///{self._sqlite(name)}"
        s = self.server
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        host, port = s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432
        return f"postgres://{s.get('USER') or 'postgres'}{password}@{host}:{port}/{self._db(name)}"

    def _admin(self, statement: str) -> None:
        import psycopg

        s = self.server or {}
        with psycopg.connect(
            dbname="postgres",
            user=s.get("USER") or "postgres",
            password=s.get("PASSWORD") or None,
            host=s.get("HOST") or "127.0.0.1",
            port=s.get("PORT") or 5432,
            autocommit=True,
        ) as con:
            con.execute(statement)

    def adopt_sqlite(self, name: str, source: sqlite3.Connection) -> None:
        """`name` becomes a copy of an open SQLite database (the test database)."""
        target = sqlite3.connect(self._sqlite(name))
        source.backup(target)
        target.close()

    def adopt_postgres(self, name: str, database: str) -> None:
        """`name` becomes a copy of an idle PostgreSQL database (the test database)."""
        self.drop(name)
        self._admin(f'CREATE DATABASE "{self._db(name)}" TEMPLATE "{database}"')

    def clone(self, source: str, target: str) -> None:
        self.drop(target)
        if self.server is None:
            with sqlite3.connect(self._sqlite(source)) as src:
                self.adopt_sqlite(target, src)
        else:
            self._admin(f'CREATE DATABASE "{self._db(target)}" TEMPLATE "{self._db(source)}"')
        if self.checkpoints(source).exists():
            self.checkpoints(target).write_bytes(self.checkpoints(source).read_bytes())

    def drop(self, name: str) -> None:
        self.checkpoints(name).unlink(missing_ok=True)
        if self.server is None:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self._sqlite(name)}{suffix}").unlink(missing_ok=True)
        else:
            self._admin(f'DROP DATABASE IF EXISTS "{self._db(name)}" WITH (FORCE)')

    def query(self, name: str, statement: str) -> list[tuple[Any, ...]]:
        if self.server is None:
            with sqlite3.connect(self._sqlite(name)) as con:
                return con.execute(statement).fetchall()
        import psycopg

        with psycopg.connect(self.url(name).replace("postgres://", "postgresql://")) as con:
            return list(con.execute(statement).fetchall())

    def env(self, name: str) -> dict[str, str]:
        """A child's environment: the default settings on this copy, the shared keys, the
        copy's own checkpoint file."""
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        env.update(
            MUSTER_SETTINGS="default",
            DATABASE_URL=self.url(name),
            MUSTER_VAR_DIR=str(self.root / "var"),
            MUSTER_KEY_DIR=str(self.root / "keys"),
            MUSTER_AUDIT_CHECKPOINTS=str(self.checkpoints(name)),
            PYTHONUNBUFFERED="1",
        )
        return env


def _child(store: Store, name: str, *args: str, timeout: float = 600) -> str:
    done = subprocess.run(
        [sys.executable, *args],
        env=store.env(name),
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout


def migrated_base(store: Store) -> None:
    """The bench's starting point: an empty database with every migration applied."""
    store.drop("base")
    if store.server is not None:
        store._admin(f'CREATE DATABASE "{store._db("base")}"')
    _child(store, "base", "-m", "muster.cli", "migrate", "--noinput", timeout=1800)


def state(store: Store, scenario: str, name: str) -> dict[str, str]:
    """Each compared query's checksum (sha256 of its rows, first 16 hex digits)."""
    return {
        key: hashlib.sha256(repr(store.query(name, sql)).encode()).hexdigest()[:16]
        for key, sql in STATES[scenario].items()
    }


def _act(store: Store, scenario: str, name: str) -> tuple[float, bool, str]:
    """Run the act to completion, then `muster audit verify` in the same child: (seconds from
    its "ready" to its "done", whether the chains verified, the verify report)."""
    process = subprocess.Popen(
        [sys.executable, "-m", WORLDS, "finish", scenario],
        env=store.env(name),
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert process.stdout is not None
    lines: list[str] = []
    started = ended = 0.0
    for line in process.stdout:
        lines.append(line.rstrip())
        if line.strip() == "ready":
            started = time.perf_counter()
        elif line.strip() == "done":
            ended = time.perf_counter()
    process.wait(timeout=600)
    if process.returncode != 0 or not ended:
        raise RuntimeError(f"{scenario} act failed ({process.returncode}): {lines[-20:]}")
    verified = "verify exit 0" in lines
    report = "\n".join(lines[lines.index("done") + 1 :])[-500:]
    return ended - started, verified, report


def _killed_act(store: Store, scenario: str, name: str, delay: float) -> bool:
    """Start the act, SIGKILL it `delay` seconds after it is ready; True if it was still
    running (the kill interrupted it)."""
    process = subprocess.Popen(
        [sys.executable, "-m", WORLDS, "act", scenario],
        env=store.env(name),
        cwd=BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    for line in process.stdout:
        if line.strip() == "ready":
            break
    time.sleep(delay)
    running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)
    process.stdout.close()
    return running


def scenario_run(
    store: Store, scenario: str, runs: int, rng: random.Random, log: Callable[[str], object]
) -> dict[str, Any]:
    world = f"{scenario}_world"
    store.clone("base", world)
    _child(store, world, "-m", WORLDS, "build", scenario)
    before = state(store, scenario, world)
    store.clone(world, f"{scenario}_clean")
    # The clean act's duration: the kills draw their delay from it.
    act_s, clean_ok, clean_report = _act(store, scenario, f"{scenario}_clean")
    clean = state(store, scenario, f"{scenario}_clean")
    if not clean_ok:
        raise RuntimeError(f"the clean {scenario} run does not verify: {clean_report}")
    store.drop(f"{scenario}_clean")
    figures: dict[str, Any] = {
        "runs": runs,
        "act_s": round(act_s, 2),
        "interrupted": 0,  # the kill landed while the act ran
        "partial": 0,  # … and left a state neither the world's nor the clean end's
        "equal": 0,
        "verified": 0,
        "problems": [],
    }
    for run in range(runs):
        name = f"{scenario}_run"
        store.clone(world, name)
        delay = rng.uniform(0, act_s)
        interrupted = _killed_act(store, scenario, name, delay)
        left = state(store, scenario, name)
        figures["interrupted"] += interrupted
        figures["partial"] += interrupted and left not in (before, clean)
        _seconds, ok, report = _act(store, scenario, name)
        after = state(store, scenario, name)
        differs = sorted(k for k in clean if after[k] != clean[k])
        figures["equal"] += not differs
        figures["verified"] += ok
        if differs or not ok:
            figures["problems"].append(
                {"run": run, "delay_s": round(delay, 2), "differs": differs, "verify": report}
            )
        log(
            f"{scenario} run {run + 1}/{runs}: kill after {delay:.2f} s "
            f"({'interrupted' if interrupted else 'after the end'}), "
            f"{'equal' if not differs else 'DIFFERS ' + ','.join(differs)}, "
            f"verify {'ok' if ok else 'FAILED'}"
        )
        store.drop(name)
    store.drop(world)
    return figures


def faults_run(
    store: Store,
    runs: int,
    log: Callable[[str], object],
    seed: int = SEED,
    scenarios: tuple[str, ...] = tuple(STATES),
) -> dict[str, Any]:
    """The scenarios from `store`'s database "base" (migrated, empty)."""
    rng = random.Random(seed)
    figures = {s: scenario_run(store, s, runs, rng, log) for s in scenarios}
    return {
        **figures,
        "ok": all(not f["problems"] for f in figures.values()),
        "seed": seed,
    }


def run(log: Callable[[str], object], **options: Any) -> dict[str, Any]:
    from django.db import connection

    runs = int(options.get("runs") or RUNS)
    scenarios = (options["scenario"],) if options.get("scenario") else tuple(STATES)
    if not set(scenarios) <= set(STATES):
        raise SystemExit(f"--scenario: one of {', '.join(STATES)}")
    with tempfile.TemporaryDirectory(prefix="muster-faults-") as folder:
        server = dict(connection.settings_dict) if connection.vendor == "postgresql" else None
        store = Store(Path(folder), server, prefix=f"faults_{os.getpid()}")
        log(f"migrating an empty {connection.vendor} database")
        migrated_base(store)
        try:
            figures = faults_run(store, runs, log, scenarios=scenarios)
        finally:
            store.drop("base")
    return {
        **figures,
        "database": connection.vendor,
        "machine": f"{platform.node()} {os.cpu_count()} cores",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
