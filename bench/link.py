"""Record linkage at scale: 100,000 legacy records with hard errors against 1,000,000 people.

People come from `generate_population` straight into a polars frame (the registry is not
loaded: the benchmark measures linkage, not ingest); geography (legacy wards and successions)
must be in the database (`muster geo load`). Truth comes from `linkage.legacy_gen`.
Run: DATABASE_URL=sqlite:////tmp/linkbench.sqlite3 muster bench link [--people N]
(records = people / 10)
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl

PROVINCE = "Hà Nội"
SEED = 77


def run(log: Callable[[str], Any], **options: Any) -> dict[str, Any]:
    from muster.demo.build import commune_specs, find_province
    from muster.demo.population import generate_population
    from muster.geo.models import AdminUnit
    from muster.linkage import engine, rules
    from muster.linkage.addresses import legacy_geo_load
    from muster.linkage.legacy_gen import EASY, TRUTH_COLUMN, generate_legacy
    from muster.linkage.legacy_io import legacy_frame

    people_n = int(options.get("people", 1_000_000))
    # `muster bench` passes only --people: the legacy file is a tenth of the registry.
    records_n = int(options.get("records", people_n // 10))
    easy = str(options.get("data", "hard")) == "easy"
    if not AdminUnit.objects.exists():
        from muster.geo.bulk import load_admin_units

        log("loading administrative units (once)")
        load_admin_units()
    started = time.monotonic()
    province = find_province(PROVINCE)
    people = generate_population(
        commune_specs(province),
        people=people_n,
        seed=SEED,
        province_code=province.code,
        reference_date=date(2025, 11, 1),
    ).select(
        "personal_id",
        "full_name",
        "sex",
        "birth_date",
        pl.col("residence_commune_code").alias("commune"),
        "household_id",
        "address",
    )
    geo = legacy_geo_load()
    generated = time.monotonic() - started
    log(f"{people.height:,} people generated in {generated:.1f} s")
    started = time.monotonic()
    raw = generate_legacy(people, geo, records=records_n, seed=SEED, rates=EASY if easy else None)
    legacy = legacy_frame(raw, geo)
    log(f"{legacy.height:,} legacy records generated in {time.monotonic() - started:.1f} s")

    engines = {"both": ["duckdb", "spark"]}.get(str(options.get("engine"))) or [
        str(options.get("engine") or "duckdb")
    ]
    runs: dict[str, tuple[Any, float]] = {}
    load_before = os.getloadavg()[0]
    for name in engines:
        log(f"linking on {name}")
        started = time.monotonic()
        outcome = engine.link(
            people,
            legacy,
            thresholds=rules.Thresholds(),
            districts_of=geo.districts_of,
            progress=log,
            engine=name,
        )
        runs[name] = (outcome, time.monotonic() - started)
    result, elapsed = runs[engines[0]]
    engines_compared = _engines_compared(runs, truth_of(raw, TRUTH_COLUMN), rules)
    truth = truth_of(raw, TRUTH_COLUMN)
    m = result.matches
    linked = dict(
        m.filter(pl.col("decision") == "linked").select("legacy_id", "personal_id").iter_rows()
    )
    with_review = dict(
        m.filter(pl.col("decision") != "unmatched").select("legacy_id", "personal_id").iter_rows()
    )
    s = rules.scores(linked, truth)
    sr = rules.scores(with_review, truth)
    counts = dict(m.group_by("decision").len().iter_rows())
    review_right = m.filter(pl.col("decision") == "review").join(
        raw.select("legacy_id", TRUTH_COLUMN), on="legacy_id"
    )
    return {
        "people": people.height,
        "records": legacy.height,
        "data": "easy" if easy else "hard",
        "link_seconds": round(elapsed, 1),
        "timings": result.timings,
        "pairs_scored": result.pairs_scored,
        "decisions": counts,
        "linked_precision": round(s.precision, 4),
        "linked_recall": round(s.recall, 4),
        "linked_f1": round(s.f1, 4),
        "linked_or_review_recall": round(sr.recall, 4),
        "review_true_share": round(
            float(
                review_right.select((pl.col("personal_id") == pl.col(TRUTH_COLUMN)).mean()).item()
                or 0
            ),
            3,
        )
        if review_right.height
        else None,
        "engine": engines[0],
        "engines": engines_compared,
        "generate_people_seconds": round(generated, 1),
        # Other engineers share the machine: the 1-minute load before and after the link.
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "machine": f"{platform.machine()} {os.cpu_count()} CPU, Python {platform.python_version()}",
    }


def truth_of(raw: pl.DataFrame, column: str) -> dict[str, str]:
    return {lid: pid for lid, pid in raw.select("legacy_id", column).iter_rows() if pid}


def linked_pairs(matches: pl.DataFrame) -> dict[str, str]:
    linked = matches.filter(pl.col("decision") == "linked").select("legacy_id", "personal_id")
    return dict(linked.iter_rows())


def _engines_compared(
    runs: dict[str, tuple[Any, float]], truth: dict[str, str], rules: Any
) -> dict[str, Any]:
    """Per engine: link time and F1 against the truth; with two, how far their links agree
    (issue 20: Spark's F1 within 0.005 of DuckDB's)."""
    figures: dict[str, Any] = {}
    for name, (outcome, seconds) in runs.items():
        scores = rules.scores(linked_pairs(outcome.matches), truth)
        figures[name] = {"link_seconds": round(seconds, 1), "linked_f1": round(scores.f1, 4)}
    if len(runs) == 2:
        (_, (first, _)), (_, (second, _)) = runs.items()
        a, b = linked_pairs(first.matches), linked_pairs(second.matches)
        figures["same_links"] = sum(1 for lid, pid in a.items() if b.get(lid) == pid)
        figures["links"] = [len(a), len(b)]
        f1s = [figures[name]["linked_f1"] for name in runs]
        figures["f1_difference"] = round(abs(f1s[0] - f1s[1]), 4)
    return figures
