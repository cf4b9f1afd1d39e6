"""The militia pages: Vietnamese by default, counts against target, a roster, `as_of`."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from muster.accounts.models import Role
from muster.militia import actions
from muster.people.tests.factories import make_person


@pytest.fixture
def client(world) -> Client:
    person = make_person(world.communes[0], "Hoàng Văn Dân", personal_id="099200000111")
    actions.militia_join(
        person=person,
        unit=world.commune_commands[0],
        joined_on=date(2025, 9, 1),
        force_kind="specialised",
        specialty="medical",
        acting_user=None,
    )
    actions.militia_target_set(
        unit=world.commune_commands[0], size=3, valid_from=date(2025, 7, 1), acting_user=None
    )
    client = Client()
    client.force_login(world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0]))
    return client


def test_index_lists_the_command_against_its_target(client):
    body = client.get("/militia/").content.decode()
    assert 'href="/militia/BCHQS-X-99001/"' in body
    assert "Dân quân" in body  # Vietnamese by default
    assert "<strong>2</strong>" in body  # 1 of 3: two short
    assert '<a href="/militia/" aria-current="page">' in body  # the nav link


def test_roster_page_and_an_earlier_day(client):
    body = client.get("/militia/BCHQS-X-99001/").content.decode()
    assert "Hoàng Văn Dân" in body
    assert "099200000111" in body
    assert "/persons/099200000111/" in body
    earlier = client.get("/militia/BCHQS-X-99001/?as_of=2025-08-31").content.decode()
    assert "099200000111" not in earlier
    assert 'value="2025-08-31"' in earlier
    # A nonsense date is today; the command outside the jurisdiction is not found.
    assert client.get("/militia/BCHQS-X-99001/?as_of=nope").status_code == 200
    assert client.get("/militia/BCHQS-X-99003/").status_code == 404


def test_english_on_request(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/militia/"})
    body = client.get("/militia/").content.decode()
    assert "Militia rosters kept by the commune military commands" in body


def test_roster_queries_do_not_grow_with_the_roster(world, client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/militia/BCHQS-X-99001/").status_code == 200
        return len(captured)

    queries()  # the first request also fills the scope cache
    few = queries()
    for n in range(5):
        actions.militia_join(
            person=make_person(world.communes[0], f"Vàng Văn {n}"),
            unit=world.commune_commands[0],
            joined_on=date(2025, 9, 2),
            force_kind="mobile",
            acting_user=None,
        )
    assert queries() == few


def test_commands_without_roster_or_target_are_listed_on_request(world):
    national = Client()
    national.force_login(world.user("qg", Role.ADMINISTRATOR, None))
    actions.militia_target_set(
        unit=world.commune_commands[1], size=2, valid_from=date(2025, 7, 1), acting_user=None
    )
    body = national.get("/militia/").content.decode()
    assert 'href="/militia/BCHQS-X-99002/"' in body  # a target, no members yet
    assert 'href="/militia/BCHQS-X-99003/"' not in body
    assert 'id="militia-hidden"' in body
    everything = national.get("/militia/?all=1").content.decode()
    assert 'href="/militia/BCHQS-X-99003/"' in everything
    assert 'id="militia-hidden"' not in everything


def test_the_command_list_comes_a_page_at_a_time(world, monkeypatch):
    from muster.militia import views

    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    national = Client()
    national.force_login(world.user("qg", Role.ADMINISTRATOR, None))
    first = national.get("/militia/?all=1").content.decode()
    assert 'rel="next" href="?all=1&amp;page=2"' in first
    assert first.count('href="/militia/BCHQS-X-') == 1
    last = national.get("/militia/?all=1&page=99").content.decode()
    assert 'rel="prev"' in last
    assert 'rel="next"' not in last
