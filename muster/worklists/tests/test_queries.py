"""Worklist reads are scoped to the user's communes."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from muster.accounts.models import Role, User
from muster.core.errors import NotFound
from muster.people.tests.factories import make_person
from muster.worklists import actions, queries
from muster.worklists.rules import Kind


@pytest.fixture
def items(world):
    made = {}
    for i, commune in enumerate(world.communes):
        person = make_person(commune, f"Lê Văn {'ABC'[i]}", birth_date=date(2009, 5, 1))
        made[commune.code] = actions.work_item_open(
            kind=Kind.DUE_FIRST_REGISTRATION,
            person=person,
            commune=commune,
            key="2026",
            year=2026,
            source="refresh",
            acting_user=None,
        ).item
    death = actions.work_item_open(
        kind=Kind.DECEASED,
        person=made["99001"].person or make_person(world.communes[0]),
        commune=world.communes[0],
        source="feed",
        acting_user=None,
    ).item
    made["death"] = death
    return made


def test_commune_area_province_see_their_communes(world, items):
    commune = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    area = world.user("kv1", Role.AREA_STAFF, world.areas[0])
    province = world.user("tinh", Role.PROVINCE_STAFF, world.provincial)

    def communes(user: User, **kw: Any) -> list[str]:
        return sorted(item.commune.code for item in queries.worklist_items(user, **kw))

    assert communes(commune) == ["99001", "99001"]
    assert communes(area) == ["99001", "99001", "99002"]
    assert communes(province) == ["99001", "99001", "99002", "99003"]
    assert communes(province, kind=Kind.DECEASED) == ["99001"]
    assert communes(province, commune_code="99003") == ["99003"]
    assert communes(commune, commune_code="99003") == []


def test_counts_and_open_only(world, items):
    area = world.user("kv1", Role.AREA_STAFF, world.areas[0])
    counts = queries.worklist_counts(area)
    assert counts == {
        **dict.fromkeys(Kind.ALL, 0),
        Kind.DUE_FIRST_REGISTRATION: 2,
        Kind.DECEASED: 1,
    }
    actions.work_item_resolve(item=items["99002"], note="", acting_user=None)
    assert queries.worklist_counts(area)[Kind.DUE_FIRST_REGISTRATION] == 1
    assert queries.worklist_counts(area, commune_code="99002")[Kind.DUE_FIRST_REGISTRATION] == 0
    assert len(queries.worklist_items(area, open_only=False)) == 3


def test_access_item_out_of_scope_is_not_found(world, items):
    commune = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    assert queries.access_work_item(commune, items["99001"].pk) == items["99001"]
    with pytest.raises(NotFound):
        queries.access_work_item(commune, items["99003"].pk)
    with pytest.raises(NotFound):
        queries.access_work_item(commune, 10**9)


def test_filter_communes_are_the_users(world):
    area = world.user("kv2", Role.AREA_STAFF, world.areas[1])
    assert [u.code for u in queries.worklist_communes(area)] == ["99003"]
