"""`muster bench load`: mixed reads and writes against `muster serve` on PostgreSQL (issue 13).

    createdb -h 127.0.0.1 -U postgres muster_loadbench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/muster_loadbench muster bench load

Set-up (untimed): the database named by DATABASE_URL must be PostgreSQL; when it holds nobody
a demo is built in it first (`muster demo --no-serve --people N`, default 100,000). A provincial
officer `bench-load-<command>` of the province the demo populated is created (or its password
reset) through `accounts.actions`; the sample of
persons, name prefixes and open work items the requests use is drawn from the database.
`muster serve` is started on a free port of 127.0.0.1 with the bench's environment (same
database, same keys), `--processes 2 --threads 8`.

Each step drives one rate for `--seconds` (default 60) open-loop: request i is due at
start + i/rate and its latency runs from when it was due (so a server that falls behind is
charged for the queue, not only for the service time), sent by WORKERS threads sharing one signed-in
session and one API token (each its own connection). The mix is 80 % reads, 20 % writes:
  reads  — the person search page (a name prefix), a person's page, the worklist page,
           API search, API person, API worklist;
  writes — recording an occupation on a person's page (`people.actions.person_fact_record`),
           resolving an open work item (`worklists.actions.work_item_resolve`).
An error is a status ≥ 400 or no answer within TIMEOUT seconds. Rates rise through RATES and
stop after the first step not held; the result is the highest rate held with 0 errors and
p99 < 200 ms. The client runs on the same 2 cores as the server: what it costs is in the
figures (see docs/PERFORMANCE.md).
"""

from __future__ import annotations

import os
import platform
import queue
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

RATES = (5, 10, 20, 40, 60, 80, 100, 125, 150, 200)
SECONDS = 60
WORKERS = 32
TIMEOUT = 10.0
P99_LIMIT_MS = 200.0
DEMO_PEOPLE = 100_000
USERNAME = "bench-load"
# (share in percent, kind): 80 reads, 20 writes.
MIX = (
    (15, "search_page"),
    (15, "person_page"),
    (10, "worklist_page"),
    (15, "api_search"),
    (15, "api_person"),
    (10, "api_worklist"),
    (12, "record_fact"),
    (8, "resolve_item"),
)
REFUSED = 499  # a write whose form came back with errors: counted as an error


@dataclass
class Sample:
    personal_ids: list[str]
    prefixes: list[str]
    items: list[int]
    kinds: list[str]
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_item(self) -> int | None:
        with self.lock:
            return self.items.pop() if self.items else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ensure_demo(people: int, log: Callable[[str], object]) -> None:
    from muster.people.models import Person

    if Person.objects.exists():
        return
    log(f"no one in the database: building a demo of {people:,} people (untimed)")
    subprocess.run(
        [sys.executable, "-m", "muster.cli", "demo", "--no-serve", "--people", str(people)],
        check=True,
        timeout=6 * 3600,
    )


def _load_user(password: str) -> str:
    """A provincial officer of the province the demo populated (its own provincial officer's
    jurisdiction), made once through `accounts.actions`, its password set anew: the username."""
    from muster.accounts.actions import user_create, user_set_password
    from muster.accounts.models import Role, User

    officer = (
        User.objects.filter(role=Role.PROVINCE_STAFF, jurisdiction__isnull=False)
        .exclude(username__startswith=USERNAME)
        .select_related("jurisdiction")
        .order_by("pk")
        .first()
    )
    if officer is None or officer.jurisdiction is None:
        raise SystemExit("no provincial officer in the database: is it a `muster demo`?")
    username = f"{USERNAME}-{officer.jurisdiction.code}".lower()
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        user_set_password(user=existing, password=password, acting_user=None)
        return username
    user_create(
        username=username,
        password=password,
        role=Role.PROVINCE_STAFF,
        jurisdiction=officer.jurisdiction,
        acting_user=None,
    )
    return username


