"""Readiness dashboards over a military region (issue 18), on PostgreSQL, in the database the
scale benchmark builds (one region, shared with the scale and exposure benchmarks):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/muster_scale muster bench readiness
    (MUSTER_BENCH_SCALE_URL names it for the docs; `muster bench scale --people N` builds it)

The region is the one `bench scale` built (Quân khu 1); its size is the people in the database,
reported. Timed, with the machine's load beside each figure:

  (r) the full refresh: every commune's figures and every unit's roll-up for today
      (`readiness.bulk.refresh`), beside
  (h) the anchor: one hand-written SQL query per indicator over the same communes (people, men
      of call-up age, the vulnerable by age, households, people flagged as needing help to
      move — the counts civil defence's exposure reads from the snapshots —, registrations, quotas, orders, militia members, targets, training
      days, reservists, assignments, positions and holders, assessments, and the commune →
      command map), summed; r / h is the overhead of the refresh (target ≤ 2×);
  (t) the refresh after a day's changes: 1 % of the people touched (their birth dates moved a
      day, an UPDATE inside a transaction that is rolled back at the end), then one refresh of
      every commune they live in, as the worker's job does after a burst (target < 60 s);
  (p) the region page and its API object under 8 clients against `muster serve` (p95, target
      < 300 ms), signed in as a region user.
The last line: one JSON object with every figure.
"""

from __future__ import annotations

import os
import platform
import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

REGION = "QK1"
USERNAME = "bench-readiness-region"
PASSWORD = "Quan-khu-Mot-2026-tong-hop!"
CLIENTS = 8
TOUCHED_EVERY = 100  # 1 % of the people
Log = Callable[[str], object]


def _load() -> list[float]:
    return [round(v, 2) for v in os.getloadavg()]


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return round(time.perf_counter() - started, 3), value


