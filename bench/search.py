"""Person search under load: 1,000,000 people on PostgreSQL, 8 concurrent API clients.

Anchor: the same SQL the API runs, executed directly over 8 psycopg connections.
Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/muster_bench muster bench search
"""

from __future__ import annotations

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.management import call_command
from django.db import connection

PROVINCE = "Hà Nội"
CLIENTS = 8
PROCESSES = os.cpu_count() or 1  # as a server would be run
SEED = 77


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    q = statistics.quantiles(ordered, n=100)
    return {
        "n": len(ordered),
        "p50_ms": round(q[49] * 1000, 2),
        "p95_ms": round(q[94] * 1000, 2),
        "p99_ms": round(q[98] * 1000, 2),
        "max_ms": round(ordered[-1] * 1000, 2),
    }


def _ensure_population(people: int, log: Callable[[str], Any]) -> None:
    from rich.console import Console

    from muster.demo.build import build_demo
    from muster.people.models import Person

    have = Person.objects.count()
    if have >= people:
        log(f"reusing {have:,} people already loaded")
    else:
        started = time.monotonic()
        build_demo(
            province=PROVINCE,
            people=people,
            seed=SEED,
            password="bench-password",
            db_path=None,
            console=Console(stderr=True),
        )
        log(f"built {people:,} people in {time.monotonic() - started:.0f} s")
    with connection.cursor() as cursor:
        # A fresh bulk load has no visibility map yet: without VACUUM no scan is index-only.
        cursor.execute("VACUUM ANALYZE people_person")


def _queries(count: int) -> list[tuple[str, str]]:
    """A mix of name prefixes (full name, surname + middle + initial) and exact IDs."""
    from muster.people.models import Person

    rng = random.Random(SEED)
    low, high = (
        Person.objects.order_by("id").values_list("id", flat=True)[0],
        Person.objects.order_by("-id").values_list("id", flat=True)[0],
    )
    picks = [
        Person.objects.filter(id__gte=rng.randint(low, high))
        .order_by("id")
        .values_list("search_key", "personal_id")[0]
        for _ in range(count // 2)
    ]
    out: list[tuple[str, str]] = []
    for key, personal_id in picks:
        words = key.split()
        prefix = key if rng.random() < 0.5 else " ".join([*words[:-1], words[-1][:2]])
        out.append(("name", prefix))
        out.append(("id", personal_id))
    rng.shuffle(out)
    return out


def _start_server(port: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "muster.cli",
            "serve",
            "--port",
            str(port),
            "--threads",
            "4",
            "--processes",
            str(PROCESSES),
        ],
        env={**os.environ, "DATABASE_URL": os.environ["DATABASE_URL"]},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/login/")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(
        "the server did not start: " + (proc.stderr.read().decode() if proc.stderr else "")
    )


def _api_load(port: int, token: str, work: list[tuple[str, str]], rounds: int) -> dict[str, Any]:
    latencies: dict[str, list[float]] = {"name": [], "id": []}
    errors: list[str] = []
    lock = threading.Lock()

    def client(offset: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Bearer {token}"}
        mine = work[offset::CLIENTS] * rounds
        for kind, q in mine:
            path = "/api/v1/persons?" + urlencode({"q": q})
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            elapsed = time.perf_counter() - started
            with lock:
                if response.status != 200 or not json.loads(body)["items"]:
                    errors.append(f"{response.status} {path}")
                latencies[kind].append(elapsed)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    total = sum(len(v) for v in latencies.values())
    return {
        "name": _percentiles(latencies["name"]),
        "id": _percentiles(latencies["id"]),
        "all": _percentiles(latencies["name"] + latencies["id"]),
        "requests_per_second": round(total / wall, 1),
        "errors": len(errors),
    }


def _sql_anchor(user: Any, work: list[tuple[str, str]], rounds: int) -> dict[str, Any]:
    """The SQL statements the API's list endpoint runs for each query, replayed on 8 connections.

    They are captured from `person_search_page` (the function the endpoint calls) with the scope
    already cached, so the anchor is the database's share of each request's search (the read
    log it writes after the search is not replayed: its rows are chained).
    """
    import psycopg
    from django.test.utils import CaptureQueriesContext

    from muster.people.queries import person_search_page

    statements: list[tuple[str, list[str]]] = []
    person_search_page(user, q="warm")  # caches the scope, so only search statements are captured
    for kind, q in work:
        with CaptureQueriesContext(connection) as ctx:
            person_search_page(user, q=q, page=1)
        captured = [c["sql"] for c in ctx.captured_queries]
        # The page's read log follows the search in its own transaction (BEGIN, the chain's
        # lock and head, INSERT, COMMIT): chained rows cannot be replayed, so the anchor is the
        # search's own statements, the ones before it.
        begins = [i for i, sql in enumerate(captured) if sql.lstrip().startswith("BEGIN")]
        if begins:
            captured = captured[: begins[0]]
        statements.append((kind, captured))
    db = settings.DATABASES["default"]
    latencies: dict[str, list[float]] = {"name": [], "id": []}
    lock = threading.Lock()

    def client(offset: int) -> None:
        with psycopg.connect(
            dbname=db["NAME"],
            user=db["USER"] or None,
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            password=db["PASSWORD"] or None,
        ) as conn:
            for kind, sqls in statements[offset::CLIENTS] * rounds:
                started = time.perf_counter()
                for sql in sqls:
                    conn.execute(sql.encode()).fetchall()  # bytes: already-interpolated SQL
                elapsed = time.perf_counter() - started
                with lock:
                    latencies[kind].append(elapsed)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        "name": _percentiles(latencies["name"]),
        "id": _percentiles(latencies["id"]),
        "all": _percentiles(latencies["name"] + latencies["id"]),
        "statements_per_request": round(sum(len(s) for _, s in statements) / len(statements), 1),
    }


def run(
    log: Callable[[str], Any] = print, people: int = 1_000_000, requests: int = 300
) -> dict[str, Any]:
    if connection.vendor != "postgresql":
        raise SystemExit("bench search runs on PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0, interactive=False)
    _ensure_population(people, log)
    from muster.accounts.actions import api_token_issue
    from muster.accounts.models import User
    from muster.core.serving import port_is_free

    user = User.objects.get(username="tinh")  # provincial staff: a real jurisdiction filter
    token = api_token_issue(user=user)
    work = _queries(requests * 2)
    port = next(p for p in range(8611, 8700) if port_is_free("127.0.0.1", p))
    server = _start_server(port)
    try:
        _api_load(port, token, work[: CLIENTS * 4], 1)  # warm caches and connections
        api = _api_load(port, token, work, 1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    anchor = _sql_anchor(user, work, 1)
    from muster.people.models import Person

    return {
        "benchmark": "search",
        "date": date.today().isoformat(),
        "people": Person.objects.count(),
        "clients": CLIENTS,
        "server": f"muster serve --processes {PROCESSES} --threads 4",
        "user": f"{user.username} ({user.role})",
        "api": api,
        "sql_anchor": anchor,
        "p95_ratio_api_to_sql": round(api["all"]["p95_ms"] / max(anchor["all"]["p95_ms"], 0.01), 1),
        "target_p95_ms": 50,
    }
