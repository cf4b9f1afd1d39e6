"""One military region of N people on PostgreSQL, each figure beside its anchor (issue 20).

    psql -h 127.0.0.1 -U postgres -c 'create database muster_scale'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/muster_scale \\
        muster bench scale --people 10000000

The region is Quân khu 1 (2025: Bắc Ninh, Cao Bằng, Lạng Sơn, Thái Nguyên), its people spread
over its provinces in proportion to their communes (synthetic generator, one child process).
Stages, each recorded in the database when it finishes (`bench/_scale_parts.py`: a later run
reports the stored figures, a killed build resumes at the first stage not recorded, so the
database is built once and the readiness and exposure benchmarks reuse it):
  set-up   geo load, the 2025 and legacy commands, a provincial and a region user;
  files    two extracts of the whole region (fresh, and every 10th address changed), signed;
  copy     ingest anchor (c): raw COPY of the fresh file + the registry's person indexes;
  fresh    (a) `extract_ingest` of the fresh extract into the empty registry; a / c;
  records  military-service records of the whole region (`bench.callup.RECORDS_SQL`);
  search   `bench.search`'s load (8 API clients against `muster serve`) as the provincial user
           of Bắc Ninh, queries drawn from its people; anchor: the same SQL over 8 connections;
  callup   `candidate_rows` of Bắc Ninh's communes vs `bench.callup.anchor_sql` (best of 3);
  reingest (d) anchor: staging COPY + bare upsert (rolled back); (b) `extract_ingest` of the
           changed extract; b / d;
  restructure  Thái Nguyên's people put back into one legacy ward per 2025 commune (untimed,
           `province_back_to_legacy`), `vn-2025` computed, (y) a bare UPDATE of those people to
           the default successors (rolled back), (x) `plan_apply(accept_proposals=True)`; x / y;
  readiness  the readiness refresh, where main has one.
The last JSON line: each stage's figures, the ratios, database size and peak memory.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction

from bench import _scale_parts as parts

REGION = "QK1"
SEARCH_PROVINCE = "24"  # Bắc Ninh: the search user's and the call-up list's province
RESTRUCTURED = "19"  # Thái Nguyên: Thái Nguyên + Bắc Kạn before 1/7/2025
SEED = 20
PASSWORD = "bench-scale-Password-1"
ROOT = Path(__file__).resolve().parent.parent
Log = Callable[[str], object]


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = fn()
    return round(time.perf_counter() - started, 2), value


def _region_provinces() -> list[Any]:
    """The 2025 provinces whose provincial command belongs to the region."""
    from muster.demo.build import provincial_command
    from muster.geo.models import AdminUnit, Edition, Level

    provinces = AdminUnit.objects.filter(edition=Edition.V2025, level=Level.PROVINCE)
    return [
        p
        for p in provinces.order_by("code")
        if getattr(provincial_command(p).parent, "code", None) == REGION
    ]


def _setup() -> dict[str, Any]:
    from muster.accounts.actions import user_create
    from muster.accounts.models import Role, User
    from muster.demo.build import provincial_command
    from muster.geo.bulk import load_admin_units
    from muster.geo.models import AdminUnit, Edition, Level
    from muster.orgs.actions import orgs_build

    call_command("migrate", verbosity=0, interactive=False)
    geo_s, _ = _timed(load_admin_units)
    orgs_s, _ = _timed(lambda: orgs_build(include_legacy=True))
    with connection.cursor() as cursor:
        # Fresh tables have no planner statistics until autovacuum comes: without them the
        # successions query of `demo.build.commune_specs` ran 90 s a province instead of < 1 s.
        cursor.execute("ANALYZE geo_adminunit, geo_succession, orgs_orgunit, orgs_territory")
    province = AdminUnit.objects.get(
        edition=Edition.V2025, level=Level.PROVINCE, code=SEARCH_PROVINCE
    )
    command = provincial_command(province)
    for username, role, unit in (
        ("scale-tinh", Role.PROVINCE_STAFF, command),
        ("scale-quankhu", Role.REGION_STAFF, command.parent),
    ):
        if not User.objects.filter(username=username).exists():
            user_create(
                username=username,
                password=PASSWORD,
                role=role,
                jurisdiction=unit,
                acting_user=None,
            )
    return {"geo_load_s": geo_s, "orgs_build_s": orgs_s}


def _files_dir(people: int) -> Path:
    return ROOT / "var" / f"bench-scale-{people}"


def _files(people: int, log: Log) -> dict[str, Any]:
    from muster.demo.build import commune_specs

    provinces = _region_provinces()
    specs = {p.code: commune_specs(p) for p in provinces}
    shares = parts.province_shares({code: len(s) for code, s in specs.items()}, people)
    plan = {
        "seed": SEED,
        "provinces": [
            {
                "code": p.code,
                "people": shares[p.code],
                "specs": parts.specs_json(specs[p.code]),
            }
            for p in provinces
        ],
    }
    directory = _files_dir(people)
    directory.mkdir(parents=True, exist_ok=True)
    log(f"generating {people:,} people over {len(provinces)} provinces in a child process")
    seconds, _ = _timed(
        lambda: subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys; from bench._scale_parts import write_region_files; "
                "write_region_files(sys.argv[1], sys.stdin.read())",
                str(directory),
            ],
            input=json.dumps(plan).encode(),
            check=True,
            cwd=ROOT,
        )
    )
    rows = json.loads((directory / "rows.json").read_text())["rows"]
    return {
        "generate_s": seconds,
        "rows": rows,
        "file_gb": round((directory / "fresh.csv").stat().st_size / 1e9, 2),
        "provinces": {p.short_name: shares[p.code] for p in provinces},
        "communes": sum(len(s) for s in specs.values()),
    }


def _signed(people: int, rows: int) -> Path:
    from bench.ingest import _sign

    directory = _files_dir(people)
    _sign(directory, rows)
    return directory


def _fresh(people: int, rows: int) -> dict[str, Any]:
    from bench.ingest import _empty_registry, _settled
    from muster.exchange.ingest import extract_ingest

    directory = _signed(people, rows)
    _empty_registry()
    _settled()
    seconds, result = _timed(
        lambda: extract_ingest(directory / "fresh.csv", rejects=directory / "a.rejects.csv")
    )
    return {"a_seconds": seconds, "a_result": result.summary()}


def _records() -> dict[str, Any]:
    from bench.callup import RECORDS_SQL, REFERENCE

    params: dict[str, Any] = {"ref": REFERENCE, "year": REFERENCE.year}
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in RECORDS_SQL:
            cursor.execute(statement, params if "%(" in statement else None)
    seconds = round(time.perf_counter() - started, 1)
    counts = {}
    with connection.cursor() as cursor:
        for table in ("registration", "healthexam", "grounddecision", "servicerecord"):
            cursor.execute(f"VACUUM ANALYZE conscription_{table}")
            cursor.execute(f"SELECT count(*) FROM conscription_{table}")
            counts[table] = cursor.fetchone()[0]
        cursor.execute("VACUUM ANALYZE people_person")
    return {"records_s": seconds, "records": counts}


def _province_communes(code: str) -> list[int]:
    from muster.geo.models import AdminUnit, Edition, Level

    return list(
        AdminUnit.objects.filter(
            edition=Edition.V2025, level=Level.COMMUNE, parent__code=code
        ).values_list("id", flat=True)
    )


def _search_queries(count: int) -> list[tuple[str, str]]:
    """`bench.search`'s mix (name prefixes and exact IDs) drawn from the province's people."""
    import random

    from muster.people.models import Person

    communes = _province_communes(SEARCH_PROVINCE)
    rng = random.Random(SEED)
    ids = Person.objects.filter(residence_commune_id__in=communes)
    low = ids.order_by("id").values_list("id", flat=True)[0]
    high = ids.order_by("-id").values_list("id", flat=True)[0]
    out: list[tuple[str, str]] = []
    for _ in range(count // 2):
        key, personal_id = (
            ids.filter(id__gte=rng.randint(low, high))
            .order_by("id")
            .values_list("search_key", "personal_id")[0]
        )
        words = key.split()
        prefix = key if rng.random() < 0.5 else " ".join([*words[:-1], words[-1][:2]])
        out.extend([("name", prefix), ("id", personal_id)])
    rng.shuffle(out)
    return out


def _search(requests: int) -> dict[str, Any]:
    from bench import search
    from muster.accounts.actions import api_token_issue
    from muster.accounts.models import User
    from muster.core.serving import port_is_free

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE people_person")
    user = User.objects.get(username="scale-tinh")
    token = api_token_issue(user=user)
    work = _search_queries(requests * 2)
    port = next(p for p in range(8711, 8800) if port_is_free("127.0.0.1", p))
    server = search._start_server(port)
    try:
        search._api_load(port, token, work[: search.CLIENTS * 4], 1)  # warm-up
        api = search._api_load(port, token, work, 1)
    finally:
        server.terminate()
        server.wait(timeout=10)
    anchor = search._sql_anchor(user, work, 1)
    return {
        "user": f"{user.username} ({user.role})",
        "clients": search.CLIENTS,
        "api": api,
        "sql_anchor": anchor,
        "api_p95_ms": api["all"]["p95_ms"],
        "sql_p95_ms": anchor["all"]["p95_ms"],
        "p95_ratio_api_to_sql": round(api["all"]["p95_ms"] / max(anchor["all"]["p95_ms"], 0.01), 2),
    }


def _callup() -> dict[str, Any]:
    from collections import Counter

    from bench.callup import REFERENCE, _anchor_params, _best_of_interleaved, anchor_sql
    from muster.conscription.queries.candidates import PG_SETTINGS, candidate_rows
    from muster.conscription.rules.callup import ruleset_on

    communes = _province_communes(SEARCH_PROVINCE)
    rules = ruleset_on(REFERENCE)

    def full() -> list[Any]:
        return list(candidate_rows(communes=communes, reference=REFERENCE, rules=rules))

    def anchor() -> list[Any]:
        with transaction.atomic(), connection.cursor() as cursor:
            for setting in PG_SETTINGS:
                cursor.execute(setting)
            cursor.execute(anchor_sql(), _anchor_params(communes))
            return list(cursor.fetchall())

    x, rows, y, statuses = _best_of_interleaved(full, anchor, runs=3)
    counts = Counter(row.status for row in rows)
    return {
        "communes": len(communes),
        "rows": len(rows),
        "x_candidate_list_s": round(x, 3),
        "y_anchor_status_sql_s": round(y, 3),
        "x_over_y": round(x / y, 2),
        "anchor_agrees": counts == Counter(status for _, status in statuses),
    }


def _reingest(people: int, rows: int) -> dict[str, Any]:
    from bench.ingest import _anchor_upsert, _prepared, _settled, _vacuum
    from muster.exchange.ingest import extract_ingest

    directory = _signed(people, rows)
    changed = directory / "changed.csv"
    prepared = _prepared(changed)
    _vacuum()
    _settled()
    d_copy, d_upsert = _anchor_upsert(prepared)
    del prepared
    _vacuum()
    _settled()
    b, result = _timed(lambda: extract_ingest(changed, rejects=directory / "b.rejects.csv"))
    d = d_copy + d_upsert
    return {
        "b_seconds": b,
        "b_result": result.summary(),
        "d_seconds": round(d, 2),
        "d_upsert_seconds": round(d_upsert, 2),
        "ratio_b_over_d": round(b / d, 2),
    }


def _restructure(log: Log) -> dict[str, Any]:
    from muster.geo.models import AdminUnit, Edition, Level
    from muster.restructure.apply import plan_apply
    from muster.restructure.compute import plan_compute
    from muster.restructure.plans import plan_get

    province = AdminUnit.objects.get(edition=Edition.V2025, level=Level.PROVINCE, code=RESTRUCTURED)
    back_s, moved = _timed(lambda: parts.province_back_to_legacy(province.pk))
    log(f"{moved:,} people of {province.short_name} back in legacy wards ({back_s} s)")
    compute_s, _ = _timed(lambda: plan_compute(plan_get("vn-2025")))
    plan = plan_get("vn-2025")
    load_y = round(os.getloadavg()[0], 2)
    y, y_rows = parts.movers_anchor(province.pk)
    load_x = round(os.getloadavg()[0], 2)
    x, result = _timed(lambda: plan_apply(plan, accept_proposals=True))
    return {
        "province": province.short_name,
        "people_moved_back": moved,
        "plan_compute_s": compute_s,
        "y_update_s": y,
        "y_rows": y_rows,
        "x_apply_s": x,
        "x_persons": result.persons,
        "x_path": "rewrite" if result.rewrite else "batched",
        "x_steps": result.steps,
        "x_over_y": round(x / max(y, 0.01), 2),
        "load_average_at_y_x": [load_y, load_x],
    }


def _readiness_refresh() -> Callable[..., Any] | None:
    """The readiness refresh where main has one (`muster.readiness.bulk.refresh`)."""
    import importlib

    try:
        module = importlib.import_module("muster.readiness.bulk")
    except ImportError:
        return None
    found = getattr(module, "refresh", None)
    return found if callable(found) else None


def _readiness(refresh: Callable[..., Any]) -> dict[str, Any]:
    """Every commune's figures of today and their roll-up, as the nightly refresh does, beside
    `bench readiness`'s anchor (one hand-written query per indicator, summed; warm-up first)."""
    from django.utils import timezone

    from bench.readiness import _anchor

    day = timezone.localdate()
    _anchor(day)
    anchor = _anchor(day)
    h = round(sum(anchor.values()), 3)
    seconds, value = _timed(lambda: refresh(day))
    return {
        "refresh_r_s": seconds,
        "result": str(value)[:300],
        "anchor_h_s": h,
        "r_over_h": round(seconds / max(h, 0.001), 2),
    }


