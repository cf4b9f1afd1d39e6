"""The frame API (the demo builder, the legacy demo and the benchmarks): `persons_load_frame`
checks a whole frame and loads it on either backend in one audited transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import polars as pl
from django.db import connection, transaction
from django.utils import timezone

from muster import audit
from muster.geo.models import Edition
from muster.people.bulk.checks import prepare_frame
from muster.people.bulk.indexes import indexes_repair, loaded_tables_indexes_drop
from muster.people.bulk.postgres import postgres_load
from muster.people.bulk.shared import (
    PERSON,
    RESIDENCE,
    LoadClock,
    last_person_id,
    registry_is_empty,
)
from muster.people.bulk.sqlite import sqlite_load_batch

if TYPE_CHECKING:
    from muster.accounts.models import User

BATCH_ROWS = 100_000


@dataclass(frozen=True)
class BulkResult:
    """What a load did: rows read, and how many persons were inserted, updated, left alone."""

    read: int
    inserted: int
    updated: int
    unchanged: int


def _chunks(frame: pl.DataFrame, size: int) -> Iterator[pl.DataFrame]:
    for offset in range(0, frame.height, size):
        yield frame.slice(offset, size)


def persons_load_frame(
    frame: pl.DataFrame,
    *,
    source: str,
    acting_user: User | None = None,
    progress: Callable[[int], None] | None = None,
    edition: str = Edition.V2025,
    periods_from: date | None = None,
) -> BulkResult:
    """Upsert a population-register extract by personal_id; idempotent; audited once.

    Columns: personal_id, full_name, sex, birth_date (Date), ethnicity, residence_commune_code
    (2025 code), address, household_id, life_status, died_on (Date, null when alive), and
    optionally phone (without it, phones Muster recorded are kept). New persons get an open
    ResidencePeriod; persons whose commune changed get the old period closed yesterday and a
    new one from today. `progress(rows_loaded)` is called per batch. One transaction: a
    failure leaves the registry as it was. An empty registry takes the fresh-load path.

    `edition`: the edition of the residence commune codes (the legacy demo loads people as
    they lived before 2025-07-01). `periods_from`: the open periods of new persons start that
    day, or at birth if later, instead of at an unknown date.
    """
    prepared = prepare_frame(frame, source=source, edition=edition)
    keep_phone = "phone" not in frame.columns
    clock = LoadClock.current()
    with transaction.atomic():
        floor = last_person_id() if periods_from is not None else 0
        if connection.vendor == "postgresql":
            fresh = registry_is_empty(lock=True) and prepared.height > 0
            inserted, updated = postgres_load(
                _chunks(prepared, BATCH_ROWS),
                fresh=fresh,
                keep_phone=keep_phone,
                clock=clock,
                progress=progress,
            )
        else:
            indexes_repair()
            # Dropping and rebuilding indexes pays off only for a large load.
            fresh = registry_is_empty(lock=False) and prepared.height >= 50_000
            if fresh:
                loaded_tables_indexes_drop()
            inserted = updated = done = 0
            for chunk in _chunks(prepared, BATCH_ROWS):
                i, u = sqlite_load_batch(chunk, fresh=fresh, keep_phone=keep_phone, clock=clock)
                inserted, updated, done = inserted + i, updated + u, done + chunk.height
                if progress:
                    progress(done)
            if fresh:
                indexes_repair()
        if periods_from is not None:
            _open_periods_start(after_person=floor, day=periods_from)
        if connection.vendor != "postgresql" and inserted + updated >= 10_000:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {PERSON}")
                cursor.execute(f"ANALYZE {RESIDENCE}")
        result = BulkResult(
            read=frame.height,
            inserted=inserted,
            updated=updated,
            unchanged=frame.height - inserted - updated,
        )
        audit.record(
            "people.persons.bulk_loaded",
            actor=acting_user,
            target=("people.person", "*"),
            data={
                "source": source,
                **({"edition": edition} if edition != Edition.V2025 else {}),
                "read": result.read,
                "inserted": result.inserted,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "loaded_on": timezone.localdate().isoformat(),
            },
        )
    return result


def _open_periods_start(*, after_person: int, day: date) -> None:
    """Open residence periods without a start, of persons with id > `after_person` (this
    load's new persons): from `day`, or the birth date if later."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {RESIDENCE} SET valid_from = CASE WHEN p.birth_date > %s "
            f"THEN p.birth_date ELSE %s END FROM {PERSON} p "
            f"WHERE p.id = {RESIDENCE}.person_id AND {RESIDENCE}.valid_from IS NULL "
            f"AND {RESIDENCE}.valid_to IS NULL AND p.id > %s",
            [day, day, after_person],
        )
