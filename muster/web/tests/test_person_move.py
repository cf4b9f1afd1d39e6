"""Recording a move to another commune from the person page (MSL Art. 17(2)(a),
REG_CHANGE_RESIDENCE_DAYS): the residence moves, transfer items open on both worklists due 10
working days later, and close themselves when the new commune registers him."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from muster.audit.models import AuditEvent
from muster.conscription.actions.records import registration_record
from muster.people.models import Person, ResidencePeriod
from muster.readiness.tests.factories import PASSWORD, World, build_world
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind, transfer_due_on

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return build_world()


def _officer(client: Client, world: World) -> Client:
    assert client.login(username=world.commune_user.username, password=PASSWORD)
    return client


def _move(client: Client, world: World, person: Person, **data: str):
    return client.post(
        f"/persons/{person.personal_id}/move/",
        {"to_commune": world.c3.code, "address": "Thôn Mới", **data},
    )


def test_a_registered_man_moves_and_both_communes_get_their_item(
    client: Client, world: World
) -> None:
    registration_record(
        person=world.an,
        registered_on=date(2024, 1, 15),
        kind="first",
        education_level="grade_12",
        occupation="",
        acting_user=None,
    )
    officer = _officer(client, world)
    form = officer.get(f"/persons/{world.an.personal_id}/move/").content.decode()
    assert 'id="person-move-form"' in form
    assert world.c2.code in form  # the province's communes are suggested
    moved_on = timezone.localdate() - timedelta(days=2)
    response = _move(officer, world, world.an, moved_on=moved_on.isoformat())
    assert response.status_code == 302
    assert response["Location"] == f"/worklists/?kind=transfer_out&commune={world.c1.code}"
    person = Person.objects.get(pk=world.an.pk)
    assert person.residence_commune == world.c3
    assert ResidencePeriod.objects.get(person=person, valid_to__isnull=True).valid_from == moved_on
    items = {i.kind: i for i in WorkItem.objects.filter(person=person)}
    assert items[Kind.TRANSFER_OUT].commune == world.c1
    assert items[Kind.TRANSFER_IN].commune == world.c3
    assert {i.due_on for i in items.values()} == {transfer_due_on(moved_on)}
    assert (
        AuditEvent.objects.filter(action="worklists.item.opened", actor=world.commune_user).count()
        == 2
    )
    # He now lives outside the officer's jurisdiction; the transfer out stays on its list.
    assert officer.get(f"/persons/{person.personal_id}/").status_code == 404
    listed = officer.get(f"/worklists/?kind=transfer_out&commune={world.c1.code}")
    assert person.full_name in listed.content.decode()
    # The receiving commune registers him: both items close themselves.
    registration_record(
        person=person,
        registered_on=timezone.localdate(),
        kind="transfer",
        education_level="grade_12",
        occupation="",
        acting_user=None,
    )
    assert not WorkItem.objects.filter(person=person, resolved_at__isnull=True).exists()


def test_someone_on_no_register_moves_without_transfer_items(client: Client, world: World) -> None:
    officer = _officer(client, world)
    day = timezone.localdate().isoformat()
    response = _move(officer, world, world.an, moved_on=day)
    assert response.status_code == 302
    assert not WorkItem.objects.filter(
        person=world.an, kind__in=[Kind.TRANSFER_IN, Kind.TRANSFER_OUT]
    ).exists()


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"to_commune": "91001"}, "id_to_commune_error"),  # where he lives already
        ({"to_commune": "99999"}, "id_to_commune_error"),  # no such commune
        ({"moved_on": "2999-01-01"}, "id_moved_on_error"),
    ],
)
def test_a_bad_move_is_refused_on_its_field_and_nothing_changes(
    client: Client, world: World, data: dict[str, str], field_error: str
) -> None:
    officer = _officer(client, world)
    response = _move(
        officer, world, world.an, **({"moved_on": timezone.localdate().isoformat()} | data)
    )
    assert response.status_code == 200
    assert f'id="{field_error}"' in response.content.decode()
    assert Person.objects.get(pk=world.an.pk).residence_commune == world.c1


def test_another_communes_person_cannot_be_moved(client: Client, world: World) -> None:
    officer = _officer(client, world)
    outside = Person.objects.get(pk=world.cuong.pk)
    assert officer.get(f"/persons/{outside.personal_id}/move/").status_code == 404
    response = _move(officer, world, outside, to_commune=world.c1.code, moved_on="2025-09-01")
    assert response.status_code == 404
    assert Person.objects.get(pk=outside.pk).residence_commune == outside.residence_commune
