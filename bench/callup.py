"""The call-up candidate list of a whole province against one hand-written status query (issue #4).

    psql -h 127.0.0.1 -U postgres -c 'create database muster_callupbench'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/muster_callupbench muster bench callup

PostgreSQL only. A 2025 province of `people` residents spread over 126 communes (the synthetic
generator, loaded by `people.bulk.persons_load_frame`), then synthetic military-service records
written set-based (INSERT … SELECT): registrations for most men from 17, health examinations
with a realistic class mix, deferrals for about 10 % of the candidates, some exemptions,
completions and service records. Then, best of 5 after a warm-up (x and y alternating):
  (x) `candidates.candidate_rows` for every commune of the province, with reasons, fetched into
      Python rows (unordered, as the province-wide callers take it; `x_ordered_s` is the same
      list sorted by commune and name in SQL);
  (y) anchor: one hand-written SQL query computing only the status per man from the same facts,
      fetched.
Targets: x < 1 s, x / y ≤ 2. The two status counts must agree.
"""

from __future__ import annotations

import os
import platform
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction

PROVINCE_CODE = "C4"
COMMUNES = 126
SEED = 11
REFERENCE = date(2027, 2, 25)  # the call-up date of the 2027 cycle

# The synthetic records are made with hashes of the person id: deterministic, no Python loop.
_H = "mod(abs(hashtext(p.id::text || '{salt}')), 1000)"

RECORDS_SQL = (
    "TRUNCATE conscription_registration, conscription_healthexam, conscription_grounddecision,"
    " conscription_servicerecord RESTART IDENTITY CASCADE",
    # Registrations: 96 % of men from their 17th year, April; education mix; 2 % removed.
    f"""
    INSERT INTO conscription_registration (person_id, kind, registered_on, commune_id,
        education_level, occupation, removed_on, removal_reason, source, created_at)
    SELECT p.id, 'first', d.registered_on, p.residence_commune_id,
      CASE WHEN e < 10 THEN 'grade_6' WHEN e < 30 THEN 'grade_7' WHEN e < 130 THEN 'grade_9'
           WHEN e < 650 THEN 'grade_12' WHEN e < 750 THEN 'vocational'
           WHEN e < 830 THEN 'college' ELSE 'university' END,
      '', CASE WHEN x < 20 THEN d.registered_on + 400 END, '', 'demo', now()
    FROM people_person p
    CROSS JOIN LATERAL (SELECT make_date(extract(year FROM p.birth_date)::int + 17, 4,
                                         1 + mod(abs(hashtext(p.id::text)), 28)) AS registered_on,
                               {_H.format(salt="edu")} AS e, {_H.format(salt="reg")} AS r,
                               {_H.format(salt="rm")} AS x) d
    WHERE p.sex = 'M' AND p.life_status = 'alive' AND d.registered_on <= %(ref)s
      AND p.birth_date > %(ref)s::date - 46 * 365 AND r >= 40
    """,
    # Examinations: 75 % of men 18–27 examined last November–December; a third of those also
    # the year before. Class mix 15/40/30/10/3/2 %; class 3 sub-codes; 0.5 % drug use.
    f"""
    INSERT INTO conscription_healthexam (person_id, examined_on, board, health_class,
        outcome_codes, rules_version, sealed_details, source, created_at)
    SELECT p.id, make_date(y.year, 11, 1) + mod(abs(hashtext(p.id::text || 'd')), 60), '', c.hc,
      concat_ws(';', 'HC' || c.hc,
        CASE WHEN c.hc >= 4 THEN 'DEF_HEALTH' END,
        CASE WHEN c.hc = 3 AND c.sub < 60 THEN 'HC3_MYOPIA' END,
        CASE WHEN c.hc = 3 AND c.sub BETWEEN 60 AND 79 THEN 'HC3_BMI' END,
        CASE WHEN c.sub >= 995 THEN 'EXC_DRUG' END),
      '2025-07', '', 'demo', now()
    FROM people_person p
    CROSS JOIN LATERAL (VALUES (%(year)s - 1), (%(year)s - 2)) y(year)
    CROSS JOIN LATERAL (SELECT
        CASE WHEN k < 150 THEN 1 WHEN k < 550 THEN 2 WHEN k < 850 THEN 3 WHEN k < 950 THEN 4
             WHEN k < 980 THEN 5 ELSE 6 END AS hc, s AS sub
        FROM (SELECT {_H.format(salt="k")} AS k,
                     mod(abs(hashtext(p.id::text || y.year::text)), 1000) AS s) h) c
    WHERE p.sex = 'M' AND p.birth_date > %(ref)s::date - 28 * 365
      AND p.birth_date <= %(ref)s::date - 18 * 365
      AND {_H.format(salt="ex")} < 750
      AND (y.year = %(year)s - 1 OR {_H.format(salt="ex2")} < 330)
    """,
    # Decisions: ~10 % deferrals of the candidates (some lapsed), 1 % exemptions, 0.5 %
    # completions, 0.3 % registration bars, hardship postings old enough to exempt.
    f"""
    INSERT INTO conscription_grounddecision (person_id, kind, ground_code, decided_on,
        valid_until, decided_by, note, source, created_at)
    SELECT p.id, g.kind, g.code, %(ref)s::date - g.age_days, g.until, '', '', 'demo', now()
    FROM people_person p
    CROSS JOIN LATERAL (SELECT {_H.format(salt="g")} AS v) h
    CROSS JOIN LATERAL (SELECT * FROM (VALUES
        (0, 55, 'deferral', 'DEF_STUDENT', 300, %(ref)s::date + 200),
        (55, 70, 'deferral', 'DEF_STUDENT', 900, %(ref)s::date - 30),
        (70, 85, 'deferral', 'DEF_SOLE_CARER', 200, %(ref)s::date + 165),
        (85, 92, 'deferral', 'DEF_SIBLING_SERVING', 100, NULL),
        (92, 96, 'deferral', 'DEF_HARDSHIP_POSTING', 800, NULL),
        (96, 99, 'deferral', 'NR_SENTENCE', 150, NULL),
        (99, 104, 'exemption', 'EX_MARTYR_SIBLING', 400, NULL),
        (104, 109, 'exemption', 'REGEX_DISABILITY', 1500, NULL),
        (109, 114, 'completion', 'DONE_STANDING_MILITIA_24M', 60, NULL)
      ) t(lo, hi, kind, code, age_days, until) WHERE h.v >= t.lo AND h.v < t.hi) g
    WHERE p.sex = 'M' AND p.birth_date > %(ref)s::date - 28 * 365
      AND p.birth_date <= %(ref)s::date - 17 * 365
    """,
    # Service: 12 % of men 21–27 served 24 months from 19; 4 % of men 19–21 serving.
    f"""
    INSERT INTO conscription_servicerecord (person_id, unit_name, enlisted_on, discharged_on,
        discharge_reason, source)
    SELECT p.id, 'Sư đoàn 3', e.enlisted_on,
      CASE WHEN e.enlisted_on + 730 <= %(ref)s THEN e.enlisted_on + 730 END,
      CASE WHEN e.enlisted_on + 730 <= %(ref)s THEN 'term_ended' ELSE '' END, 'demo'
    FROM people_person p
    CROSS JOIN LATERAL (SELECT make_date(extract(year FROM p.birth_date)::int + 19, 2, 25)
                        AS enlisted_on, {_H.format(salt="s")} AS v) e
    WHERE p.sex = 'M' AND p.birth_date > %(ref)s::date - 28 * 365
      AND p.birth_date <= %(ref)s::date - 19 * 365 AND e.enlisted_on <= %(ref)s
      AND e.v < CASE WHEN p.birth_date <= %(ref)s::date - 21 * 365 THEN 120 ELSE 40 END
    """,
)


