"""SQLite fresh load through scratch files written with ADBC (issue #3 "Ingest").

Python's sqlite3 binds a million rows one Python tuple at a time (~10 s). Instead the prepared
batches go as Arrow into scratch SQLite files through the ADBC SQLite driver, which binds them
in C (~2.5 s); the registry's connection then ATTACHes each file and copies its rows with one
INSERT … SELECT, inside the caller's transaction, so a kill still rolls the whole load back.

Three things overlap on two cores: the caller's producer thread checks the next batch, a
background thread writes checked batches to the current file, and this thread copies the
previous file into the registry and opens its residence periods. Hence a few files (GROUPS),
not one.

SQLite refuses to DETACH a database that the open transaction has read, so the files stay
attached until that transaction has ended: `scratch()` encloses the transaction and detaches
and deletes them after it (also on error; a kill -9 can leave only the temporary directory).
It also holds the registry in rollback-journal mode for the load where it can, so the load's
pages are written once instead of into the WAL and again by the commit's checkpoint.
"""

from __future__ import annotations

import contextlib
import math
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import adbc_driver_sqlite.dbapi as adbc_sqlite
import polars as pl
import pyarrow as pa
from django.db import DatabaseError, connection

from muster.core.sqlite import rollback_journal
from muster.people.bulk.checks import PERSON_COLUMNS
from muster.people.bulk.overlap import prefetch
from muster.people.bulk.shared import PERSON, LoadClock, _ident, last_person_id, open_periods_after
from muster.people.bulk.sqlite import _sql_text, _sqlite_text

if TYPE_CHECKING:
    from adbc_driver_manager.dbapi import Cursor  # the driver's connections are the manager's

ALIAS = "muster_stage"  # + the file's number: its schema name on the registry's connection
TABLE = "person"
# At most this many files per load, each attached until the transaction ends (SQLite allows
# 10 attached databases); a file under MIN_FILE_ROWS gains less than it costs.
GROUPS = 8
MIN_FILE_ROWS = 50_000
# The writer runs ahead of the copies by up to this many items (a batch's row count or a
# file's path): more than a file's batches, so it does not wait while a file is copied.
AHEAD = 10_000
# `_sqlite_text` of a prepared batch: every column text (dates as ISO strings) but the commune.
SCHEMA = pa.schema(
    [(c, pa.int64() if c == "residence_commune_id" else pa.large_string()) for c in PERSON_COLUMNS]
)
# The files are thrown away after the load: no journal, no fsync, one lock for all of it.
SCRATCH_PRAGMAS = ("journal_mode = OFF", "synchronous = OFF", "locking_mode = EXCLUSIVE")


@contextlib.contextmanager
def _scratch_cursor(path: Path) -> Iterator[Cursor]:
    """An ADBC cursor on a new scratch file (a connection of the driver's own SQLite, closed
    before the registry's connection opens the file)."""
    with adbc_sqlite.connect(str(path), autocommit=True) as db, db.cursor() as cursor:
        for pragma in SCRATCH_PRAGMAS:
            cursor.execute(f"PRAGMA {pragma}")
            cursor.fetchall()
        yield cursor


def _written(
    directory: Path, batches: Iterable[pl.DataFrame], file_rows: int
) -> Iterator[int | Path]:
    """Each prepared batch appended to the current file in `directory` (its row count once
    written), each file's path once it holds `file_rows` rows or the last ones; runs in a
    background thread. The driver binds each batch without holding the GIL."""
    source = iter(batches)
    exhausted = False
    for number in range(GROUPS):
        path, rows = directory / f"stage-{number}.sqlite3", 0
        with _scratch_cursor(path) as cursor:
            for batch in source:
                # In personal_id order, the registry's UNIQUE index (an automatic one, which
                # cannot be dropped for the load) takes each batch as one ordered run instead
                # of scattered inserts: the copies take about a third less time.
                arrow = _sqlite_text(batch.sort("personal_id")).to_arrow().cast(SCHEMA)
                cursor.adbc_ingest(TABLE, arrow, mode="create_append")
                rows += batch.height
                yield batch.height
                if rows >= file_rows and number < GROUPS - 1:
                    break
            else:
                exhausted = True
        if rows:
            yield path
        if exhausted:
            return


class Stage:
    """One fresh load's scratch files; see `scratch`."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.attached: list[str] = []

    def _copy(self, path: Path, now: str) -> int:
        """One file's rows into the registry; rows inserted."""
        names = ", ".join(_ident(c) for c in PERSON_COLUMNS)
        alias = f"{ALIAS}{len(self.attached)}"
        with connection.cursor() as cursor:
            cursor.execute(f"ATTACH DATABASE %s AS {alias}", [str(path)])
            self.attached.append(alias)
            cursor.execute(
                f"INSERT INTO {PERSON} ({names}, created_at, updated_at) "
                f"SELECT {names}, {now}, {now} FROM {alias}.{TABLE}"
            )
            return int(cursor.rowcount)

    def load(
        self,
        batches: Iterable[pl.DataFrame],
        *,
        clock: LoadClock,
        progress: Callable[[int], None] | None = None,
        expected: int = 0,
    ) -> int:
        """Prepared batches into the empty registry, each new person with an open residence
        period; rows inserted. Inside the caller's transaction, the indexes dropped.
        `progress(rows written so far)` after each batch, from this thread; about `expected`
        rows make GROUPS files."""
        file_rows = max(MIN_FILE_ROWS, math.ceil(expected / GROUPS))
        # The same timestamp for every row, written once into the statement.
        now = _sql_text(str(connection.ops.adapt_datetimefield_value(clock.now)))
        done = inserted = 0
        written = prefetch(_written(self.directory, batches, file_rows), depth=AHEAD)
        with contextlib.closing(written) as items:
            for item in items:
                if isinstance(item, Path):
                    last = last_person_id()
                    inserted += self._copy(item, now)
                    # Each file's periods at once, while the writer still works on the next.
                    open_periods_after(last)
                    continue
                done += item
                if progress:
                    progress(done)
        return inserted

    def detach(self) -> None:
        with connection.cursor() as cursor:
            while self.attached:
                cursor.execute(f"DETACH DATABASE {self.attached[-1]}")
                self.attached.pop()


@contextlib.contextmanager
def scratch() -> Iterator[Stage | None]:
    """A Stage for a fresh load in a transaction inside this block; its files detached and
    deleted when the block ends, after that transaction. The block runs in rollback-journal
    mode when no other connection has the database open (`core.sqlite.rollback_journal`).

    None when the block itself runs inside a transaction: the files could be detached only
    after that one ends, which this block cannot wait for, so load without them.
    """
    connection.ensure_connection()
    if connection.in_atomic_block:
        yield None
        return
    raw: Any = connection.connection
    with rollback_journal(raw), tempfile.TemporaryDirectory(prefix="muster-stage-") as directory:
        stage = Stage(Path(directory))
        try:
            yield stage
        except BaseException:
            # The error that ended the transaction matters, not a DETACH failing after it.
            with contextlib.suppress(DatabaseError):
                stage.detach()
            raise
        stage.detach()