def _sample(rng: random.Random, username: str) -> Sample:
    from muster.accounts.models import User
    from muster.accounts.scope import scope_for
    from muster.people.models import Person
    from muster.worklists.models import WorkItem

    user = User.objects.get(username=username)
    communes = scope_for(user).commune_ids  # None: national
    people = Person.objects.filter(died_on__isnull=True)  # facts are recorded on the living
    items_open = WorkItem.objects.filter(resolved_at__isnull=True)
    if communes is not None:
        people = people.filter(residence_commune_id__in=communes)
        items_open = items_open.filter(commune_id__in=communes)
    ids = list(people.order_by("?").values_list("personal_id", flat=True)[:5000])
    names = people.order_by("?").values_list("full_name", flat=True)[:500]
    prefixes = sorted({" ".join(n.split()[:2]) for n in names} | {n.split()[0] for n in names})
    items = list(items_open.values_list("id", flat=True)[:50_000])
    rng.shuffle(items)
    kinds = sorted(set(WorkItem.objects.values_list("kind", flat=True).distinct()))
    return Sample(ids, prefixes, items, kinds or ["due_first_registration"])


class Client:
    """A worker's HTTP session, signed in and holding an API token. The first signs in (one
    password check, one token: a user holds at most 5 live tokens); the others copy its
    session cookie and token."""

    bearer: dict[str, str]

    def __init__(self, base: str, username: str, password: str, like: Client | None = None):
        import requests

        self.base = base
        self.http = requests.Session()
        if like is not None:
            self.http.cookies.update(like.http.cookies)
            self.bearer = dict(like.bearer)
            return
        page = self.http.get(f"{base}/login/", timeout=TIMEOUT)
        csrf = self._csrf(page.text)
        answer = self.http.post(
            f"{base}/login/",
            data={"username": username, "password": password, "csrfmiddlewaretoken": csrf},
            headers={"Referer": f"{base}/login/"},
            timeout=TIMEOUT,
            allow_redirects=False,
        )
        if answer.status_code != 302:
            raise RuntimeError(f"the load user could not sign in: {answer.status_code}")
        token = self.http.post(
            f"{base}/api/v1/auth/token",
            json={"username": username, "password": password},
            timeout=TIMEOUT,
        )
        token.raise_for_status()
        self.bearer = {"Authorization": f"Bearer {token.json()['token']}"}

    @staticmethod
    def _csrf(html: str) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not found:
            raise RuntimeError("no CSRF token on the login page")
        return found.group(1)

    def _post(self, path: str, data: dict[str, str]) -> int:
        """A form post: done is the redirect after it; a form shown again (200) refused it."""
        headers = {"X-CSRFToken": self.http.cookies.get("csrftoken") or "", "Referer": self.base}
        answer = self.http.post(
            f"{self.base}{path}", data=data, headers=headers, timeout=TIMEOUT, allow_redirects=False
        )
        return REFUSED if answer.status_code == 200 else int(answer.status_code)

    def _get(self, path: str, **kwargs: Any) -> int:
        return int(self.http.get(f"{self.base}{path}", timeout=TIMEOUT, **kwargs).status_code)

    def send(self, kind: str, sample: Sample, rng: random.Random) -> int:
        pid = rng.choice(sample.personal_ids)
        prefix = rng.choice(sample.prefixes)
        wl = rng.choice(sample.kinds)
        if kind == "search_page":
            return self._get("/persons/", params={"q": prefix})
        if kind == "person_page":
            return self._get(f"/persons/{pid}/")
        if kind == "worklist_page":
            return self._get("/worklists/", params={"kind": wl})
        if kind == "api_search":
            return self._get("/api/v1/persons", params={"q": prefix}, headers=self.bearer)
        if kind == "api_person":
            return self._get(f"/api/v1/persons/{pid}", headers=self.bearer)
        if kind == "api_worklist":
            return self._get(f"/api/v1/worklists/{wl}", headers=self.bearer)
        if kind == "resolve_item" and (item := sample.next_item()) is not None:
            return self._post(f"/worklists/{item}/resolve/", {"note": "Đã xử lý (bench)"})
        return self._post(
            f"/persons/{pid}/facts/",
            {
                "kind": "occupation",
                "occupation": rng.choice(["Nông dân", "Công nhân", "Học sinh", "Kỹ sư"]),
                "recorded_on": time.strftime("%Y-%m-%d"),  # the date input's wire format
                "source": "Khai tại UBND xã (bench)",
            },
        )


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def step_run(
    clients: list[Client], sample: Sample, rate: int, seconds: int, seed: int
) -> dict[str, Any]:
    """One rate, open-loop: (due time, kind) jobs queued on time, latencies from due time."""
    rng = random.Random(seed)
    kinds = [kind for share, kind in MIX for _ in range(share)]
    jobs: queue.Queue[tuple[float, str] | None] = queue.Queue()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    done_lock = threading.Lock()

    def worker(client: Client, wrng: random.Random) -> None:
        while (job := jobs.get()) is not None:
            due, kind = job
            try:
                status = client.send(kind, sample, wrng)
            except Exception as exc:  # a timeout or a dropped connection is an error too
                status = 0
                name = type(exc).__name__
            else:
                name = str(status)
            elapsed = (time.perf_counter() - due) * 1000
            with done_lock:
                latencies.append(elapsed)
                if status == 0 or status >= 400:
                    errors[f"{kind} {name}"] = errors.get(f"{kind} {name}", 0) + 1

    threads = [
        threading.Thread(target=worker, args=(c, random.Random(seed + n)), daemon=True)
        for n, c in enumerate(clients)
    ]
    for thread in threads:
        thread.start()
    total = rate * seconds
    start = time.perf_counter()
    for i in range(total):
        due = start + i / rate
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        jobs.put((due, rng.choice(kinds)))
    for _ in threads:
        jobs.put(None)
    for thread in threads:
        thread.join(timeout=TIMEOUT * 3)
    wall = time.perf_counter() - start
    p99 = _percentile(latencies, 0.99)
    error_count = sum(errors.values())
    return {
        "rate": rate,
        "sent": len(latencies),
        "achieved_rps": round(len(latencies) / wall, 1),
        "errors": error_count,
        "error_kinds": errors,
        "p50_ms": round(_percentile(latencies, 0.50), 1),
        "p95_ms": round(_percentile(latencies, 0.95), 1),
        "p99_ms": round(p99, 1),
        "held": error_count == 0 and len(latencies) == total and p99 < P99_LIMIT_MS,
    }


