"""The register's pages: a shelter or rescue means added, changed and taken out of use through
the audited actions, the action's coded errors beside their fields, a place left empty
standing at the commune's centre, another's code refused, the lists linking to the forms."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent
from muster.civildefence import actions
from muster.civildefence.models import RescueMeans, Shelter
from muster.civildefence.tests.factories import SIDE, SOUTH, WEST
from muster.people.models import Person

pytestmark = pytest.mark.django_db


def _client(world: World, role: Role = Role.COMMUNE_STAFF, index: int = 0) -> Client:
    client = Client()
    client.force_login(world.user(f"u-{role}-{index}", role, world.commune_commands[index]))
    return client


def _fields(world: World, **changes: str) -> dict[str, str]:
    fields = {
        "code": "NVH-01",
        "kind": "community_house",
        "name": "Nhà văn hoá thôn Bản Lầu",
        "unit": world.commune_commands[0].code,
        "commune": world.communes[0].code,
        "lat": str(SOUTH + 0.03),
        "lon": str(WEST + 0.04),
        "capacity": "120",
        "valid_from": "2026-01-01",
    }
    return {**fields, **changes}


def _place(world: World, code: str = "S-1") -> actions.PlaceInput:
    return actions.PlaceInput(
        code=code,
        kind="school",
        name="Trường tiểu học",
        unit=world.commune_commands[0],
        commune=world.communes[0],
        lat=SOUTH + 0.05,
        lon=WEST + 0.05,
        capacity=200,
        valid_from=date(2026, 1, 1),
    )


def test_a_shelter_added_on_its_form_is_saved_audited_and_listed(world: World) -> None:
    client = _client(world)
    page = client.get("/civil-defence/shelters/").content.decode()
    assert 'href="/civil-defence/shelters/new/"' in page
    answer = client.post("/civil-defence/shelters/new/", _fields(world))
    assert answer.status_code == 302
    assert answer["Location"] == "/civil-defence/shelters/"
    shelter = Shelter.objects.get(code="NVH-01")
    assert (shelter.capacity, shelter.commune, shelter.unit) == (
        120,
        world.communes[0],
        world.commune_commands[0],
    )
    event = AuditEvent.objects.get(action="civildefence.shelter.saved")
    assert event.data["created"] is True
    listed = client.get("/civil-defence/shelters/").content.decode()
    assert "Nhà văn hoá thôn Bản Lầu" in listed
    assert 'href="/civil-defence/shelters/NVH-01/"' in listed


def test_the_actions_errors_come_back_beside_their_fields(world: World) -> None:
    client = _client(world)
    answer = client.post(
        "/civil-defence/shelters/new/",
        _fields(world, code="mã sai!", capacity="0", lat="95"),
    )
    assert answer.status_code == 200
    form = answer.context["form"]
    assert set(form.errors) == {"code", "capacity", "lat"}
    assert "1 đến 60" in form.errors["code"][0]
    assert form.errors["capacity"] == ["Nhập sức chứa ít nhất là 1."]
    assert not Shelter.objects.exists()


def test_the_errors_are_worded_in_english_for_whoever_chose_it(world: World) -> None:
    client = _client(world)
    client.cookies["django_language"] = "en"
    answer = client.post("/civil-defence/shelters/new/", _fields(world, capacity="0"))
    assert answer.context["form"].errors["capacity"] == ["Enter a capacity of at least 1."]


def test_a_place_left_empty_stands_at_the_communes_centre(world: World) -> None:
    _client(world).post("/civil-defence/shelters/new/", _fields(world, lat="", lon=""))
    shelter = Shelter.objects.get(code="NVH-01")
    assert (shelter.lat, shelter.lon) == (world.communes[0].lat, world.communes[0].lon)


def test_a_code_on_record_is_refused_on_the_new_form(world: World) -> None:
    actions.shelter_save(given=_place(world, "NVH-01"), acting_user=None)
    answer = _client(world).post("/civil-defence/shelters/new/", _fields(world))
    assert answer.status_code == 200
    assert "đã có trong hồ sơ" in answer.context["form"].errors["code"][0]
    assert Shelter.objects.get(code="NVH-01").name == "Trường tiểu học"


def test_another_communes_shelter_cannot_be_taken_over_by_its_code(world: World) -> None:
    """The action itself refuses: saving code S-3 (commune 99003's) from commune 99001."""
    outside = actions.PlaceInput(
        code="S-3",
        kind="school",
        name="Trường xã khác",
        unit=world.commune_commands[2],
        commune=world.communes[2],
        lat=SOUTH + 0.05,
        lon=WEST + 2.5 * SIDE,
        capacity=50,
    )
    actions.shelter_save(given=outside, acting_user=None)
    user = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    from muster.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.shelter_save(given=_place(world, "S-3"), acting_user=user)
    assert Shelter.objects.get(code="S-3").commune == world.communes[2]


def test_a_shelter_is_changed_and_taken_out_of_use(world: World) -> None:
    actions.shelter_save(given=_place(world), acting_user=None)
    client = _client(world)
    page = client.get("/civil-defence/shelters/S-1/")
    assert page.status_code == 200
    assert page.context["form"]["code"].value() == "S-1"
    changed = client.post(
        "/civil-defence/shelters/S-1/", _fields(world, code="OTHER", capacity="250")
    )
    assert changed.status_code == 302
    assert Shelter.objects.get(code="S-1").capacity == 250
    assert not Shelter.objects.filter(code="OTHER").exists()  # the code is not editable
    today = timezone.localdate()
    early = client.post("/civil-defence/shelters/S-1/retire/", {"retire-last_day": "2025-12-31"})
    assert early.status_code == 200
    assert "không được trước ngày bắt đầu" in early.context["retire_form"].errors["last_day"][0]
    retired = client.post(
        "/civil-defence/shelters/S-1/retire/", {"retire-last_day": today.isoformat()}
    )
    assert retired.status_code == 302
    assert Shelter.objects.get(code="S-1").valid_to == today
    event = AuditEvent.objects.get(action="civildefence.shelter.retired")
    assert event.data == {"code": "S-1", "valid_to": today.isoformat()}
    tomorrow = date.fromordinal(today.toordinal() + 1).isoformat()
    listed = client.get(f"/civil-defence/shelters/?as_of={tomorrow}").content.decode()
    assert "Trường tiểu học" not in listed


def test_means_with_an_operator_are_saved_and_an_unknown_id_is_refused(world: World) -> None:
    person = Person.objects.create(
        personal_id="099090001111",
        full_name="Lò Văn Lái",
        sex="M",
        birth_date=date(1990, 1, 1),
        residence_commune=world.communes[0],
    )
    client = _client(world)
    fields = _fields(world, code="XM-01", kind="boat", name="Xuồng máy", capacity="12")
    unknown = client.post("/civil-defence/means/new/", {**fields, "operator": "099090009999"})
    assert unknown.status_code == 200
    assert "operator" in unknown.context["form"].errors
    saved = client.post("/civil-defence/means/new/", {**fields, "operator": person.personal_id})
    assert saved.status_code == 302
    means = RescueMeans.objects.get(code="XM-01")
    assert means.operator == person
    page = client.get("/civil-defence/means/XM-01/").content.decode()
    assert person.personal_id in page
    retired = client.post("/civil-defence/means/XM-01/retire/", {"retire-last_day": "2026-12-31"})
    assert retired.status_code == 302
    assert RescueMeans.objects.get(code="XM-01").valid_to == date(2026, 12, 31)
    assert AuditEvent.objects.filter(action="civildefence.means.retired").count() == 1


def test_an_auditor_sees_the_list_without_the_forms_and_is_refused_them(world: World) -> None:
    actions.shelter_save(given=_place(world), acting_user=None)
    client = _client(world, Role.AUDITOR)
    page = client.get("/civil-defence/shelters/").content.decode()
    assert "Trường tiểu học" in page
    assert "/civil-defence/shelters/new/" not in page
    assert "/civil-defence/shelters/S-1/" not in page
    assert client.get("/civil-defence/shelters/new/").status_code == 403
    assert client.get("/civil-defence/shelters/S-1/").status_code == 403


def test_the_new_form_offers_only_the_users_units_and_communes(world: World) -> None:
    form = _client(world).get("/civil-defence/shelters/new/").context["form"]
    communes = [code for code, _ in form.fields["commune"].choices]
    units = [code for code, _ in form.fields["unit"].choices]
    assert communes == [world.communes[0].code]
    assert units == [world.commune_commands[0].code]
    provincial = Client()
    provincial.force_login(world.user("tinh", Role.PROVINCE_STAFF, world.provincial))
    wide = provincial.get("/civil-defence/shelters/new/").context["form"]
    assert {c for c, _ in wide.fields["commune"].choices} == {c.code for c in world.communes}
    assert world.provincial.code in {c for c, _ in wide.fields["unit"].choices}
