"""The participant registry and the SQL helpers of the journal (core.restructuring), on the
database of the run (SQLite or PostgreSQL)."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import Group
from django.db import connection

from muster.core.restructuring import (
    Participant,
    PlanCounts,
    date_ordinal_sql,
    fresh_ids_sql,
    ordinal_date_sql,
    participants,
    register_participant,
    unregister_participant,
)


def _nothing(*args: object) -> dict[str, int]:
    return {}


def _probe(name: str, *, batched: bool = False) -> Participant:
    return Participant(
        name, plan=lambda journal: PlanCounts(), apply=_nothing, revert=_nothing, batched=batched
    )


def test_batched_participants_come_first_then_by_name():
    register_participant(_probe("aaa"))
    register_participant(_probe("zzz", batched=True))
    register_participant(_probe("zzz", batched=True))  # a reloaded app: replaced, not doubled
    try:
        names = [p.name for p in participants()]
        assert names.count("zzz") == 1
        batched = [p.name for p in participants() if p.batched]
        assert names[: len(batched)] == sorted(batched)
        assert names[len(batched) :] == sorted(names[len(batched) :])
        assert names.index("aaa") == len(batched)
    finally:
        unregister_participant("aaa")
        unregister_participant("zzz")
    assert {"aaa", "zzz"}.isdisjoint(p.name for p in participants())


@pytest.mark.django_db
@pytest.mark.parametrize("day", [date(1, 1, 1), date(2025, 6, 30), date(2025, 7, 1), None])
def test_dates_travel_as_python_ordinals(day):
    ordinal = day.toordinal() if day else None
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE core_ordinal_probe (d date, o bigint)")
        cursor.execute(
            "INSERT INTO core_ordinal_probe (d, o) VALUES (%s, %s)",
            [connection.ops.adapt_datefield_value(day), ordinal],
        )
        cursor.execute(
            f"SELECT {date_ordinal_sql('d')}, {ordinal_date_sql('o')} FROM core_ordinal_probe"
        )
        (to_ordinal, back) = cursor.fetchone()
        cursor.execute("DROP TABLE core_ordinal_probe")
    assert to_ordinal == ordinal
    assert (date.fromisoformat(back) if isinstance(back, str) else back) == day


@pytest.mark.django_db
def test_fresh_ids_follow_every_id_ever_given():
    groups = [Group.objects.create(name=f"g{i}") for i in range(3)]
    highest = groups[-1].pk
    groups[-1].delete()  # its id is never given again
    table = Group._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {fresh_ids_sql(table, 'x.n')} AS id FROM "
            "(SELECT 'a' AS n UNION ALL SELECT 'b') x"
        )
        ids = sorted(row[0] for row in cursor.fetchall())
        assert len(set(ids)) == 2
        assert ids[0] > highest
        for new_id in ids:
            cursor.execute(
                f"INSERT INTO {table} (id, name) VALUES (%s, %s)", [new_id, f"n{new_id}"]
            )
    later = Group.objects.create(name="later")  # and the table numbers on after them
    assert later.pk > ids[-1]
