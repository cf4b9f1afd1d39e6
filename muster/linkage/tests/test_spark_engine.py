"""The model's DuckDB SQL in Spark's dialect (no Spark needed: sqlglot only)."""

import pytest

from muster.linkage.spark_engine import spark_master, spark_settings, to_spark_sql


@pytest.mark.parametrize(
    ("duckdb_sql", "spark_sql"),
    [
        ("surname_f_l = surname_f_r", "surname_f_l = surname_f_r"),
        (
            "jaro_winkler_similarity(surname_f_l, surname_f_r) >= 0.85",
            "JARO_WINKLER(surname_f_l, surname_f_r) >= 0.85",
        ),
        (
            "list_contains(rest_l, given_f_r) OR list_contains(rest_r, given_f_l)",
            "ARRAY_CONTAINS(rest_l, given_f_r) OR ARRAY_CONTAINS(rest_r, given_f_l)",
        ),
        ("list_sort(rest_l) = list_sort(rest_r)", "ARRAY_SORT(rest_l) = ARRAY_SORT(rest_r)"),
        ("list_has_any(districts_l, districts_r)", "ARRAYS_OVERLAP(districts_l, districts_r)"),
        (
            "month(birth_date_l) = day(birth_date_r)",
            "MONTH(birth_date_l) = DAY(birth_date_r)",
        ),
    ],
)
def test_conditions_are_transpiled(duckdb_sql, spark_sql):
    assert to_spark_sql(duckdb_sql) == spark_sql


def test_every_level_of_the_model_is_spark_sql():
    model = spark_settings(0.001)
    conditions = [
        level["sql_condition"]
        for comparison in model["comparisons"]
        for level in comparison["comparison_levels"]
    ]
    assert conditions
    for condition in conditions:
        assert "list_" not in condition.lower(), condition
        assert "&&" not in condition, condition
        assert "jaro_winkler_similarity" not in condition.lower(), condition


def test_master_from_argument_environment_or_local(monkeypatch):
    monkeypatch.delenv("MUSTER_SPARK_MASTER", raising=False)
    assert spark_master() == "local[*]"
    monkeypatch.setenv("MUSTER_SPARK_MASTER", "spark://linkage:7077")
    assert spark_master() == "spark://linkage:7077"
    assert spark_master("local[2]") == "local[2]"