def _serve(port: int, log: Callable[[str], object]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "muster.cli",
            "serve",
            "--port",
            str(port),
            "--processes",
            "2",
            "--threads",
            "8",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                log(f"muster serve answering on 127.0.0.1:{port}")
                return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("muster serve exited at start") from None
            time.sleep(0.5)
    server.kill()
    raise RuntimeError("muster serve did not answer within 120 s")


def run(log: Callable[[str], object], **options: Any) -> dict[str, Any]:
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("muster bench load runs on PostgreSQL: set DATABASE_URL=postgres://…")
    seconds = int(options.get("seconds") or SECONDS)
    _ensure_demo(int(options.get("people") or DEMO_PEOPLE), log)
    password = secrets.token_urlsafe(18)
    username = _load_user(password)
    rng = random.Random(5)
    sample = _sample(rng, username)
    log(
        f"sample: {len(sample.personal_ids):,} persons, {len(sample.prefixes)} name prefixes, "
        f"{len(sample.items):,} open work items"
    )
    connection.close()  # the server's processes get the connections
    # A SIGTERM still stops the server (the finally below), as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    port = _free_port()
    server = _serve(port, log)
    steps: list[dict[str, Any]] = []
    try:
        base = f"http://127.0.0.1:{port}"
        first = Client(base, username, password)
        clients = [first] + [
            Client(base, username, password, like=first) for _ in range(1, WORKERS)
        ]
        for n, rate in enumerate(RATES):
            load_before = os.getloadavg()[0]
            step = step_run(clients, sample, rate, seconds, seed=100 + n)
            step["load_average_1m"] = round((load_before + os.getloadavg()[0]) / 2, 2)
            steps.append(step)
            log(
                f"{rate}/s for {seconds} s: sent {step['sent']}, errors {step['errors']}, "
                f"p50 {step['p50_ms']} ms, p99 {step['p99_ms']} ms, "
                f"load {step['load_average_1m']} → {'held' if step['held'] else 'NOT held'}"
            )
            if not step["held"]:
                break
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    held = [s["rate"] for s in steps if s["held"]]
    return {
        "held_rps": max(held) if held else 0,
        "seconds_per_step": seconds,
        "steps": steps,
        "mix": {kind: share for share, kind in MIX},
        "machine": f"{platform.node()} {os.cpu_count()} cores, {platform.python_version()}",
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }
