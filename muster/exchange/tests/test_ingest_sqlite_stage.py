"""An extract ingest with bad rows through the SQLite fresh load's scratch files
(people.sqlite_stage) ends exactly as through executemany: the same result, rejects, persons
and periods; nothing left attached or on disk. Real SQLite, transactional (the stage is used
only when the load owns the outermost transaction)."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connection, transaction

from muster.exchange import signing
from muster.exchange.actions import producer_key_trust
from muster.exchange.ingest import extract_ingest
from muster.exchange.tests.ingest_support import (
    PRODUCER,
    csv_bytes,
    set_cell,
    signed_extract,
    text_frame,
)
from muster.people.models import Person, ResidencePeriod
from muster.people.tests.factories import make_world

pytestmark = [
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite fresh-load path"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def scratch_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the scratch directories go during the test (to see that none is left)."""
    directory = tmp_path / "scratch"
    directory.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(directory))
    return directory


def _attached() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA database_list")
        return [row[1] for row in cursor.fetchall() if row[1] not in {"main", "temp"}]


@contextmanager
def _statements() -> Iterator[list[str]]:
    seen: list[str] = []

    def record(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        seen.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(record):
        yield seen


def _ingested(path: Path) -> dict[str, Any]:
    result = extract_ingest(path, rejects=path.with_name("rejects.csv"), batch_rows=7)
    with path.with_name("rejects.csv").open(encoding="utf-8", newline="") as handle:
        rejects = list(csv.reader(handle))
    persons = Person.objects.order_by("personal_id").values_list(
        "personal_id", "full_name", "birth_date", "residence_commune_id", "life_status", "died_on"
    )
    return {
        "result": {k: v for k, v in vars(result).items() if k != "run_id"},
        "rejects": rejects,
        "persons": list(persons),
        "periods": sorted(ResidencePeriod.objects.values_list("person__personal_id", "commune")),
    }


def test_ingest_with_bad_rows_ends_as_through_executemany(tmp_path, scratch_dir):
    make_world()
    key = Ed25519PrivateKey.generate()
    producer_key_trust(
        pem=signing.public_pem(key.public_key()), producer=PRODUCER, acting_user=None
    )
    frame = text_frame(40)
    frame = set_cell(frame, 2, birth_date="2025-02-30")
    frame = set_cell(frame, 5, residence_commune_code="99999")
    frame = set_cell(frame, 9, life_status="dead", died_on="2020-01-01")
    frame = set_cell(frame, 11, sex="X")
    frame = pl.concat([frame, frame.slice(3, 1), set_cell(frame.slice(6, 1), 0, full_name="Khác")])
    path = signed_extract(tmp_path, csv_bytes(frame), key=key, rows=frame.height)

    with transaction.atomic():  # inside a transaction it does not own: executemany
        with _statements() as seen:
            through_executemany = _ingested(path)
        assert not any(s.startswith("ATTACH") for s in seen)
        transaction.set_rollback(True)
    with _statements() as seen:
        through_stage = _ingested(path)
    assert any(s.startswith("ATTACH") for s in seen)

    assert through_stage == through_executemany
    assert through_stage["result"]["rejected"] == 5
    # Rows 3, 6, 12 and 7 rejected, as is the conflicting copy of 7; the identical copy skipped.
    assert len(through_stage["persons"]) == 36
    assert _attached() == []
    assert list(scratch_dir.iterdir()) == []