def _anchor_sql(day: date) -> dict[str, tuple[str, list[Any]]]:
    """One hand-written query per indicator, as a DBA would write it for the same figures."""
    from muster.people.rules import MOBILITY_FACT, MOBILITY_YES, vulnerable_birth_bounds
    from muster.readiness import rules

    first, last = rules.military_age_birth_window(day)
    child_after, older_by = vulnerable_birth_bounds(day)
    year_start = date(day.year, 1, 1)
    valid = "(valid_from IS NULL OR valid_from <= %s) AND (valid_to IS NULL OR valid_to >= %s)"
    alive = "birth_date <= %s AND (life_status = 'alive' OR died_on > %s)"
    return {
        # People, men of call-up age, the vulnerable by age and the people without a household
        # number (a household each): the refresh keeps all four in its commune snapshots.
        "people_and_men": (
            "SELECT residence_commune_id, count(*), count(*) FILTER (WHERE sex = 'M' AND"
            " birth_date BETWEEN %s AND %s), count(*) FILTER (WHERE birth_date > %s OR"
            f" birth_date <= %s), count(*) FILTER (WHERE household_id = '') FROM people_person"
            f" WHERE {alive} GROUP BY 1",
            [first, last, child_after, older_by, day, day],
        ),
        "households": (
            "SELECT c, count(*) FROM (SELECT DISTINCT residence_commune_id AS c, household_id"
            f" FROM people_person WHERE household_id <> '' AND {alive}) d GROUP BY 1",
            [day, day],
        ),
        "mobility_flagged": (
            "SELECT commune, count(*) FROM (SELECT DISTINCT ON (f.person_id)"
            " p.residence_commune_id AS commune, f.value FROM people_personfact f JOIN"
            " people_person p ON p.id = f.person_id WHERE f.kind = %s AND f.recorded_on <= %s"
            " AND p.birth_date > %s AND p.birth_date <= %s AND (p.life_status = 'alive' OR"
            " p.died_on > %s) ORDER BY f.person_id, f.recorded_on DESC, f.id DESC) l"
            " WHERE value = %s GROUP BY 1",
            [MOBILITY_FACT, day, older_by, child_after, day, MOBILITY_YES],
        ),
        "registered": (
            "SELECT commune_id, count(DISTINCT person_id) FROM conscription_registration"
            " WHERE registered_on <= %s AND (removed_on IS NULL OR removed_on > %s) GROUP BY 1",
            [day, day],
        ),
        "quota": (
            "SELECT q.commune_id, sum(q.quota) FROM conscription_communequota q JOIN"
            " conscription_callupcycle c ON c.id = q.cycle_id WHERE c.year = (SELECT max(year)"
            " FROM conscription_callupcycle WHERE year <= %s) GROUP BY 1",
            [day.year],
        ),
        "orders": (
            "SELECT b.commune_id, count(*) FILTER (WHERE o.issued_on <= %s), count(*) FILTER"
            " (WHERE o.outcome = 'reported' AND o.outcome_on <= %s) FROM conscription_calluporder o"
            " JOIN conscription_orderbatch b ON b.id = o.batch_id JOIN conscription_callupcycle c"
            " ON c.id = o.cycle_id WHERE c.year = (SELECT max(year) FROM conscription_callupcycle"
            " WHERE year <= %s) AND (o.revoked_at IS NULL OR o.revoked_at::date > %s) GROUP BY 1",
            [day, day, day.year, day],
        ),
        "militia_members": (
            f"SELECT unit_id, count(*) FROM militia_militiamembership WHERE {valid} GROUP BY 1",
            [day, day],
        ),
        "militia_target": (
            f"SELECT unit_id, size FROM militia_militiatarget WHERE {valid}",
            [day, day],
        ),
        "training_days": (
            "SELECT s.unit_id, sum(a.days) FROM training_attendance a JOIN"
            " training_trainingsession s ON s.id = a.session_id WHERE s.starts_on BETWEEN %s"
            " AND %s GROUP BY 1",
            [year_start, day],
        ),
        "reservists": (
            "SELECT p.residence_commune_id, count(DISTINCT m.person_id) FROM"
            " reserve_reservemembership m JOIN people_person p ON p.id = m.person_id WHERE"
            " (m.valid_from IS NULL OR m.valid_from <= %s) AND (m.valid_to IS NULL OR"
            " m.valid_to >= %s) GROUP BY 1",
            [day, day],
        ),
        "assignments": (
            "SELECT p.residence_commune_id, count(*), count(*) FILTER (WHERE a.match = 'exact')"
            " FROM reserve_reserveassignment a JOIN people_person p ON p.id = a.person_id WHERE"
            " (a.valid_from IS NULL OR a.valid_from <= %s) AND (a.valid_to IS NULL OR"
            " a.valid_to >= %s) GROUP BY 1",
            [day, day],
        ),
        "positions": (
            "SELECT p.org_unit_id, count(*), count(a.id) FROM orgs_position p LEFT JOIN"
            " orgs_appointment a ON a.position_id = p.id AND (a.valid_from IS NULL OR"
            " a.valid_from <= %s) AND (a.valid_to IS NULL OR a.valid_to >= %s) GROUP BY 1",
            [day, day],
        ),
        "assessments": (
            "SELECT a.org_unit_id, a.person_id IS NULL, a.grade, count(*) FROM cadres_assessment a"
            " JOIN cadres_criteriaset s ON s.id = a.criteria_set_id WHERE s.year <= %s AND"
            " a.assessed_on <= %s GROUP BY 1, 2, 3",
            [day.year, day],
        ),
        "commune_commands": (
            "SELECT t.admin_unit_id, t.org_unit_id FROM orgs_territory t JOIN orgs_orgunit o ON"
            " o.id = t.org_unit_id JOIN geo_adminunit g ON g.id = t.admin_unit_id WHERE o.kind ="
            " 'commune_command' AND g.level = 'commune' AND (t.valid_from IS NULL OR"
            " t.valid_from <= %s) AND (t.valid_to IS NULL OR t.valid_to >= %s)",
            [day, day],
        ),
    }


def _anchor(day: date) -> dict[str, float]:
    timings: dict[str, float] = {}
    with connection.cursor() as cursor:
        for name, (sql, params) in _anchor_sql(day).items():
            started = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            timings[name] = round(time.perf_counter() - started, 3)
    return timings


def _touched_refresh(day: date) -> dict[str, Any]:
    """1 % of the people touched, then one refresh of their communes; all rolled back."""
    from muster.readiness import bulk

    class Rollback(Exception):
        pass

    figures: dict[str, Any] = {}
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                seconds, _ = _timed(
                    lambda: cursor.execute(
                        "UPDATE people_person SET birth_date = birth_date - 1 WHERE id %% %s = 0",
                        [TOUCHED_EVERY],
                    )
                )
                figures["touched_people"] = cursor.rowcount
                figures["update_s"] = seconds
                cursor.execute(
                    "SELECT DISTINCT residence_commune_id FROM people_person WHERE id %% %s = 0"
                    " AND residence_commune_id IS NOT NULL",
                    [TOUCHED_EVERY],
                )
                communes = {row[0] for row in cursor.fetchall()}
            figures["touched_communes"] = len(communes)
            figures["load_average_before"] = _load()
            seconds, done = _timed(lambda: bulk.refresh(day, commune_ids=communes))
            figures["refresh_s"] = seconds
            figures["written"] = done.as_dict()
            raise Rollback
    except Rollback:
        pass
    return figures


