"""Ingest of a signed population-register extract (issue #3 "Ingest", docs/exchange.md).

    checks (ingest_file.check_extract: manifest, signature, listed, hash, encoding, columns,
            rows, duplicate IDs)      → nothing written when any fails
    rows   (read in batches, checked vectorised by people.bulk.check_rows, problems streamed
            to the rejects file) — in a producer thread (bulk.prefetch), so checking the next
            batch overlaps the database taking this one
    load   into an empty registry: one transaction, indexes dropped and rebuilt — COPY
           (PostgreSQL) straight into the table; on SQLite, ADBC writes Arrow batches into
           scratch files that the transaction copies in (people.sqlite_stage; executemany
           when the ingest runs inside someone else's transaction). Otherwise PostgreSQL
           COPYs into a staging table and merges set-based in one transaction; SQLite stages
           and merges one transaction per group of batches, each recording how far the run
           got in its IngestRun, so a re-run after a kill continues from there.

A re-run of the same file (same SHA-256) whose IngestRun is still "running" (the process was
killed) continues that record; a run that stops on an error is marked "failed" with the reason,
and a re-run creates a new one, as after success (which changes nothing: all rows unchanged).
A row no record may hold (a NUL byte, control or bidirectional characters: people.rules) is a
rejected row of the report like any other defect, on both databases.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

import polars as pl
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone

from muster import audit
from muster.core.exports import neutralise_frame
from muster.exchange.ingest_file import CheckedExtract, check_extract, read_batches
from muster.exchange.models import IngestRun, IngestStatus
from muster.people import bulk, sqlite_stage
from muster.people.name_keys import NameKeys

if TYPE_CHECKING:
    from muster.accounts.models import User

REJECTS_COLUMNS = ("line", "personal_id", "field", "reason", "action")
# Two batches are in memory at once (one checked while the other is written): at 50,000 rows
# a 5M-row ingest peaked at 519 MB RSS, at 25,000 at 443 MB (and no slower).
BATCH_ROWS = 25_000
# A SQLite merge commits (and records the run's progress) once per this many rows: fewer
# commits and WAL checkpoints, while a killed run loses at most this much work.
SQLITE_GROUP_ROWS = 200_000
ADVISORY_LOCK = 7_303_003  # one ingest at a time on PostgreSQL
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IngestResult:
    """What an ingest did. `duplicates_skipped` identical copies are counted in `warned`."""

    run_id: int
    read: int
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    warned: int
    duplicates_skipped: int
    rejects_path: Path | None

    def summary(self) -> str:
        return (
            f"read {self.read} · inserted {self.inserted} · updated {self.updated} · "
            f"unchanged {self.unchanged} · rejected {self.rejected} · warned {self.warned}"
            + (
                f" (identical duplicate rows skipped: {self.duplicates_skipped})"
                if self.duplicates_skipped
                else ""
            )
        )


class _Rejects:
    """The quality report, written to a temporary file and renamed into place at the end."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._tmp = path.with_name(f".{path.name}.part") if path else None
        self._out: IO[bytes] | None = None
        if self._tmp is not None:
            self._out = self._tmp.open("wb")
            self._out.write((",".join(REJECTS_COLUMNS) + "\n").encode())

    def write(self, report: pl.DataFrame) -> None:
        if self._out is not None and report.height:
            # The report quotes the file's own cells: formula-safe like every export.
            worded = report.with_columns(reason=bulk.reject_reasons(report))
            neutralise_frame(worded.rename({"_row": "line"}).select(REJECTS_COLUMNS)).write_csv(
                self._out, include_header=False
            )

    def close(self, *, keep: bool) -> None:
        if self._out is None or self._tmp is None or self.path is None:
            return
        self._out.close()
        if keep:
            os.replace(self._tmp, self.path)
        else:
            self._tmp.unlink(missing_ok=True)


