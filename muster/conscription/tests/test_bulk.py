"""An ended deferral puts the man back on his commune's worklist (MSL Art. 41(3)); re-runs are
safe (both databases)."""

from __future__ import annotations

from datetime import date
from io import StringIO
from typing import Any

import pytest
from django.utils import timezone

from muster.accounts.tests.factories import World, build_world
from muster.conscription.bulk import deferral_worklist_refresh
from muster.conscription.management.callup import refresh_worklists
from muster.conscription.models import GroundDecision
from muster.people.models import LifeStatus
from muster.people.tests.factories import make_person
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind

TODAY = date(2026, 3, 1)


@pytest.fixture
def world(db) -> World:
    return build_world()


def defer(
    person: Any,
    code: str = "DEF_STUDENT",
    decided_on: date = date(2025, 9, 1),
    until: date | None = date(2026, 2, 1),
    kind: str = "deferral",
) -> GroundDecision:
    return GroundDecision.objects.create(
        person=person, kind=kind, ground_code=code, decided_on=decided_on, valid_until=until
    )


def test_ended_deferrals_open_one_item_each_on_the_residence_commune(world):
    c1, _c2, c3 = world.communes
    ended = make_person(c3, "Lê Văn An", birth_date=date(2004, 1, 1))
    defer(ended)
    still = make_person(c1, "Lê Văn Bình", birth_date=date(2004, 1, 1))
    defer(still, until=date(2026, 3, 1))  # valid until today: still holds
    renewed = make_person(c1, "Lê Văn Cường", birth_date=date(2004, 1, 1))
    defer(renewed)
    defer(renewed, code="DEF_SOLE_CARER", decided_on=date(2026, 2, 2), until=None)
    long_ago = make_person(c1, "Lê Văn Dũng", birth_date=date(2003, 1, 1))
    defer(long_ago, decided_on=date(2023, 9, 1), until=date(2024, 6, 30))
    exempt = make_person(c1, "Lê Văn Em", birth_date=date(2004, 1, 1))
    defer(exempt, code="EX_CIPHER", kind="exemption", until=date(2026, 1, 1))
    dead = make_person(c1, "Lê Văn Phúc", birth_date=date(2004, 1, 1))
    dead.life_status, dead.died_on = LifeStatus.DEAD, date(2026, 2, 10)
    dead.save()
    defer(dead)

    counts = deferral_worklist_refresh(today=TODAY)
    assert (counts.ended, counts.opened) == (1, 1)
    item = WorkItem.objects.get(kind=Kind.DEFERRAL_ENDED)
    assert (item.person, item.commune, item.key) == (ended, c3, "DEF_STUDENT@2026-02-01")
    assert item.detail["valid_until"] == "2026-02-01"
    assert item.due_on == date(2026, 2, 2)

    again = deferral_worklist_refresh(today=TODAY)
    assert (again.ended, again.opened) == (1, 0)
    assert WorkItem.objects.filter(kind=Kind.DEFERRAL_ENDED).count() == 1


def test_a_resolved_item_is_not_opened_again(world):
    person = make_person(world.communes[0], "Lê Văn An", birth_date=date(2004, 1, 1))
    defer(person)
    deferral_worklist_refresh(today=TODAY)
    WorkItem.objects.update(resolved_at=timezone.now())
    assert deferral_worklist_refresh(today=TODAY).opened == 0
    assert WorkItem.objects.get().resolved_at is not None


def test_the_subcommand_reports_counts(world):
    defer(make_person(world.communes[0], "Lê Văn An", birth_date=date(2004, 1, 1)))
    out = StringIO()
    assert refresh_worklists.handle({"today": TODAY}, out) == 0
    assert "work items opened: 1" in out.getvalue()
