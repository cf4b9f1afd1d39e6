"""Kill -9 during `muster restructure apply` and during order-batch approval; a re-run ends in
the state of a clean run and the audit chains verify (issue 13, "Faults").

The harness is bench/faults.py (`muster bench faults` runs 20 kills of each, on SQLite copies
by default); here RUNS of each, so `make test` stays fast, from a template copy of this test's
database, in child processes that really die. PostgreSQL only: it is the production database,
the bench covers SQLite, and each kill costs several process start-ups (about 2 minutes a
scenario on this shared machine) that the suite should not pay twice.
"""

from __future__ import annotations

import random

import pytest
from django.db import connection

from bench.faults import Store, scenario_run

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres_only]

RUNS = 1


@pytest.fixture
def store(tmp_path):
    server = dict(connection.settings_dict)
    store = Store(tmp_path, server, prefix=f"{server['NAME']}_faults")
    connection.close()  # a template must be idle
    store.adopt_postgres("base", str(server["NAME"]))
    yield store
    store.drop("base")


@pytest.mark.parametrize("scenario", ["restructure", "approval"])
def test_a_killed_run_finished_by_a_rerun_ends_as_a_clean_run(store, scenario):
    figures = scenario_run(store, scenario, RUNS, random.Random(7), log=print)
    assert figures["problems"] == []
    assert figures["equal"] == figures["verified"] == RUNS
    assert figures["interrupted"] >= 1, figures  # the kills landed while the act ran
