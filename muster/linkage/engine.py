"""The linkage engine: features in polars, a Splink model on DuckDB, one-to-one decisions.

DB-free: callers pass frames (people from the registry or a generated population, legacy
records already validated) and what the database remembers (links, decisions); `actions` and
`bench/link.py` call it. Everything is deterministic for the same input and seed. The features
are built in `features.py`, the model's comparisons and blocking rules in `splink_settings.py`;
this module runs them.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import polars as pl

from muster.linkage import rules
from muster.linkage.features import legacy_features, people_features
from muster.linkage.rules import Candidate, Decision, Thresholds
from muster.linkage.splink_settings import MODEL_COLUMNS, settings

SEED = 20250701
# Pairs scored below this are dropped at once: they decide nothing and would fill memory.
FLOOR_PROBABILITY = 0.01
# Where the model is scored: DuckDB in this process, or Splink's Spark backend.
ENGINES = ("duckdb", "spark")

log = logging.getLogger(__name__)


@dataclass
class Remembered:
    """What the database knows about earlier runs of the same source."""

    links: dict[str, str] = field(default_factory=dict)  # legacy_id → personal_id (kept)
    accepted: set[tuple[str, str]] = field(default_factory=set)  # reviewed: same person
    excluded: set[tuple[str, str]] = field(default_factory=set)  # rejected / not duplicate
    # personal_id → legacy_id of links held by other records of the same source
    taken: dict[str, str] = field(default_factory=dict)


@dataclass
class LinkResult:
    """One row per legacy record (OUTPUT_COLUMNS plus `method`) and the timings."""

    matches: pl.DataFrame
    timings: dict[str, float]
    pairs_scored: int


def _exact_id(people: pl.DataFrame, legacy: pl.DataFrame) -> pl.DataFrame:
    """Legacy records whose personal ID names a person with the same folded name (any word
    order) and birth year: linked with certainty."""
    return (
        legacy.filter(pl.col("personal_id").is_not_null())
        .select("legacy_id", "personal_id", "tokens", "birth_year")
        .join(
            people.select("personal_id", "tokens", "birth_year"),
            on="personal_id",
            suffix="_p",
        )
        .filter(
            (pl.col("tokens") == pl.col("tokens_p"))
            & (pl.col("birth_year") == pl.col("birth_year_p"))
        )
        .select("legacy_id", "personal_id")
    )


def link(
    people: pl.DataFrame,
    legacy: pl.DataFrame,
    *,
    thresholds: Thresholds,
    districts_of: dict[str, list[str]] | None = None,
    remembered: Remembered | None = None,
    seed: int = SEED,
    u_max_pairs: float = 1e6,
    em_max_pairs: float = 0,
    threads: int | None = None,
    memory_limit: str = "4GB",
    progress: Callable[[str], object] | None = None,
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> LinkResult:
    """Link every legacy record to at most one person: exact IDs first, then the model — on
    DuckDB in this process, or on Spark (`engine="spark"`, `linkage.spark_engine`) at
    national scale."""
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r}: expected one of {', '.join(ENGINES)}")
    remembered = remembered or Remembered()
    say = progress or (lambda _msg: None)
    timings: dict[str, float] = {}
    clock = time.monotonic()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        timings[name] = round(now - clock, 2)
        clock = now
        say(f"{name}: {timings[name]:.1f} s")

    p = people_features(people, districts_of)
    lg = legacy_features(legacy)
    lap("features")

    kept = pl.DataFrame(
        {"legacy_id": list(remembered.links), "personal_id": list(remembered.links.values())},
        schema={"legacy_id": pl.Utf8, "personal_id": pl.Utf8},
    )
    exact = _exact_id(p, lg.filter(~pl.col("legacy_id").is_in(kept["legacy_id"].implode())))
    if remembered.excluded:
        exact = exact.filter(
            ~pl.struct("legacy_id", "personal_id").is_in(
                pl.Series(
                    [{"legacy_id": a, "personal_id": b} for a, b in remembered.excluded]
                ).implode()
            )
        )
    settled = pl.concat([kept, exact]).get_column("legacy_id")
    rest = lg.filter(~pl.col("legacy_id").is_in(settled.implode()))
    lap("exact ids")

    scored = _score(
        p,
        rest,
        seed=seed,
        u_max_pairs=u_max_pairs,
        em_max_pairs=em_max_pairs,
        threads=threads,
        memory_limit=memory_limit,
        lap=lap,
        engine=engine,
        spark_master=spark_master,
    )
    pairs_scored = scored.height
    scored = scored.join(
        rest.select(pl.col("unique_id").alias("uid_legacy"), "legacy_id"), on="uid_legacy"
    ).join(p.select(pl.col("unique_id").alias("uid_person"), "personal_id"), on="uid_person")
    if remembered.excluded:
        excl = pl.DataFrame(
            list(remembered.excluded),
            schema={"legacy_id": pl.Utf8, "personal_id": pl.Utf8},
            orient="row",
        )
        scored = scored.join(excl, on=["legacy_id", "personal_id"], how="anti")
    if remembered.accepted:
        acc = pl.DataFrame(
            list(remembered.accepted),
            schema={"legacy_id": pl.Utf8, "personal_id": pl.Utf8},
            orient="row",
        )
        scored = scored.join(
            acc.with_columns(accepted=pl.lit(True)), on=["legacy_id", "personal_id"], how="left"
        )
    else:
        scored = scored.with_columns(accepted=pl.lit(None, dtype=pl.Boolean))
    ranked = scored.sort(
        ["legacy_id", "accepted", "match_probability", "personal_id"],
        descending=[False, True, True, False],
        nulls_last=True,
    ).with_columns(rank=pl.int_range(pl.len()).over("legacy_id"))
    best = ranked.filter(pl.col("rank") == 0)
    taken = dict(remembered.taken)
    for lid, pid in pl.concat([kept, exact]).iter_rows():
        taken.setdefault(pid, lid)
    # A runner-up already linked to another record of this source (by its ID, or kept) is not
    # a rival: one record per person and source.
    holders = pl.DataFrame(
        {"personal_id": list(taken), "holder": list(taken.values())},
        schema={"personal_id": pl.Utf8, "holder": pl.Utf8},
    )
    runner = dict(
        ranked.filter(pl.col("rank") > 0)
        .join(holders, on="personal_id", how="left")
        .filter(pl.col("holder").is_null() | (pl.col("holder") == pl.col("legacy_id")))
        .group_by("legacy_id")
        .agg(pl.col("match_probability").max())
        .iter_rows()
    )
    accepted_ids = set(best.filter(pl.col("accepted").fill_null(False))["legacy_id"].to_list())
    candidates = [
        Candidate(lid, pid, 1.0 if lid in accepted_ids else prob)
        for lid, pid, prob in best.select(
            "legacy_id", "personal_id", "match_probability"
        ).iter_rows()
    ]
    assigned = rules.assign(candidates, runner_up=runner, thresholds=thresholds, taken=taken)
    model_rows = pl.DataFrame(
        {
            "legacy_id": [a.legacy_id for a in assigned],
            "personal_id": [a.personal_id for a in assigned],
            "match_probability": [a.probability for a in assigned],
            "decision": [a.decision.value for a in assigned],
            "method": ["review" if a.legacy_id in accepted_ids else "model" for a in assigned],
        },
        schema=OUTPUT_SCHEMA,
    )
    fixed = pl.concat(
        [
            kept.with_columns(method=pl.lit("kept")),
            exact.with_columns(method=pl.lit("exact_id")),
        ]
    ).select(
        "legacy_id",
        "personal_id",
        match_probability=pl.lit(1.0),
        decision=pl.lit(Decision.LINKED.value),
        method="method",
    )
    found = pl.concat([fixed.cast(OUTPUT_SCHEMA), model_rows])  # type: ignore[arg-type]
    matches = (
        legacy.select("legacy_id")
        .join(found, on="legacy_id", how="left", maintain_order="left")
        .with_columns(
            personal_id=pl.col("personal_id").fill_null(""),
            match_probability=pl.col("match_probability").fill_null(0.0).round(6),
            decision=pl.col("decision").fill_null(Decision.UNMATCHED.value),
            method=pl.col("method").fill_null("model"),
        )
    )
    lap("decisions")
    return LinkResult(matches, timings, pairs_scored)


OUTPUT_SCHEMA: dict[str, pl.DataType] = {
    "legacy_id": pl.Utf8(),
    "personal_id": pl.Utf8(),
    "match_probability": pl.Float64(),
    "decision": pl.Utf8(),
    "method": pl.Utf8(),
}


def _kin_pairs(people: pl.DataFrame, legacy: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Both frames with `kin_pairs`: ids of the pairs where a parent named on the legacy record
    (`kin`) is a member of the person's household, with the same surname and given-name
    initials and the birth year within one. Found here with one polars join, so that splink
    explodes a few short lists rather than every household's names (4 M rows on 1 M people,
    each carrying every blocking column: ~9 s of CPU)."""
    keys = ["kin", "surname_1", "given_1"]
    side = legacy.select("unique_id", *keys, "birth_year").explode("kin").drop_nulls(keys)
    pairs = (
        side.join(
            people.select(
                "unique_id", pl.col("household_names").alias("kin"), *keys[1:], "birth_year"
            )
            .explode("kin")
            .drop_nulls(keys)
            .filter(pl.col("kin").is_in(side["kin"].unique().implode())),
            on=keys,
            suffix="_p",
        )
        .filter((pl.col("birth_year") - pl.col("birth_year_p")).abs() <= 1)
        .select("unique_id", "unique_id_p")
        .unique()
        .sort("unique_id", "unique_id_p")  # stable pair ids: the run stays deterministic
        .with_row_index("pair")
        .with_columns(pl.col("pair").cast(pl.Int64))
    )
    empty = pl.lit([], dtype=pl.List(pl.Int64))

    def attach(frame: pl.DataFrame, uid: str) -> pl.DataFrame:
        lists = pairs.group_by(uid).agg(kin_pairs=pl.col("pair")).rename({uid: "unique_id"})
        return frame.join(lists, on="unique_id", how="left", maintain_order="left").with_columns(
            kin_pairs=pl.col("kin_pairs").fill_null(empty)
        )

    return attach(people, "unique_id_p"), attach(legacy, "unique_id")


