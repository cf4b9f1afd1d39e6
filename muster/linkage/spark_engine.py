"""The same Splink model scored on Spark, for national-scale linkage (docs/scaling.md).

DuckDB on one machine runs the model up to a few million people; past that the blocked pairs
outgrow one machine's memory. Splink's Spark backend runs the identical model — the same
comparisons, priors and blocking rules, their DuckDB SQL transpiled to Spark SQL here — in local
mode on a laptop or the test machine, and on a cluster when `MUSTER_SPARK_MASTER` (or the
`master` argument) names one. Frames travel as Parquet files, which Spark reads in parallel.
"""

from __future__ import annotations

import copy
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from muster.linkage.splink_settings import blocking_rules, settings

# Small local runs: a few shuffle partitions (the default 200 costs more than the work).
LOCAL_SHUFFLE_PARTITIONS = 8


def spark_master(master: str | None = None) -> str:
    """The Spark master: the argument, else MUSTER_SPARK_MASTER, else local mode on every core."""
    return master or os.environ.get("MUSTER_SPARK_MASTER") or "local[*]"


def to_spark_sql(condition: str) -> str:
    """A comparison level's DuckDB SQL as Spark SQL: list functions become array functions,
    and the string similarity functions take the names of the UDFs Splink registers on Spark."""
    import sqlglot
    from splink.internals.dialects import SparkDialect
    from sqlglot import exp

    dialect = SparkDialect()  # type: ignore[no-untyped-call]
    renamed = {
        exp.JarowinklerSimilarity: dialect.jaro_winkler_function_name,
    }

    def rewrite(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.ArrayOverlaps):
            # sqlglot writes `a && b`, which Spark does not parse.
            return exp.Anonymous(this="ARRAYS_OVERLAP", expressions=[node.this, node.expression])
        for kind, name in renamed.items():
            if isinstance(node, kind):
                return exp.Anonymous(this=name, expressions=[node.this, node.expression])
        return node

    tree = sqlglot.parse_one(condition, read="duckdb").transform(rewrite)
    return tree.sql(dialect="spark")


def spark_settings(probability_two_random_records_match: float) -> dict[str, Any]:
    """`splink_settings.settings` with every comparison level's SQL in Spark's dialect; the
    blocking rules say they are DuckDB SQL and Splink transpiles them itself."""
    model = copy.deepcopy(settings(probability_two_random_records_match))
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level["sql_condition"] != "ELSE":
                level["sql_condition"] = to_spark_sql(level["sql_condition"])
    model["blocking_rules_to_generate_predictions"] = blocking_rules(sql_dialect="duckdb")
    return model


def score_on_spark(
    people: pl.DataFrame,
    legacy: pl.DataFrame,
    *,
    prior: float,
    floor: float,
    seed: int,
    u_max_pairs: float,
    master: str | None,
    lap: Callable[[str], None],
) -> pl.DataFrame:
    """Scored pairs (uid_legacy, uid_person, match_probability) above `floor`, as
    `engine._score` gives them on DuckDB: the frames hold the model's columns only."""
    from pyspark.sql import SparkSession
    from splink import Linker, SparkAPI
    from splink.backends.spark import similarity_jar_location

    for name in ("splink", "py4j", "pyspark"):
        logging.getLogger(name).setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="muster-spark-") as folder:
        work = Path(folder)
        people.write_parquet(work / "people.parquet")
        legacy.write_parquet(work / "legacy.parquet")
        builder = SparkSession.builder.master(spark_master(master)).appName("muster-linkage")
        if spark_master(master).startswith("local"):
            # Local mode talks to itself only: loopback, not the host's public address.
            builder = builder.config("spark.driver.host", "127.0.0.1").config(
                "spark.driver.bindAddress", "127.0.0.1"
            )
        spark = (
            builder
            # Splink's string-similarity functions (jaro_winkler) as Spark SQL UDFs.
            .config("spark.jars", similarity_jar_location())
            .config("spark.sql.shuffle.partitions", str(LOCAL_SHUFFLE_PARTITIONS))
            .config("spark.ui.enabled", "false")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.memory", os.environ.get("MUSTER_SPARK_DRIVER_MEMORY", "4g"))
            .config("spark.local.dir", str(work / "spark"))
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        spark.sparkContext.setCheckpointDir(str(work / "checkpoints"))
        try:
            api = SparkAPI(spark_session=spark, break_lineage_method="parquet")  # type: ignore[no-untyped-call]
            left = api.register(
                spark.read.parquet(str(work / "legacy.parquet")), dataset_display_name="legacy"
            )
            right = api.register(
                spark.read.parquet(str(work / "people.parquet")), dataset_display_name="people"
            )
            linker = Linker([left, right], spark_settings(prior), log_level=logging.WARNING)
            linker.training.estimate_u_using_random_sampling(
                max_pairs=min(u_max_pairs, 20.0 * people.height),
                seed=seed,
                min_count_per_level=None,
                num_chunks=1,
            )
            lap("train u")
            predictions = linker.inference.predict(
                threshold_match_probability=floor, warning_mode="never"
            )
            out = work / "scored.parquet"
            spark.sql(
                f"SELECT CASE WHEN unique_id_l >= {10**9} THEN unique_id_l ELSE unique_id_r END"
                f" AS uid_legacy, CASE WHEN unique_id_l >= {10**9} THEN unique_id_r"
                f" ELSE unique_id_l END AS uid_person, match_probability"
                f" FROM {predictions.physical_name}"
            ).write.parquet(str(out))
            scored = pl.read_parquet(str(out / "*.parquet"))
            lap("predict")
        finally:
            spark.stop()
    return scored
