"""Military-service records keep the worklists true, whichever path wrote them: the person
page, `muster import registrations`, a decision; and the worklists list only people the rule
concerns (conscription.worklist_hooks, worklists.settle)."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import World, build_world
from muster.audit.models import AuditEvent
from muster.conscription.actions.records import (
    ground_decision_record,
    registration_record,
    registration_remove,
)
from muster.conscription.models import Registration
from muster.people.models import Person
from muster.people.tests.factories import make_person
from muster.worklists import actions as work
from muster.worklists.bulk import worklist_refresh_registration
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind
from muster.worklists.settle import person_on_register, person_registered

TODAY = timezone.localdate()
YEAR = TODAY.year


@pytest.fixture
def world(db) -> World:
    return build_world()


def _due_item(person: Person) -> WorkItem:
    worklist_refresh_registration(year=YEAR)
    return WorkItem.objects.get(person=person, kind=Kind.DUE_FIRST_REGISTRATION)


def _open(item: WorkItem) -> bool:
    item.refresh_from_db()
    return item.resolved_at is None


def test_a_registration_on_the_person_page_closes_his_first_registration_item(world):
    man = make_person(world.communes[0], "Trần Văn Nam", birth_date=date(YEAR - 17, 3, 1))
    item = _due_item(man)
    client = Client()
    client.force_login(world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0]))
    response = client.post(
        f"/callup/person/{man.pk}/registration/",
        {"reg-kind": "first", "reg-registered_on": TODAY.isoformat(), "reg-education_level": ""},
    )
    assert response.status_code in (200, 302)
    assert Registration.objects.filter(person=man).exists()
    assert not _open(item)
    assert item.resolved_by is None
    assert item.resolution_note.startswith("Registered for military service")
    # The worklist page no longer lists him.
    page = client.get("/worklists/?kind=due_first_registration").content.decode()
    assert man.full_name not in page


def test_an_import_of_registrations_closes_the_items_of_the_men_it_registers(world, tmp_path):
    due = [
        make_person(world.communes[0], f"Lê Văn Số{n}", birth_date=date(YEAR - 20, 1, 1 + n))
        for n in range(3)
    ]
    items = [_due_item(man) for man in due]
    path = Path(tmp_path) / "registrations.csv"
    lines = ["personal_id,registered_on,education_level,occupation"]
    lines += [f"{man.personal_id},{YEAR - 3}-04-10,grade_12," for man in due[:2]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    call_command("import", "registrations", str(path), stdout=StringIO())
    assert [_open(item) for item in items] == [False, False, True]
    # A second run of the same file changes nothing.
    call_command("import", "registrations", str(path), stdout=StringIO())
    assert WorkItem.objects.filter(resolved_at__isnull=True).count() == 1


def test_a_man_registered_before_the_refresh_is_never_listed(world):
    registered = make_person(world.communes[0], "Lê Văn Đã", birth_date=date(YEAR - 18, 5, 5))
    registration_record(
        person=registered,
        registered_on=date(YEAR - 1, 4, 10),
        kind="first",
        education_level="",
        occupation="",
        acting_user=None,
    )
    never = make_person(world.communes[0], "Lê Văn Chưa", birth_date=date(YEAR - 18, 5, 6))
    worklist_refresh_registration(year=YEAR)
    assert list(WorkItem.objects.values_list("person_id", flat=True)) == [never.pk]
    assert person_registered(registered, TODAY)
    assert not person_registered(never, TODAY)


def test_an_exemption_from_registration_closes_the_item(world):
    man = make_person(world.communes[0], "Lê Văn Miễn", birth_date=date(YEAR - 19, 5, 5))
    item = _due_item(man)
    ground_decision_record(
        person=man,
        kind="exemption",
        ground_code="REGEX_DISABILITY",
        decided_on=TODAY - timedelta(days=3),
        valid_until=None,
        decided_by="Chủ tịch UBND xã",
        note="",
        acting_user=None,
    )
    assert not _open(item)


def test_the_register_holds_people_between_registration_and_removal_within_its_ages(world):
    man = make_person(world.communes[0], "Lê Văn Có", birth_date=date(YEAR - 30, 1, 1))
    old = make_person(world.communes[0], "Lê Văn Già", birth_date=date(YEAR - 60, 1, 1))
    for person in (man, old):
        Registration.objects.create(
            person=person, registered_on=person.birth_date.replace(year=person.birth_date.year + 17),
            commune=person.residence_commune,
        )  # fmt: skip
    assert person_on_register(man, TODAY)
    assert not person_on_register(old, TODAY)  # past 45: off the register (MSL Art. 25)
    registration = Registration.objects.get(person=man)
    registration_remove(
        registration=registration, removed_on=TODAY, reason="Chuyển đi", acting_user=None
    )
    assert person_on_register(man, TODAY - timedelta(days=1))
    assert not person_on_register(man, TODAY)


def test_an_import_registering_him_at_the_new_commune_completes_the_transfer(world, tmp_path):
    man = make_person(world.communes[2], "Lê Văn Chuyển", birth_date=date(YEAR - 22, 2, 2))
    Registration.objects.create(
        person=man, registered_on=date(YEAR - 5, 4, 10), commune=world.communes[0]
    )
    moved_on = TODAY - timedelta(days=5)
    detail = {
        "from": {"code": world.communes[0].code, "name": world.communes[0].name},
        "to": {"code": world.communes[2].code, "name": world.communes[2].name},
        "moved_on": moved_on.isoformat(),
    }
    key = f"{world.communes[0].code}>{world.communes[2].code}@{moved_on.isoformat()}"
    items = [
        work.work_item_open(
            kind=kind, person=man, commune=commune, key=key, detail=detail, source="feed",
            acting_user=None,
        ).item
        for kind, commune in (
            (Kind.TRANSFER_OUT, world.communes[0]), (Kind.TRANSFER_IN, world.communes[2])
        )
    ]  # fmt: skip
    path = Path(tmp_path) / "registrations.csv"
    path.write_text(
        "personal_id,registered_on,education_level,occupation\n"
        f"{man.personal_id},{TODAY.isoformat()},,\n",
        encoding="utf-8",
    )
    call_command("import", "registrations", str(path), stdout=StringIO())
    assert Registration.objects.get(person=man, registered_on=TODAY).kind == "transfer"
    assert [_open(item) for item in items] == [False, False]


def test_the_refresh_closes_the_items_of_men_registered_by_a_path_that_did_not_settle(world):
    man = make_person(world.communes[0], "Lê Văn Quên", birth_date=date(YEAR - 17, 1, 1))
    item = _due_item(man)
    # Written straight to the table (a back-office repair, say): nothing settled it then.
    Registration.objects.create(
        person=man, registered_on=TODAY - timedelta(days=2), commune=man.residence_commune
    )
    assert _open(item)
    counts = worklist_refresh_registration(year=YEAR)
    assert counts.withdrawn == 1
    assert not _open(item)
    assert item.resolved_by is None
    assert item.resolution_note.startswith("Registered for military service")
    event = AuditEvent.objects.get(action="worklists.items.settled")
    assert event.commune_code == world.communes[0].code
    assert event.data["kind"] == Kind.DUE_FIRST_REGISTRATION
    assert event.data["items"] == {str(item.pk): [man.personal_id, item.resolution_note]}
