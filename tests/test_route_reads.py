"""Every page or API answer that shows a person's personal ID or full name logs the read.

For every route with a GET case in the scope matrix (`tests/test_route_scopes.py`, so a new
route is covered as soon as it has its scope case), the case's user asks for the in-scope
page; each person of the world whose personal ID or name the answer holds must be named by
a read event written during that request: a read of the person (`people.person`) or of the
appointment the person holds (`orgs.appointment`, a commander's ID on a commune's page).
Reads are logged where the data is read — the scoped query helpers (`people.queries.
persons_read`) — so a page that reads people some other way fails here.

A page's CSV download (its `export-csv` link) is checked the same way. PDFs and spreadsheets
are compressed, so their names cannot be looked for in the answer: their helpers log like the
rest, and `test_files_log_their_persons` checks two of them.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from muster.accounts.actions import api_token_issue
from muster.accounts.tests.factories import World
from muster.audit.models import ReadEvent
from muster.orgs.models import Appointment
from muster.people.models import Person
from muster.people.queries import PERSON_TYPE, persons_read
from tests.scope_support import IN_ID, scope_world
from tests.test_page_style import export_links
from tests.test_route_scopes import CASES

GET_CASES = sorted(name for name, case in CASES.items() if case.method == "get")


@pytest.fixture
def world(db) -> World:
    return scope_world()


def _named(reads: list[ReadEvent], person: Person) -> bool:
    """Whether one of `reads` names `person` (directly, or as the holder of an office)."""
    held = {
        str(pk)
        for pk in Appointment.objects.filter(holder_personal_id=person.personal_id).values_list(
            "pk", flat=True
        )
    }
    return any(
        (read.target_type == PERSON_TYPE and read.target_id == str(person.pk))
        or (read.target_type == "orgs.appointment" and read.target_id in held)
        for read in reads
    )


def unlogged(body: str, reads: list[ReadEvent]) -> list[str]:
    """The persons `body` shows (by personal ID, or by name: then any namesake) whom no read
    of `reads` names."""
    found = []
    for person in Person.objects.all():
        by_id = person.personal_id in body
        by_name = person.full_name in body
        if not (by_id or by_name):
            continue
        namesakes = Person.objects.filter(full_name=person.full_name)
        if by_id and _named(reads, person):
            continue
        if by_name and not by_id and any(_named(reads, p) for p in namesakes):
            continue
        found.append(f"{person.personal_id} {person.full_name}")
    return found


@pytest.mark.parametrize("route", GET_CASES)
def test_a_page_showing_people_logs_their_read(route, world):
    case = CASES[route]
    user = case.user(world, "reader")
    client = Client()
    client.force_login(user)
    headers = {"Authorization": f"Bearer {api_token_issue(user=user)}"} if case.api else {}
    last = ReadEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    response = client.get(case.in_path(world), headers=headers)
    assert response.status_code == case.in_status, (route, response.status_code)
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    missing = unlogged(body, list(ReadEvent.objects.filter(id__gt=last, actor=user)))
    assert not missing, f"{route} shows {missing} without logging the read"
    csv_link = (
        export_links(body).get("csv") if response["Content-Type"].startswith("text/html") else None
    )
    if csv_link:
        last = ReadEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        exported = client.get(csv_link)
        assert exported.status_code == 200, (route, csv_link)
        text = exported.content.decode("utf-8-sig")
        missing = unlogged(text, list(ReadEvent.objects.filter(id__gt=last, actor=user)))
        assert not missing, f"{route}'s CSV shows {missing} without logging the read"


def test_the_check_sees_a_page_that_forgot_the_log(world):
    """A page naming a person with no read logged is caught, by ID and by name."""
    person = Person.objects.get(personal_id=IN_ID)
    assert unlogged(f"<td>{IN_ID}</td>", []) == [f"{IN_ID} {person.full_name}"]
    assert unlogged(f"<td>{person.full_name}</td>", []) == [f"{IN_ID} {person.full_name}"]
    logged = ReadEvent(target_type=PERSON_TYPE, target_id=str(person.pk))
    assert unlogged(f"<td>{IN_ID} {person.full_name}</td>", [logged]) == []


def test_a_list_of_a_hundred_is_one_insert(world):
    for n in range(100):
        Person.objects.create(personal_id=f"0990900{n:05d}", full_name=f"Người {n}", sex="M",
                              birth_date=date(2000, 1, 1), residence_commune=world.communes[0])  # fmt: skip
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:100])
    with CaptureQueriesContext(connection) as ctx:
        persons_read(None, people, action="people.person.listed", channel="web")
    inserts = [q for q in ctx.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    assert ReadEvent.objects.filter(action="people.person.listed").count() == 100


def test_files_log_their_persons(world):
    """A batch's PDF and a candidate list's CSV name people: both log each of them."""
    from muster.conscription.models import OrderBatch

    user = world.user("printer", CASES["conscription:batch_pdf"].role, world.commune_commands[0])
    client = Client()
    client.force_login(user)
    batch = OrderBatch.objects.get(commune=world.communes[0], approved_at__isnull=False)
    assert client.get(f"/callup/batches/{batch.pk}/orders.pdf").status_code == 200
    reads = ReadEvent.objects.filter(actor=user, channel="pdf")
    expected = {str(o.person_id) for o in batch.orders.all()}
    assert expected
    assert set(reads.values_list("target_id", flat=True)) == expected
    path = CASES["conscription:candidates"].in_path(world) + "&export=xlsx"
    assert client.get(path)["Content-Type"].startswith("application/vnd.openxmlformats")
    listed = ReadEvent.objects.filter(actor=user, action="conscription.candidates.viewed")
    assert listed.filter(channel="xlsx").exists()
