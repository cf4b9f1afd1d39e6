"""Bulk loads: counts, idempotency (run twice → no change), errors naming rows. Both DBs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import polars as pl
import pytest
from django.utils import timezone

from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput
from muster.people.bulk import persons_load_frame
from muster.people.models import Person, ResidencePeriod
from muster.people.tests.factories import register_frame

CODES = ["00001", "00002", "00003"]


@pytest.fixture
def frame(world):
    return register_frame(500, CODES)


def test_load_twice_changes_nothing_the_second_time(world, frame):
    seen: list[int] = []
    first = persons_load_frame(
        frame, source="popreg", acting_user=world.admin, progress=seen.append
    )
    assert (first.read, first.inserted, first.updated, first.unchanged) == (500, 500, 0, 0)
    assert seen[-1] == 500
    assert ResidencePeriod.objects.count() == 500
    before = dict(Person.objects.values_list("personal_id", "updated_at"))

    second = persons_load_frame(frame, source="popreg", acting_user=world.admin)
    assert (second.inserted, second.updated, second.unchanged) == (0, 0, 500)
    assert dict(Person.objects.values_list("personal_id", "updated_at")) == before
    assert ResidencePeriod.objects.count() == 500

    events = AuditEvent.objects.filter(action="people.persons.bulk_loaded").order_by("id")
    assert [(e.data["inserted"], e.data["unchanged"]) for e in events] == [(500, 0), (0, 500)]


def test_loaded_rows_match_the_single_row_rules(world, frame):
    persons_load_frame(frame.head(3), source="popreg")
    row = frame.row(0, named=True)
    person = Person.objects.get(personal_id=row["personal_id"])
    assert person.full_name == row["full_name"]
    from muster.people import rules

    assert person.search_key == rules.search_key(row["full_name"])
    assert person.given_key == rules.given_key(row["full_name"])
    assert person.residence_commune.code == row["residence_commune_code"]
    assert person.id_warnings == ""
    assert person.source == "popreg"


def test_changed_rows_are_updated_and_movers_get_a_new_period(world, frame):
    persons_load_frame(frame, source="popreg")
    changed = frame.with_columns(
        residence_commune_code=pl.when(pl.int_range(pl.len()) < 5)
        .then(pl.lit("00003"))
        .otherwise(pl.col("residence_commune_code")),
        birth_date=pl.when(pl.int_range(pl.len()).is_between(5, 9))
        .then(pl.col("birth_date").dt.offset_by("1y"))
        .otherwise(pl.col("birth_date")),
    )
    movers = [
        r for r in frame.head(5).iter_rows(named=True) if r["residence_commune_code"] != "00003"
    ]
    result = persons_load_frame(changed, source="popreg")
    assert (result.inserted, result.updated) == (0, len(movers) + 5)
    today = timezone.localdate()
    mover = Person.objects.get(personal_id=movers[0]["personal_id"])
    periods = list(
        mover.residences.order_by("id").values_list("commune__code", "valid_from", "valid_to")
    )
    assert periods == [
        (movers[0]["residence_commune_code"], None, today - timedelta(days=1)),
        ("00003", today, None),
    ]
    shifted = Person.objects.get(personal_id=frame["personal_id"][5])
    assert shifted.id_warnings == "ID_BIRTH_YEAR_MISMATCH"
    again = persons_load_frame(changed, source="popreg")
    assert (again.inserted, again.updated) == (0, 0)
    assert mover.residences.count() == 2


def test_unknown_commune_names_the_row(world, frame):
    bad = frame.with_columns(
        residence_commune_code=pl.when(pl.int_range(pl.len()) == 41)
        .then(pl.lit("99999"))
        .otherwise(pl.col("residence_commune_code"))
    )
    with pytest.raises(InvalidInput) as exc:
        persons_load_frame(bad, source="popreg")
    [error] = exc.value.errors
    assert (error.field, error.code) == ("row 42: residence_commune_code", "COMMUNE_NOT_2025")
    assert error.params == {"personal_id": frame["personal_id"][41], "code": "99999"}
    assert not Person.objects.exists()


def test_bad_rows_are_all_reported(world, frame):
    bad = frame.head(4).with_columns(
        personal_id=pl.Series(["1", "001200000001", "001200000001", "001200000003"]),
        sex=pl.Series(["M", "X", "M", "F"]),
        life_status=pl.Series(["alive", "alive", "dead", "alive"]),
        birth_date=pl.Series(
            [date(1990, 1, 1), date(1990, 1, 1), date(1990, 1, 1), date(3000, 1, 1)]
        ),
    )
    with pytest.raises(InvalidInput) as exc:
        persons_load_frame(bad, source="popreg")
    got = {(e.field, e.code) for e in exc.value.errors}
    assert got == {
        ("row 1: personal_id", "PERSONAL_ID_FORMAT"),
        ("row 2: personal_id", "PERSONAL_ID_REPEATED"),
        ("row 3: personal_id", "PERSONAL_ID_REPEATED"),
        ("row 2: sex", "SEX_INVALID"),
        ("row 3: died_on", "DIED_ON_REQUIRED"),
        ("row 4: birth_date", "DATE_IN_FUTURE"),
    }


def test_missing_columns(world, frame):
    with pytest.raises(InvalidInput) as exc:
        persons_load_frame(frame.drop("household_id"), source="popreg")
    assert "household_id" in str(exc.value)


def test_phone_is_kept_when_the_extract_has_none(world, frame):
    with_phone = frame.head(2).with_columns(phone=pl.lit("0900000000"))
    persons_load_frame(with_phone, source="popreg")
    result = persons_load_frame(frame.head(2), source="popreg")
    assert result.unchanged == 2
    assert set(Person.objects.values_list("phone", flat=True)) == {"0900000000"}


@pytest.mark.postgres_only
def test_postgres_search_uses_the_key_indexes(world, frame):
    from django.db import connection

    persons_load_frame(register_frame(5000, CODES), source="popreg")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")  # a tiny table would otherwise be scanned
        for column, index in (
            ("search_key", "person_search_key"),
            ("given_key", "person_given_key"),
        ):
            cursor.execute(
                f"EXPLAIN SELECT search_key, id FROM people_person WHERE {column} LIKE 'nguyen%%' "
                "ORDER BY search_key, id LIMIT 50"
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert index in plan, plan
        cursor.execute("RESET enable_seqscan")


def test_prefetch_yields_every_item_in_order():
    from muster.people.bulk import prefetch

    assert list(prefetch(iter(range(50)), depth=2)) == list(range(50))


def test_prefetch_raises_the_producers_error_after_its_items():
    from muster.people.bulk import prefetch

    def failing() -> Iterator[int]:
        yield 1
        raise ValueError("bad batch")

    seen: list[int] = []
    with pytest.raises(ValueError, match="bad batch"):
        seen.extend(prefetch(failing()))
    assert seen == [1]


def test_closing_prefetch_stops_and_closes_the_producer():
    import threading

    from muster.people.bulk import prefetch

    closed = threading.Event()

    def endless() -> Iterator[int]:
        try:
            n = 0
            while True:
                yield n
                n += 1
        finally:
            closed.set()

    items = prefetch(endless())
    assert next(items) == 0
    items.close()  # joins the producer thread
    assert closed.is_set()


@pytest.mark.postgres_only
def test_fresh_copy_stamps_every_row_and_leaves_no_column_default(world, frame):
    from django.db import connection

    started = timezone.now()
    persons_load_frame(frame, source="popreg")
    stamps = set(Person.objects.values_list("created_at", "updated_at"))
    assert len(stamps) == 1  # one load, one timestamp
    created, updated = stamps.pop()
    assert created == updated
    assert created >= started - timedelta(seconds=1)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name, column_default FROM information_schema.columns "
            "WHERE table_name = 'people_person' AND column_name IN ('created_at', 'updated_at')"
        )
        assert dict(cursor.fetchall()) == {"created_at": None, "updated_at": None}


@pytest.mark.postgres_only
def test_fresh_load_drops_the_primary_key_only_where_no_foreign_key_points(world):
    from django.db import connection, transaction

    from muster.people import bulk

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the world's units are checked now
        bulk.loaded_tables_indexes_drop()
        missing = bulk.indexes_missing()
        # Residence periods: nothing refers to them. Persons: a dozen tables do.
        assert "people_residenceperiod_pkey" in missing
        assert "people_person_pkey" not in missing
        assert "people_residenceperiod_pkey" in bulk.indexes_repair()
    assert bulk.indexes_missing() == []
