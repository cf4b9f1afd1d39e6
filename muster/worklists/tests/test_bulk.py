"""The first-registration refresh is set-based and idempotent (both databases)."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent
from muster.people.models import LifeStatus, Person
from muster.people.tests.factories import make_person
from muster.worklists.bulk import RefreshCounts, worklist_refresh_registration
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind

YEAR = 2026


def _population(world: World) -> dict[str, Person]:
    c1, c2, c3 = world.communes
    people = {
        "first_day": make_person(c1, "Lê Văn An", birth_date=date(2009, 1, 1)),
        "last_day": make_person(c2, "Lê Văn Bình", birth_date=date(2009, 12, 31)),
        "other_area": make_person(c3, "Lê Văn Cường", birth_date=date(2009, 6, 1)),
        "too_young": make_person(c1, "Lê Văn Em", birth_date=date(2010, 1, 1)),
        "woman": make_person(c1, "Lê Thị Hoa", sex="F", birth_date=date(2009, 6, 1)),
        # Past service age (46 this year) and never registered: no longer listed.
        "past_service_age": make_person(c1, "Lê Văn Giang", birth_date=date(1980, 12, 31)),
    }
    return people


def _due() -> set[tuple[int | None, int]]:
    qs = WorkItem.objects.filter(kind=Kind.DUE_FIRST_REGISTRATION, year=YEAR)
    return {(i.person_id, i.commune_id) for i in qs}


def test_refresh_creates_items_for_living_men_turning_17_or_never_registered_once(world):
    people = _population(world)
    dead = make_person(world.communes[0], "Lê Văn Chết", birth_date=date(2009, 3, 3))
    dead.life_status, dead.died_on = LifeStatus.DEAD, date(2025, 1, 1)
    dead.save()

    # Of service age (45 this year, 30 this year) and never registered: on the January list.
    oldest = make_person(world.communes[1], "Lê Văn Hải", birth_date=date(1981, 1, 1))
    thirty = make_person(world.communes[1], "Lê Văn Khoa", birth_date=date(1996, 7, 7))

    first = worklist_refresh_registration(year=YEAR)
    assert first == RefreshCounts(created=5, moved=0, withdrawn=0)
    assert _due() == {
        (people[k].pk, people[k].residence_commune_id)
        for k in ("first_day", "last_day", "other_area")
    } | {(oldest.pk, oldest.residence_commune_id), (thirty.pk, thirty.residence_commune_id)}
    item = WorkItem.objects.get(person=people["first_day"])
    assert (item.key, item.due_on, item.source, item.resolved_at) == (
        "2026",
        date(2026, 1, 31),
        "refresh",
        None,
    )
    assert AuditEvent.objects.filter(action="worklists.registration.refreshed").count() == 1

    # Run twice: nothing new, no second audit row.
    assert worklist_refresh_registration(year=YEAR) == RefreshCounts(0, 0, 0)
    assert WorkItem.objects.count() == 5
    assert AuditEvent.objects.filter(action="worklists.registration.refreshed").count() == 1


def test_refresh_limited_to_communes(world):
    people = _population(world)
    counts = worklist_refresh_registration(year=YEAR, commune_ids=[world.communes[2].pk])
    assert counts.created == 1
    assert _due() == {(people["other_area"].pk, world.communes[2].pk)}
    assert worklist_refresh_registration(year=YEAR, commune_ids=[]).created == 0


def test_refresh_never_recreates_a_resolved_item(world):
    _population(world)
    worklist_refresh_registration(year=YEAR)
    WorkItem.objects.update(resolved_at="2026-02-01T00:00:00Z", resolution_note="registered")
    assert worklist_refresh_registration(year=YEAR) == RefreshCounts(0, 0, 0)
    assert WorkItem.objects.count() == 3


def test_refresh_moves_items_after_their_man_and_withdraws_those_no_longer_due(world):
    people = _population(world)
    worklist_refresh_registration(year=YEAR)
    mover, died = people["first_day"], people["last_day"]
    mover.residence_commune = world.communes[2]  # e.g. an ingest loaded the move
    mover.save()
    died.life_status, died.died_on = LifeStatus.DEAD, date(2026, 1, 5)
    died.save()

    counts = worklist_refresh_registration(year=YEAR, commune_ids=[world.communes[0].pk])
    # The mover left commune 1 (in the set); the death is in commune 2 (outside it).
    assert counts == RefreshCounts(created=0, moved=1, withdrawn=0)
    assert WorkItem.objects.get(person=mover).commune == world.communes[2]

    counts = worklist_refresh_registration(year=YEAR)
    assert counts == RefreshCounts(created=0, moved=0, withdrawn=1)
    withdrawn = WorkItem.objects.get(person=died)
    assert withdrawn.resolved_at is not None
    assert withdrawn.resolved_by is None
    assert "Died" in withdrawn.resolution_note
    assert worklist_refresh_registration(year=YEAR) == RefreshCounts(0, 0, 0)


def test_refresh_source_is_recorded(world):
    _population(world)
    worklist_refresh_registration(year=YEAR, source="ingest")
    assert set(WorkItem.objects.values_list("source", flat=True)) == {"ingest"}


def test_command_refreshes_a_province_and_dry_runs(world):
    _population(world)
    out = StringIO()
    call_command(
        "worklists", "refresh", "--year", "2026", "--province", "99", "--dry-run", stdout=out
    )
    assert "dry run" in out.getvalue()
    assert "created 3" in out.getvalue()
    assert not WorkItem.objects.exists()
    call_command("worklists", "refresh", "--year", "2026", "--province", "99", stdout=out)
    assert WorkItem.objects.count() == 3
    with pytest.raises(CommandError):
        call_command("worklists", "refresh", "--province", "00", stdout=out)