def _score(
    people: pl.DataFrame,
    legacy: pl.DataFrame,
    *,
    seed: int,
    u_max_pairs: float,
    em_max_pairs: float,
    threads: int | None,
    memory_limit: str,
    lap: Callable[[str], None],
    engine: str = "duckdb",
    spark_master: str | None = None,
) -> pl.DataFrame:
    """Scored pairs (uid_legacy, uid_person, match_probability) above FLOOR_PROBABILITY."""
    empty = pl.DataFrame(
        schema={"uid_legacy": pl.Int64, "uid_person": pl.Int64, "match_probability": pl.Float64}
    )
    if legacy.is_empty() or people.is_empty():
        return empty
    # Prior: at most one person per legacy record.
    prior = min(0.5, 1.0 / max(people.height, 1))
    if engine == "spark":
        from muster.linkage.spark_engine import score_on_spark

        people, legacy = _kin_pairs(people, legacy)
        scored_on_spark = score_on_spark(
            people.select(MODEL_COLUMNS),
            legacy.select(MODEL_COLUMNS),
            prior=prior,
            floor=FLOOR_PROBABILITY,
            seed=seed,
            u_max_pairs=u_max_pairs,
            master=spark_master,
            lap=lap,
        )
        return scored_on_spark.cast(empty.schema)
    from splink import DuckDBAPI, Linker
    from splink.internals.blocking_rule_library import block_on

    for name in ("splink", "duckdb"):
        logging.getLogger(name).setLevel(logging.WARNING)
    con = duckdb.connect(":memory:")
    con.execute(f"SET threads = {int(threads or os.cpu_count() or 1)}")
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute("SET preserve_insertion_order = false")
    people, legacy = _kin_pairs(people, legacy)
    people_in = people.select(MODEL_COLUMNS)  # noqa: F841 - read by DuckDB below
    legacy_in = legacy.select(MODEL_COLUMNS)  # noqa: F841
    con.execute("CREATE TABLE people_in AS SELECT * FROM people_in")
    con.execute("CREATE TABLE legacy_in AS SELECT * FROM legacy_in")
    api = DuckDBAPI(con)
    left = api.register("legacy_in", dataset_display_name="legacy")
    right = api.register("people_in", dataset_display_name="people")
    linker = Linker([left, right], settings(prior), log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(
        # Small runs (tests, a single commune's file) need far fewer pairs for stable u.
        max_pairs=min(u_max_pairs, 20.0 * people.height),
        seed=seed,
        min_count_per_level=None,
        num_chunks=1,
    )
    lap("train u")
    if em_max_pairs > 0:
        # Optional: EM on one tight block refines m for the comparisons outside it. Off by
        # default: the fixed m priors are better than EM's estimate on the blocked sample.
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on("surname_f", "given_f", "birth_year"),
                max_pairs=em_max_pairs,
                estimate_without_term_frequencies=True,
            )
        except Exception as exc:
            log.warning("EM skipped: %s", exc)
        lap("train m (EM)")
    predictions = linker.inference.predict(
        threshold_match_probability=FLOOR_PROBABILITY, warning_mode="never"
    )
    table = predictions.physical_name
    frame = con.sql(
        f"SELECT CASE WHEN unique_id_l >= {10**9} THEN unique_id_l ELSE unique_id_r END"
        f" AS uid_legacy, CASE WHEN unique_id_l >= {10**9} THEN unique_id_r"
        f" ELSE unique_id_l END AS uid_person, match_probability FROM {table}"
    ).pl()
    lap("predict")
    con.close()
    scored: pl.DataFrame = frame.cast(empty.schema)
    return scored