class _Rows:
    """Checks the file's rows batch by batch and counts what it sees."""

    def __init__(self, extract: CheckedExtract, rejects: _Rejects, *, source: str) -> None:
        self.extract = extract
        self.rejects = rejects
        self.source = source
        self.first_row = 2 if extract.fmt == "csv" else 1
        self.read = self.rejected = self.warned = self.skipped = 0
        self._communes = bulk.commune_ids()
        self._today = timezone.localdate()
        self._names = NameKeys()  # one load's memory of name keys
        self._conflicting = pl.DataFrame(
            {
                "personal_id": list(extract.duplicates.conflicting),
                "_copies": list(extract.duplicates.conflicting.values()),
            },
            schema={"personal_id": pl.String, "_copies": pl.Int64},
        )
        self._identical = extract.duplicates.identical
        self._kept: set[str] = set()  # identical-duplicate IDs whose first copy was taken

    def batches(self, batch_rows: int) -> Iterator[tuple[pl.DataFrame, int]]:
        """(rows to load with PERSON_COLUMNS and `_row`, rows of the file read so far)."""
        for raw in read_batches(self.extract, batch_rows=batch_rows):
            prepared, report = bulk.check_rows(
                raw,
                communes=self._communes,
                today=self._today,
                names=self._names,
                duplicates_in_frame=False,
            )
            conflicts = bulk.problem_rows(
                prepared.select("_row", "personal_id").join(
                    self._conflicting, on="personal_id", how="inner"
                ),
                "personal_id",
                "PERSONAL_ID_CONFLICTING_COPIES",
                {"copies": pl.col("_copies")},
                action="rejected",
            )
            report = pl.concat([report, conflicts])
            bad = report.filter(pl.col("action") == "rejected")["_row"].unique()
            # A rejected row is not loaded, so its warnings ("…; loaded") do not apply.
            report = report.filter(
                (pl.col("action") == "rejected") | ~pl.col("_row").is_in(bad.implode())
            )
            skipped: list[int] = []
            if self._identical:
                copies = prepared.filter(
                    pl.col("personal_id").is_in(list(self._identical))
                    & ~pl.col("_row").is_in(bad.implode())
                ).select("_row", "personal_id")
                for row, pid in copies.iter_rows():
                    if pid in self._kept:
                        skipped.append(row)
                    else:
                        self._kept.add(pid)
                if skipped:
                    report = pl.concat(
                        [
                            report,
                            bulk.problem_rows(
                                prepared.filter(pl.col("_row").is_in(skipped)),
                                "personal_id",
                                "PERSONAL_ID_IDENTICAL_COPY",
                                None,
                                action="warned",
                            ),
                        ]
                    )
            report = report.sort("_row", maintain_order=True)
            self.rejects.write(report)
            warned = report.filter(pl.col("action") == "warned")["_row"].n_unique()
            self.read += raw.height
            self.rejected += bad.len()
            self.warned += warned
            self.skipped += len(skipped)
            keep = prepared.filter(
                ~pl.col("_row").is_in(bad.implode()) & ~pl.col("_row").is_in(skipped)
            )
            yield (
                keep.with_columns(source=pl.lit(self.source)).select("_row", *bulk.PERSON_COLUMNS),
                self.read,
            )

    def position(self) -> pl.Expr:
        """A loaded row's 0-based position in the file."""
        return pl.col("_row") - self.first_row


def _start_run(extract: CheckedExtract) -> tuple[IngestRun, bool]:
    """(the run to continue or a new one, whether it continues an interrupted run)."""
    run = (
        IngestRun.objects.filter(file_sha256=extract.sha256, status=IngestStatus.RUNNING)
        .order_by("-id")
        .first()
    )
    if run is not None:
        return run, True
    run = IngestRun.objects.create(
        file_name=extract.path.name,
        file_sha256=extract.sha256,
        producer=extract.producer,
        status=IngestStatus.RUNNING,
    )
    return run, False