def _region_user() -> Any:
    from muster.accounts.actions import user_create, user_set_password
    from muster.accounts.models import Role, User
    from muster.orgs.models import OrgUnit

    region = OrgUnit.objects.get(code=REGION)
    user = User.objects.filter(username=USERNAME).first()
    if user is not None:
        user_set_password(user=user, password=PASSWORD, acting_user=None)
        return user
    return user_create(
        username=USERNAME,
        password=PASSWORD,
        role=Role.REGION_STAFF,
        jurisdiction=region,
        acting_user=None,
    )


def _percentiles(samples: list[float]) -> dict[str, float]:
    import statistics

    q = statistics.quantiles(sorted(samples), n=100)
    return {
        "n": len(samples),
        "p50_ms": round(q[49] * 1000, 1),
        "p95_ms": round(q[94] * 1000, 1),
        "max_ms": round(max(samples) * 1000, 1),
    }


def _hammer(clients: list[Any], url: str, requests_each: int, *, api: bool) -> dict[str, Any]:
    """Every client GETs `url` `requests_each` times at once; latencies and errors."""
    samples: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()

    def work(client: Any) -> None:
        headers = client.bearer if api else {}
        for _ in range(requests_each):
            started = time.perf_counter()
            answer = client.http.get(url, headers=headers, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                samples.append(elapsed)
                if answer.status_code != 200:
                    errors.append(answer.status_code)

    load_before = _load()
    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {
        **_percentiles(samples),
        "errors": len(errors),
        "requests_per_second": round(len(samples) / wall, 1),
        "load_average_before": load_before,
    }


def _pages(requests_each: int, log: Log) -> dict[str, Any]:
    from bench.load import Client, _free_port, _serve

    _region_user()
    port = _free_port()
    server = _serve(port, log)
    base = f"http://127.0.0.1:{port}"
    try:
        first = Client(base, USERNAME, PASSWORD)
        clients = [first] + [
            Client(base, USERNAME, PASSWORD, like=first) for _ in range(CLIENTS - 1)
        ]
        paths = {"page": f"/readiness/{REGION}/", "api": f"/api/v1/readiness/{REGION}"}
        for client in clients:  # warm-up: one of each per client
            client.http.get(base + paths["page"], timeout=60)
        return {
            kind: _hammer(clients, base + path, requests_each, api=kind == "api")
            for kind, path in paths.items()
        }
    finally:
        server.terminate()
        server.wait(timeout=20)


def run(log: Log = print, requests: int = 25, **_options: Any) -> dict[str, Any]:
    from muster.people.models import Person
    from muster.readiness import bulk
    from muster.readiness.models import CommuneSnapshot

    if connection.vendor != "postgresql":
        raise SystemExit("bench readiness runs on PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0, interactive=False)
    people = Person.objects.count()
    if people == 0:
        raise SystemExit(
            "no people in this database: build the region with `muster bench scale --people N`"
        )
    day = timezone.localdate()
    figures: dict[str, Any] = {
        "benchmark": "readiness",
        "date": day.isoformat(),
        "database": connection.settings_dict["NAME"],
        "people": people,
        "machine": f"{platform.machine()} {os.cpu_count()} CPU, {platform.platform()}",
        "load_average_start": _load(),
    }
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE people_person")
    log("anchor: one query per indicator (warm-up, then timed)")
    _anchor(day)
    anchor = _anchor(day)
    figures["anchor_h"] = {"per_indicator_s": anchor, "total_s": round(sum(anchor.values()), 3)}
    figures["anchor_h"]["load_average"] = _load()
    log("full refresh")
    seconds, done = _timed(lambda: bulk.refresh(day))
    figures["refresh_r"] = {"seconds": seconds, **done.as_dict(), "load_average": _load()}
    figures["r_over_h"] = round(seconds / max(figures["anchor_h"]["total_s"], 0.001), 2)
    figures["communes_with_people"] = CommuneSnapshot.objects.filter(
        as_of=day, people__gt=0
    ).count()
    log("1 % touched, then the refresh of their communes (rolled back)")
    figures["touched_t"] = _touched_refresh(day)
    log(f"region page and API under {CLIENTS} clients")
    figures["pages_p"] = _pages(requests, log)
    figures["targets"] = {
        "page_p95_under_300ms": figures["pages_p"]["page"]["p95_ms"] < 300,
        "touched_refresh_under_60s": figures["touched_t"]["refresh_s"] < 60,
        "r_over_h_at_most_2": figures["r_over_h"] <= 2,
    }
    figures["load_average_end"] = _load()
    return figures
