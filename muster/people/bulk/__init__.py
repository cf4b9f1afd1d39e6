"""Set-based loading of population-register extracts into Person (and residence history).

Two ways in, one set of checks (`check_rows`, vectorised) and one set of writers:

* **Fresh load** (the registry table is empty): the secondary indexes, the personal-ID unique
  constraint and the foreign keys of Person and ResidencePeriod are dropped, rows are COPYed
  straight into `people_person` (PostgreSQL) or inserted in batches (SQLite), each new person
  gets an open ResidencePeriod with one INSERT … SELECT, and the indexes are rebuilt from the
  model (`indexes_repair`). On PostgreSQL all of it is one transaction, DDL included, so a
  killed load leaves the table and its indexes as they were.
* **Merge** (anything else): staging table → one INSERT … SELECT … ON CONFLICT (personal_id)
  DO UPDATE … WHERE changed; movers get their old period closed yesterday and a new one from
  today. PostgreSQL stages with COPY, SQLite with executemany; the rest is the same SQL.

Loading the same rows twice changes nothing (0 inserted, 0 updated). Only actions, tasks, the
exchange ingest and the demo builder call this.

Modules: `checks` (row checks and the prepared frame), `shared` (SQL both backends run, the
load's clock), `indexes` (dropped and rebuilt around a fresh load), `overlap` (checking the
next batch while the current one is written), `postgres` and `sqlite` (the two loads), `frame`
(`persons_load_frame`). The names other apps and tests use are re-exported here.
"""

from __future__ import annotations

from muster.people.bulk.checks import (
    COMPARED,
    PERSON_COLUMNS,
    REQUIRED_COLUMNS,
    check_rows,
    commune_ids,
    prepare_frame,
    problem_rows,
    reject_reasons,
    with_source,
)
from muster.people.bulk.frame import BATCH_ROWS, BulkResult, persons_load_frame
from muster.people.bulk.indexes import indexes_missing, indexes_repair, loaded_tables_indexes_drop
from muster.people.bulk.overlap import prefetch
from muster.people.bulk.postgres import postgres_load
from muster.people.bulk.shared import (
    PERSON,
    RESIDENCE,
    LoadClock,
    last_person_id,
    open_periods_after,
    registry_is_empty,
)
from muster.people.bulk.sqlite import (
    sqlite_insert_fresh,
    sqlite_load_batch,
    sqlite_load_pragmas,
    sqlite_rows,
)

__all__ = [
    "BATCH_ROWS",
    "COMPARED",
    "PERSON",
    "PERSON_COLUMNS",
    "REQUIRED_COLUMNS",
    "RESIDENCE",
    "BulkResult",
    "LoadClock",
    "check_rows",
    "commune_ids",
    "indexes_missing",
    "indexes_repair",
    "last_person_id",
    "loaded_tables_indexes_drop",
    "open_periods_after",
    "persons_load_frame",
    "postgres_load",
    "prefetch",
    "prepare_frame",
    "problem_rows",
    "registry_is_empty",
    "reject_reasons",
    "sqlite_insert_fresh",
    "sqlite_load_batch",
    "sqlite_load_pragmas",
    "sqlite_rows",
    "with_source",
]