def _finish(
    run: IngestRun,
    rows: _Rows,
    extract: CheckedExtract,
    *,
    acting_user: User | None,
    inserted: int,
    updated: int,
    rejects: Path | None,
) -> IngestResult:
    """Close the run and write its audit event (inside the last transaction)."""
    loaded = rows.read - rows.rejected - rows.skipped
    result = IngestResult(
        run_id=run.pk,
        read=rows.read,
        inserted=inserted,
        updated=updated,
        unchanged=loaded - inserted - updated,
        rejected=rows.rejected,
        warned=rows.warned,
        duplicates_skipped=rows.skipped,
        rejects_path=rejects,
    )
    run.status = IngestStatus.DONE
    run.finished_at = timezone.now()
    run.rows_read = result.read
    run.inserted, run.updated, run.unchanged = inserted, updated, result.unchanged
    run.rejected, run.warned = result.rejected, result.warned
    run.detail = result.summary()
    run.save()
    audit.record(
        "exchange.extract.ingested",
        actor=acting_user,
        target=run,
        data={
            "file": extract.path.name,
            "sha256": extract.sha256,
            "producer": extract.producer,
            "key": extract.fingerprint,
            "read": result.read,
            "inserted": result.inserted,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "rejected": result.rejected,
            "warned": result.warned,
            "duplicates_skipped": result.duplicates_skipped,
        },
    )
    return result


def extract_ingest(
    path: Path,
    *,
    manifest: Path | None = None,
    rejects: Path | None = None,
    acting_user: User | None = None,
    batch_rows: int = BATCH_ROWS,
    progress: Callable[[int], None] | None = None,
) -> IngestResult:
    """Check, validate and upsert one extract; ExtractRefused (nothing written) on a file-level
    failure. `progress(rows_loaded)` is called after each batch reaches the database (on
    SQLite's fresh load: its scratch file), in this thread."""
    extract = check_extract(path, manifest)
    run, continued = _start_run(extract)
    report = _Rejects(rejects)
    rows = _Rows(extract, report, source=extract.producer[:40])
    try:
        if connection.vendor == "postgresql":
            result = _ingest_postgres(
                run, rows, extract, acting_user, batch_rows, progress, rejects
            )
        else:
            result = _ingest_sqlite(
                run, rows, extract, acting_user, batch_rows, progress, rejects, continued
            )
    except BaseException as exc:
        report.close(keep=False)
        _fail(run, exc)
        raise
    report.close(keep=True)
    return result


def _fail(run: IngestRun, exc: BaseException) -> None:
    """Mark a run that stopped on an error "failed", saying why, so no run is left "running"
    but one killed outright (which a re-run of the same file continues). What a failed run
    wrote is rolled back, or (a SQLite merge) committed groups a re-run upserts unchanged."""
    reason = f"failed: {type(exc).__name__}: {exc}"[:2000]
    try:
        IngestRun.objects.filter(pk=run.pk, status=IngestStatus.RUNNING).update(
            status=IngestStatus.FAILED, finished_at=timezone.now(), detail=reason
        )
    except DatabaseError:
        logger.exception("ingest run %s failed and could not be marked failed", run.pk)


def _ingest_postgres(
    run: IngestRun,
    rows: _Rows,
    extract: CheckedExtract,
    acting_user: User | None,
    batch_rows: int,
    progress: Callable[[int], None] | None,
    rejects: Path | None,
) -> IngestResult:
    clock = bulk.LoadClock.current()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])
        bulk.indexes_repair()
        fresh = bulk.registry_is_empty(lock=True)
        inserted, updated = bulk.postgres_load(
            (batch for batch, _ in rows.batches(batch_rows)),
            fresh=fresh,
            keep_phone=True,
            clock=clock,
            progress=progress,
            # An extract has no phone column (Muster keeps its own) and one producer.
            same_in_every_row={"phone": "", "source": rows.source},
        )
        return _finish(
            run,
            rows,
            extract,
            acting_user=acting_user,
            inserted=inserted,
            updated=updated,
            rejects=rejects,
        )


def _load_group(
    batches: Iterator[tuple[pl.DataFrame, int]],
    rows: _Rows,
    *,
    done: int,
    clock: bulk.LoadClock,
) -> tuple[int, int, int, int] | None:
    """Load batches until SQLITE_GROUP_ROWS rows are in (inside the caller's transaction);
    (rows loaded, rows of the file read, inserted, updated), or None when none were left.
    Batches an interrupted run already committed (file rows up to `done`) are skipped."""
    loaded = read = inserted = updated = 0
    for batch, read in batches:
        if read <= done:
            continue
        todo = batch.filter(rows.position() >= done)
        if todo.height:
            i, u = bulk.sqlite_load_batch(todo, fresh=False, keep_phone=True, clock=clock)
            loaded, inserted, updated = loaded + todo.height, inserted + i, updated + u
        if loaded >= SQLITE_GROUP_ROWS:
            break
    return (loaded, read, inserted, updated) if read > done else None