def _communes(log: Callable[[str], Any]) -> list[int]:
    from muster.geo.models import AdminUnit, Edition, Level

    province, _ = AdminUnit.objects.get_or_create(
        edition=Edition.V2025,
        code=PROVINCE_CODE,
        defaults={
            "level": Level.PROVINCE,
            "name": "Tỉnh Gọi Thử",
            "short_name": "Gọi Thử",
            "unit_type": "Tỉnh",
            "search_key": "tinh goi thu",
            "valid_from": date(2025, 7, 1),
        },
    )
    for i in range(1, COMMUNES + 1):
        AdminUnit.objects.get_or_create(
            edition=Edition.V2025,
            code=f"{PROVINCE_CODE}{i:03d}",
            defaults={
                "level": Level.COMMUNE,
                "name": f"Xã Gọi Thử {i}",
                "short_name": f"Gọi Thử {i}",
                "unit_type": "Xã",
                "parent": province,
                "search_key": f"xa goi thu {i}",
                "valid_from": date(2025, 7, 1),
            },
        )
    ids = list(
        AdminUnit.objects.filter(parent=province, level=Level.COMMUNE).values_list("id", flat=True)
    )
    log(f"province {PROVINCE_CODE}: {len(ids)} communes")
    return ids


def _population(people: int, log: Callable[[str], Any]) -> None:
    from muster.demo.population import CommuneSpec, generate_population
    from muster.geo.models import AdminUnit
    from muster.people.bulk import persons_load_frame
    from muster.people.models import Person

    have = Person.objects.count()
    if have >= people:
        log(f"reusing {have:,} people already loaded")
        return
    if have:
        raise SystemExit(
            f"the database holds {have:,} people, fewer than {people:,}: use a new one"
        )
    codes = list(
        AdminUnit.objects.filter(parent__code=PROVINCE_CODE)
        .order_by("code")
        .values_list("code", "name")
    )
    specs = [CommuneSpec(code, name, "Xã", 40.0, "Tỉnh Gọi Thử", "01") for code, name in codes]
    started = time.monotonic()
    frame = generate_population(
        specs, people=people, seed=SEED, province_code="01", reference_date=date(2026, 1, 1)
    )
    log(f"generated {frame.height:,} people in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    persons_load_frame(frame, source="bench")
    log(f"loaded them in {time.monotonic() - started:.0f} s")


def _records(log: Callable[[str], Any]) -> dict[str, int]:
    started = time.monotonic()
    # Re-runs reuse the records (the same SQL would write the same rows).
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM conscription_registration")
        have = cursor.fetchone()[0]
    if have:
        log("reusing the military-service records already written")
        return _counts(log)
    params: dict[str, Any] = {"ref": REFERENCE, "year": REFERENCE.year}
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in RECORDS_SQL:
            cursor.execute(statement, params if "%(" in statement else None)
    log(f"records written in {time.monotonic() - started:.0f} s")
    return _counts(log)


def _counts(log: Callable[[str], Any]) -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in ("registration", "healthexam", "grounddecision", "servicerecord"):
            cursor.execute(f"VACUUM ANALYZE conscription_{table}")
            cursor.execute(f"SELECT count(*) FROM conscription_{table}")
            counts[table] = cursor.fetchone()[0]
        cursor.execute("VACUUM ANALYZE people_person")
    log(f"records {counts}")
    return counts


def anchor_sql() -> str:
    """The status of each man only, by hand: the same facts as `candidates.facts_query`, with
    DISTINCT ON for the newest rows and flags instead of reason codes."""
    return """
WITH men AS (
  SELECT p.id, p.birth_date FROM people_person p
  WHERE p.residence_commune_id = ANY(%(communes)s) AND p.sex = 'M' AND p.life_status = 'alive'
    AND p.birth_date > %(b28)s AND p.birth_date <= %(b17)s
),
reg AS (
  SELECT DISTINCT ON (r.person_id) r.person_id, r.education_level
  FROM conscription_registration r JOIN men m ON m.id = r.person_id
  WHERE r.registered_on > %(b28)s AND r.registered_on <= %(ref)s AND (r.removed_on IS NULL OR r.removed_on > %(ref)s)
  ORDER BY r.person_id, r.registered_on DESC
),
exam AS (
  SELECT DISTINCT ON (h.person_id) h.person_id, h.outcome_codes
  FROM conscription_healthexam h JOIN men m ON m.id = h.person_id
  WHERE h.examined_on > %(b28)s AND h.examined_on <= %(ref)s
  ORDER BY h.person_id, h.examined_on DESC
),
dec AS (
  SELECT g.person_id,
    bool_or(g.held AND g.kind = 'completion') AS completion,
    bool_or(g.held AND (g.kind = 'exemption' OR g.long_hardship)) AS exemption,
    bool_or(g.held AND g.ground_code LIKE 'NR\\_%%') AS barred,
    bool_or(g.held AND g.kind = 'deferral' AND NOT g.long_hardship) AS deferral,
    bool_or(g.ground_code = 'DEF_STUDENT') AS student
  FROM (SELECT g.*, (g.valid_until IS NULL OR g.valid_until >= %(ref)s) AS held,
               (g.ground_code = 'DEF_HARDSHIP_POSTING' AND g.decided_on <= %(b2)s) AS long_hardship
        FROM conscription_grounddecision g JOIN men m ON m.id = g.person_id
        WHERE g.decided_on > %(b28)s AND g.decided_on <= %(ref)s) g
  GROUP BY g.person_id
),
svc AS (
  SELECT DISTINCT s.person_id FROM conscription_servicerecord s JOIN men m ON m.id = s.person_id
  WHERE s.enlisted_on > %(b28)s AND s.enlisted_on <= %(ref)s
)
SELECT m.id, CASE
  WHEN m.birth_date > %(b18)s OR (m.birth_date <= %(b26)s AND NOT coalesce(dec.student
       AND reg.education_level IN ('college', 'university', 'postgraduate'), false))
       THEN 'out_of_age'
  WHEN svc.person_id IS NOT NULL OR dec.completion THEN 'already_served'
  WHEN dec.exemption THEN 'exempt'
  WHEN dec.barred THEN 'deferred'
  WHEN reg.person_id IS NULL THEN 'unregistered'
  WHEN ';' || exam.outcome_codes || ';' ~ ';(HC4|HC5|HC6|DEF_HEALTH|HC3_MYOPIA|HC3_HYPEROPIA|HC3_BMI|EXC_DRUG);'
       OR reg.education_level IN ('grade_0', 'grade_1', 'grade_2', 'grade_3', 'grade_4',
                                  'grade_5', 'grade_6', 'grade_7') THEN 'not_fit'
  WHEN dec.deferral THEN 'deferred'
  ELSE 'eligible' END AS status
FROM men m
LEFT JOIN reg ON reg.person_id = m.id
LEFT JOIN exam ON exam.person_id = m.id
LEFT JOIN dec ON dec.person_id = m.id
LEFT JOIN svc ON svc.person_id = m.id
"""


def _anchor_params(communes: list[int]) -> dict[str, Any]:
    from muster.conscription.rules.callup import years_before

    return {
        "communes": communes,
        "ref": REFERENCE,
        **{f"b{n}": years_before(REFERENCE, n) for n in (2, 17, 18, 26, 28)},
    }


def _best_of_interleaved(
    x: Callable[[], Any], y: Callable[[], Any], runs: int = 5
) -> tuple[float, Any, float, Any]:
    """Best of `runs` for each after a warm-up of both, alternating x and y so that a shared
    machine's changing load falls on both alike."""
    x_result, y_result = x(), y()
    x_times: list[float] = []
    y_times: list[float] = []
    for _ in range(runs):
        for fn, times in ((x, x_times), (y, y_times)):
            started = time.perf_counter()
            result = fn()
            times.append(time.perf_counter() - started)
            if fn is x:
                x_result = result
            else:
                y_result = result
    return min(x_times), x_result, min(y_times), y_result


def run(log: Callable[[str], Any] = print, people: int = 2_000_000) -> dict[str, Any]:
    if connection.vendor != "postgresql":
        raise SystemExit("bench callup runs on PostgreSQL: set DATABASE_URL=postgres://...")
    if "people_person" not in connection.introspection.table_names():
        call_command("migrate", verbosity=0, interactive=False)
    communes = _communes(log)
    _population(people, log)
    records = _records(log)
    from muster.conscription.queries.candidates import PG_SETTINGS, candidate_rows
    from muster.conscription.rules.callup import ruleset_on
    from muster.people.models import Person

    rules = ruleset_on(REFERENCE)

    def full() -> list[Any]:
        return list(candidate_rows(communes=communes, reference=REFERENCE, rules=rules))

    def anchor() -> list[Any]:
        # The same session settings as candidate_rows uses for its query.
        with transaction.atomic(), connection.cursor() as cursor:
            for setting in PG_SETTINGS:
                cursor.execute(setting)
            cursor.execute(anchor_sql(), _anchor_params(communes))
            return list(cursor.fetchall())

    x, rows, y, statuses = _best_of_interleaved(full, anchor)

    def full_ordered() -> list[Any]:
        return list(
            candidate_rows(communes=communes, reference=REFERENCE, rules=rules, ordered=True)
        )

    x_ordered, _ordered_rows, y_again, _ = _best_of_interleaved(full_ordered, anchor, runs=3)
    counts = Counter(row.status for row in rows)
    anchor_counts = Counter(status for _, status in statuses)
    differ = {
        s: (counts[s], anchor_counts[s])
        for s in counts | anchor_counts
        if counts[s] != anchor_counts[s]
    }
    return {
        "benchmark": "callup",
        "date": date.today().isoformat(),
        "people": Person.objects.count(),
        "communes": len(communes),
        "records": records,
        "reference_date": REFERENCE.isoformat(),
        "rules_version": rules.version,
        "rows": len(rows),
        "status_counts": dict(sorted(counts.items())),
        "anchor_agrees": counts == anchor_counts,
        "anchor_differs": differ,
        "pg_settings": list(PG_SETTINGS),
        "x_candidate_list_s": round(x, 3),
        "y_anchor_status_sql_s": round(y, 3),
        "x_over_y": round(x / y, 2),
        # The same list sorted by commune and name in SQL (ordered=True, as the page and the
        # CLI ask for one commune), against the anchor timed alongside it.
        "x_ordered_s": round(x_ordered, 3),
        "x_ordered_over_y": round(x_ordered / y_again, 2),
        "targets": {"x_s": 1.0, "x_over_y": 2.0},
        "machine": f"{platform.machine()}, {os.cpu_count()} vCPU",
        "load_average": [round(v, 2) for v in os.getloadavg()],
    }
