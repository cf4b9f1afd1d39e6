"""The SQLite fresh load through an ADBC-written scratch file (people.sqlite_stage): rows,
periods and timestamps as the executemany path writes them; the scratch file detached and
deleted after the transaction, also when the load fails (an ingest with bad rows: in
exchange/tests/test_ingest_sqlite_stage.py). Real SQLite throughout, so transactional tests (no test transaction
around them: the stage is used only when the load owns the outermost transaction)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.db import connection, transaction

from muster.people import bulk, sqlite_stage
from muster.people.models import Person, ResidencePeriod
from muster.people.tests.factories import make_world, register_frame

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite fresh-load path"),
    pytest.mark.django_db(transaction=True),
]

NOW = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
CODES = ["00001", "00002", "00003"]  # make_world's communes


class Boom(Exception):
    pass


@pytest.fixture
def scratch_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the scratch directories go during the test (to see that none is left)."""
    directory = tmp_path / "scratch"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


def _prepared(n: int) -> pl.DataFrame:
    return bulk.prepare_frame(register_frame(n, CODES), source="test")


def _clock() -> bulk.LoadClock:
    clock = bulk.LoadClock.current()
    clock.now = NOW
    return clock


def _attached() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        return [row[1] for row in cursor.fetchall() if row[1] not in {"main", "temp"}]


def _load(batches: Iterator[pl.DataFrame], **kwargs: Any) -> int:
    """A fresh load as the ingest runs it: scratch around the transaction, indexes dropped."""
    with sqlite_stage.scratch() as stage, transaction.atomic():
        assert stage is not None
        bulk.loaded_tables_indexes_drop()
        inserted = stage.load(batches, clock=_clock(), **kwargs)
        bulk.indexes_repair()
        return inserted


def test_rows_periods_and_timestamps(scratch_dir):
    make_world()
    prepared = _prepared(250)
    seen: list[int] = []
    inserted = _load(iter([prepared.slice(0, 100), prepared.slice(100)]), progress=seen.append)
    assert inserted == 250
    assert seen == [100, 250]
    loaded = pl.DataFrame(
        list(Person.objects.order_by("id").values(*bulk.PERSON_COLUMNS)),
        schema=prepared.schema,
    )
    # Each batch in personal_id order (for the UNIQUE index), dates and nulls as they were.
    in_batch_order = pl.concat(
        [prepared.slice(0, 100).sort("personal_id"), prepared.slice(100).sort("personal_id")]
    )
    assert loaded.equals(in_batch_order)
    assert set(Person.objects.values_list("created_at", "updated_at")) == {(NOW, NOW)}
    periods = ResidencePeriod.objects.values_list(
        "person__personal_id", "commune_id", "address", "valid_from", "valid_to"
    )
    assert sorted(periods) == sorted(
        (pid, commune, address, None, None)
        for pid, commune, address in prepared.select(
            "personal_id", "residence_commune_id", "address"
        ).iter_rows()
    )
    assert bulk.indexes_missing() == []
    assert _attached() == []
    assert list(scratch_dir.iterdir()) == []


def test_many_files_at_most_groups_in_batch_order(scratch_dir, monkeypatch):
    make_world()
    monkeypatch.setattr(sqlite_stage, "MIN_FILE_ROWS", 1)
    prepared = _prepared(120)
    seen: list[int] = []
    with sqlite_stage.scratch() as stage, transaction.atomic():
        assert stage is not None
        bulk.loaded_tables_indexes_drop()
        batches = (prepared.slice(offset, 10) for offset in range(0, 120, 10))
        # 24 expected rows: 3 per file, so every 10-row batch fills one, until the last file
        # takes the rest.
        assert stage.load(batches, clock=_clock(), progress=seen.append, expected=24) == 120
        assert len(stage.attached) == sqlite_stage.GROUPS
        bulk.indexes_repair()
    assert seen == list(range(10, 130, 10))
    # Batch after batch, each in personal_id order.
    assert list(Person.objects.order_by("id").values_list("personal_id", flat=True)) == [
        pid
        for offset in range(0, 120, 10)
        for pid in sorted(prepared["personal_id"][offset : offset + 10])
    ]
    assert ResidencePeriod.objects.count() == 120
    assert _attached() == []
    assert list(scratch_dir.iterdir()) == []


def test_dead_person_keeps_died_on(scratch_dir):
    make_world()
    frame = register_frame(3, CODES).with_columns(
        life_status=pl.Series(["dead", "alive", "alive"]),
        died_on=pl.Series([date(2020, 5, 6), None, None], dtype=pl.Date),
    )
    _load(iter([bulk.prepare_frame(frame, source="test")]))
    dead = Person.objects.get(personal_id=frame["personal_id"][0])
    assert (dead.life_status, dead.died_on) == ("dead", date(2020, 5, 6))


def test_error_while_staging_is_raised_and_leaves_nothing(scratch_dir):
    make_world()
    prepared = _prepared(50)

    def failing() -> Iterator[pl.DataFrame]:
        yield prepared
        raise Boom("batch 2 unreadable")

    with pytest.raises(Boom, match="batch 2 unreadable"):
        _load(failing())
    assert not Person.objects.exists()
    assert bulk.indexes_missing() == []  # the drop was rolled back
    assert _attached() == []
    assert list(scratch_dir.iterdir()) == []


def _load_then_fail() -> None:
    with sqlite_stage.scratch() as stage, transaction.atomic():
        assert stage is not None
        stage.load(iter([_prepared(40)]), clock=_clock())
        assert Person.objects.count() == 40
        raise Boom("after the insert")


def test_error_after_the_insert_rolls_it_back_and_detaches(scratch_dir):
    make_world()
    with pytest.raises(Boom):
        _load_then_fail()
    assert not Person.objects.exists()
    assert not ResidencePeriod.objects.exists()
    assert _attached() == []
    assert list(scratch_dir.iterdir()) == []
    # The connection is usable for the next load, under the same schema name.
    assert _load(iter([_prepared(10)])) == 10


def test_no_stage_inside_a_transaction_it_does_not_enclose(scratch_dir):
    with transaction.atomic(), sqlite_stage.scratch() as stage:
        assert stage is None
    assert list(scratch_dir.iterdir()) == []