def _sqlite_fresh(
    rows: _Rows,
    batch_rows: int,
    clock: bulk.LoadClock,
    progress: Callable[[int], None] | None,
    stage: sqlite_stage.Stage | None,
) -> int:
    """Every row straight into the empty registry with its indexes dropped and rebuilt, inside
    the caller's transaction (a kill rolls all of it back); inserted. Through the `stage`'s
    scratch files when there is one, else executemany."""
    bulk.loaded_tables_indexes_drop()
    with closing(bulk.prefetch(rows.batches(batch_rows))) as batches:
        prepared = (batch for batch, _ in batches)
        if stage is not None:
            inserted = stage.load(
                prepared, clock=clock, progress=progress, expected=rows.extract.rows
            )
        else:
            inserted = 0
            for batch in prepared:
                # Python objects are built here, not in the producer: a thread holding the
                # GIL would stall the executemany each time it takes the GIL back after a row.
                inserted += bulk.sqlite_insert_fresh(bulk.sqlite_rows(batch), clock=clock)
                if progress:
                    progress(inserted)
    bulk.indexes_repair()
    return inserted


def _sqlite_finish(
    run: IngestRun,
    rows: _Rows,
    extract: CheckedExtract,
    acting_user: User | None,
    rejects: Path | None,
    *,
    inserted: int,
    updated: int,
) -> IngestResult:
    if inserted + updated >= 10_000:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {bulk.PERSON}")
    return _finish(
        run,
        rows,
        extract,
        acting_user=acting_user,
        inserted=inserted,
        updated=updated,
        rejects=rejects,
    )


def _ingest_sqlite(
    run: IngestRun,
    rows: _Rows,
    extract: CheckedExtract,
    acting_user: User | None,
    batch_rows: int,
    progress: Callable[[int], None] | None,
    rejects: Path | None,
    continued: bool,
) -> IngestResult:
    clock = bulk.LoadClock.current()
    # Rows of the file whose groups an interrupted merge already committed.
    done = run.rows_read if continued else 0
    with bulk.sqlite_load_pragmas():
        if done == 0 and bulk.registry_is_empty(lock=False):
            # The scratch files and the journal mode of a fresh load outlive its transaction.
            with sqlite_stage.scratch() as stage, transaction.atomic():
                if bulk.registry_is_empty(lock=False):  # still, now that this one writes
                    inserted = _sqlite_fresh(rows, batch_rows, clock, progress, stage)
                    return _sqlite_finish(
                        run, rows, extract, acting_user, rejects, inserted=inserted, updated=0
                    )
        with transaction.atomic():
            bulk.indexes_repair()  # in case an older version's killed run left them dropped
        _sqlite_merge(run, rows, batch_rows, clock, progress, done=done)
        with transaction.atomic():
            run.refresh_from_db()
            return _sqlite_finish(
                run, rows, extract, acting_user, rejects, inserted=run.inserted, updated=run.updated
            )


def _sqlite_merge(
    run: IngestRun,
    rows: _Rows,
    batch_rows: int,
    clock: bulk.LoadClock,
    progress: Callable[[int], None] | None,
    *,
    done: int,
) -> None:
    """Stage and upsert the rows, one transaction per group of batches, each recording in the
    run how far it got, so a re-run after a kill continues from there."""
    loaded = 0
    with closing(bulk.prefetch(rows.batches(batch_rows))) as batches:
        while True:
            with transaction.atomic():
                group = _load_group(batches, rows, done=done, clock=clock)
                if group is None:
                    return
                count, done, inserted, updated = group
                IngestRun.objects.filter(pk=run.pk).update(
                    rows_read=done,
                    inserted=F("inserted") + inserted,
                    updated=F("updated") + updated,
                )
            loaded += count
            if progress:
                progress(loaded)
