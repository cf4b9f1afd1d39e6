"""The person page as one record: service, militia, reserve, worklist items, orders and
household members, each section linked to its page, read in a fixed number of queries, and the
household's members logged as read."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from muster.audit.models import ReadEvent
from muster.militia import actions as militia_actions
from muster.people.models import Person
from muster.people.queries import PERSON_TYPE
from muster.readiness.tests.factories import PASSWORD, World, build_world, person
from muster.reserve.models import ReserveMembership
from muster.worklists import actions as worklist_actions
from muster.worklists.rules import Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def _household(world: World, n: int, start: int = 10) -> list[Person]:
    """`n` members of An's household in his commune, and one in another commune."""
    Person.objects.filter(pk=world.an.pk).update(household_id="HH-1")
    members = [
        person(
            personal_id=f"0912010000{start + i}",
            full_name=f"Nguyễn Thị Mai {i}",
            sex="F",
            birth_date=date(2001, 1, 1 + i),
            commune=world.c1,
        )
        for i in range(n)
    ]
    Person.objects.filter(pk__in=[m.pk for m in members]).update(household_id="HH-1")
    away = person(
        personal_id=f"0912010001{start}",
        full_name="Nguyễn Văn Xa",
        sex="M",
        birth_date=date(2001, 2, 2),
        commune=world.c3,
    )
    Person.objects.filter(pk=away.pk).update(household_id="HH-1")
    return members


def _records(world: World) -> None:
    militia_actions.militia_join(
        person=world.an,
        unit=world.cc1,
        joined_on=date(2025, 8, 1),
        force_kind="mobile",
        acting_user=None,
    )
    # Straight through the ORM: the page shows what is recorded, whatever the entry rules.
    ReserveMembership.objects.create(
        person=world.an, category=2, basis_code="RES_CAT2_D", valid_from=date(2025, 9, 1)
    )
    worklist_actions.work_item_open(
        kind=Kind.TRANSFER_OUT,
        person=world.an,
        commune=world.c1,
        source="manual",
        key="a",
        due_on=date(2026, 1, 5),
        acting_user=None,
    )
    # On a commune the commune user does not cover: the page leaves it out for them.
    worklist_actions.work_item_open(
        kind=Kind.TRANSFER_IN,
        person=world.an,
        commune=world.c3,
        source="manual",
        key="b",
        due_on=date(2026, 1, 5),
        acting_user=None,
    )


def _page(client: Client, world: World, username: str) -> str:
    assert client.login(username=username, password=PASSWORD)
    response = client.get(reverse("web:person_detail", args=[world.an.personal_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_every_section_is_shown_and_linked(client: Client, world: World) -> None:
    members = _household(world, 2)
    _records(world)
    text = _page(client, world, world.commune_user.username)
    militia = text.split('id="person-militia"')[1].split("</section>")[0]
    assert reverse("militia:roster", args=[world.cc1.code]) in militia
    assert "01/08/2025" in militia
    reserve = text.split('id="reserve-section"')[1].split("</section>")[0]
    assert "01/09/2025" in reserve
    work = text.split('id="person-work-items"')[1].split("</section>")[0]
    # The commune's own transfer out (joining the militia may add an item of its own).
    assert "kind=transfer_out" in work
    assert "05/01/2026" in work
    assert world.c3.name not in work
    household = text.split('id="person-household"')[1].split("</section>")[0]
    for member in members:
        assert reverse("web:person_detail", args=[member.personal_id]) in household
    assert "091201000110" not in household  # lives outside the commune user's jurisdiction
    # The military-service section (orders and active service among it) loads by HTMX.
    assert reverse("conscription:person_service", args=[world.an.pk]) in text


def test_the_province_sees_the_other_communes_items_and_members(
    client: Client, world: World
) -> None:
    _household(world, 1)
    _records(world)
    text = _page(client, world, world.province_user.username)
    work = text.split('id="person-work-items"')[1].split("</section>")[0]
    assert world.c3.name in work
    assert "091201000110" in text


def test_household_members_shown_are_logged(client: Client, world: World) -> None:
    members = _household(world, 3)
    _page(client, world, world.commune_user.username)
    logged = set(
        ReadEvent.objects.filter(target_type=PERSON_TYPE).values_list("target_id", flat=True)
    )
    assert logged == {str(world.an.pk), *(str(m.pk) for m in members)}


def test_queries_do_not_grow_with_the_records(client: Client, world: World) -> None:
    """One query per section: six household members and more worklist items cost what one
    member and the first items cost."""
    assert client.login(username=world.province_user.username, password=PASSWORD)
    url = reverse("web:person_detail", args=[world.an.personal_id])
    _household(world, 1)
    _records(world)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _household(world, 5, start=20)
    for key in ("c", "d", "e"):
        worklist_actions.work_item_open(
            kind=Kind.REGISTER_CORRECTION,
            person=world.an,
            commune=world.c1,
            source="manual",
            key=key,
            acting_user=None,
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