def run(
    log: Log = print, people: int = 10_000_000, requests: int = 300, until: str | None = None
) -> dict[str, Any]:
    """Every stage, or up to the readiness refresh with `until="readiness"` (the restructure
    stage moves a province's people through legacy wards and back: leave it out on a database
    other benchmarks are about to use)."""
    if until not in (None, "readiness", "restructure"):
        raise SystemExit("--until is readiness or restructure")
    if connection.vendor != "postgresql":
        raise SystemExit("bench scale runs on PostgreSQL: set DATABASE_URL=postgres://...")
    call_command("migrate", verbosity=0, interactive=False)
    parts.stage_table()
    built = parts.stage_done("files")
    if built is not None and built["rows"] != people:
        raise SystemExit(
            f"this database was built for {built['rows']:,} people, not {people:,}: use another"
        )
    stage = parts.run_stage
    figures: dict[str, Any] = {
        "benchmark": "scale",
        "date": date.today().isoformat(),
        "people": people,
        "machine": f"{platform.machine()} {os.cpu_count()} CPU, {platform.platform()}",
        "load_average_start": [round(v, 2) for v in os.getloadavg()],
    }
    figures["setup"] = stage("setup", _setup, log)
    files = stage("files", lambda: _files(people, log), log)
    figures["files"] = files
    rows = files["rows"]
    if parts.stage_done("fresh") is None or parts.stage_done("copy") is None:
        _signed(people, rows)
    from bench.ingest import _anchor_copy_and_index, _settled

    def copy() -> dict[str, Any]:
        _settled()
        return {"c_seconds": round(_anchor_copy_and_index(_files_dir(people) / "fresh.csv"), 2)}

    figures["copy"] = stage("copy", copy, log)
    figures["fresh"] = stage("fresh", lambda: _fresh(people, rows), log)
    figures["records"] = stage("records", _records, log)
    figures["search"] = stage("search", lambda: _search(requests), log)
    figures["callup"] = stage("callup", _callup, log)
    figures["reingest"] = stage("reingest", lambda: _reingest(people, rows), log)
    refresh = _readiness_refresh()
    figures["readiness"] = (
        stage("readiness", lambda: _readiness(refresh), log)
        if refresh is not None
        else "not measured: main has no readiness refresh"
    )
    if until != "readiness":
        figures["restructure"] = stage("restructure", lambda: _restructure(log), log)
    else:
        figures["restructure"] = parts.stage_done("restructure") or "not run (--until readiness)"
    a, c = figures["fresh"]["a_seconds"], figures["copy"]["c_seconds"]
    figures["ratios"] = {
        "ingest_a_over_c": round(a / c, 2),
        "reingest_b_over_d": figures["reingest"]["ratio_b_over_d"],
        "search_api_p95_over_sql_p95": figures["search"]["p95_ratio_api_to_sql"],
        "callup_x_over_y": figures["callup"]["x_over_y"],
        "readiness_r_over_h": (
            figures["readiness"]["r_over_h"] if isinstance(figures["readiness"], dict) else None
        ),
        "restructure_x_over_y": (
            figures["restructure"]["x_over_y"] if isinstance(figures["restructure"], dict) else None
        ),
    }
    figures["size"] = parts.database_size()
    figures["peak_rss_mb"] = parts.peak_rss_mb()
    figures["load_average_end"] = [round(v, 2) for v in os.getloadavg()]
    return figures
