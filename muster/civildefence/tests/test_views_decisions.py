"""Level decisions and the commune civil-defence command as pages: recorded, corrected and
lifted or dissolved through the audited actions; the law's rules (who declares which level
over which area) come back beside their fields; each list scoped and exported."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent
from muster.civildefence import actions
from muster.civildefence.models import CivilDefenceCommand, LevelDecision

pytestmark = pytest.mark.django_db


def _client(world: World, role: Role = Role.COMMUNE_STAFF, province: bool = False) -> Client:
    client = Client()
    where = world.provincial if province else world.commune_commands[0]
    client.force_login(world.user(f"u-{role}-{province}", role, where))
    return client


def _decision(world: World, **changes: str) -> dict[str, str]:
    fields = {
        "kind": "civil_defence",
        "level": "1",
        "area": world.communes[0].code,
        "issuer": "commune_chairman",
        "number": "15/QĐ-UBND",
        "legal_basis": "Luật Phòng thủ dân sự 2023, Điều 20",
        "starts_on": "2026-09-08",
    }
    return {**fields, **changes}


def test_a_level_1_decision_is_recorded_corrected_and_lifted(world: World) -> None:
    client = _client(world)
    assert (
        'href="/civil-defence/decisions/new/"'
        in client.get("/civil-defence/decisions/").content.decode()
    )
    assert client.post("/civil-defence/decisions/new/", _decision(world)).status_code == 302
    decision = LevelDecision.objects.get()
    assert (decision.level, decision.area, decision.number) == (1, world.communes[0], "15/QĐ-UBND")
    listed = client.get("/civil-defence/decisions/").content.decode()
    assert f'href="/civil-defence/decisions/{decision.pk}/"' in listed
    corrected = client.post(
        f"/civil-defence/decisions/{decision.pk}/", _decision(world, number="16/QĐ-UBND")
    )
    assert corrected.status_code == 302
    decision.refresh_from_db()
    assert decision.number == "16/QĐ-UBND"
    event = AuditEvent.objects.get(action="civildefence.level.corrected")
    assert event.target_id == str(decision.pk)
    lifted = client.post(
        f"/civil-defence/decisions/{decision.pk}/lift/", {"lift-ends_on": "2026-09-20"}
    )
    assert lifted.status_code == 302
    decision.refresh_from_db()
    assert decision.ends_on == date(2026, 9, 20)
    assert AuditEvent.objects.filter(action="civildefence.level.lifted").count() == 1


def test_the_law_on_who_declares_which_level_comes_back_beside_the_fields(world: World) -> None:
    client = _client(world)
    client.cookies["django_language"] = "en"
    answer = client.post("/civil-defence/decisions/new/", _decision(world, level="2"))
    assert answer.status_code == 200
    errors = answer.context["form"].errors
    assert set(errors) == {"area", "issuer"}
    assert "declared over a commune (level 1) or a province" in errors["area"][0]
    assert "the provincial chairman (2)" in errors["issuer"][0]
    four = client.post("/civil-defence/decisions/new/", _decision(world, level="4"))
    assert four.context["form"].errors["level"] == ["A civil-defence level is 1, 2 or 3."]
    lift = client.post("/civil-defence/decisions/new/", _decision(world, ends_on="2026-09-01"))
    assert "cannot end before it starts" in lift.context["form"].errors["ends_on"][0]
    assert not LevelDecision.objects.exists()


def test_a_commune_officer_sees_the_provinces_decision_but_may_not_change_it(world: World) -> None:
    province_client = _client(world, Role.PROVINCE_STAFF, province=True)
    form = province_client.get("/civil-defence/decisions/new/").context["form"]
    assert world.province.code in {c for c, _ in form.fields["area"].choices}
    recorded = province_client.post(
        "/civil-defence/decisions/new/",
        _decision(world, level="2", area=world.province.code, issuer="province_chairman"),
    )
    assert recorded.status_code == 302
    decision = LevelDecision.objects.get(area=world.province)
    commune = _client(world)
    assert world.province.name in commune.get("/civil-defence/decisions/").content.decode()
    assert commune.get(f"/civil-defence/decisions/{decision.pk}/").status_code == 403
    assert world.province.code not in {
        c
        for c, _ in commune.get("/civil-defence/decisions/new/")
        .context["form"]
        .fields["area"]
        .choices
    }


def test_the_decision_list_exports_its_rows(world: World) -> None:
    client = _client(world)
    client.post("/civil-defence/decisions/new/", _decision(world))
    text = client.get("/civil-defence/decisions/?export=csv").content.decode("utf-8-sig")
    assert "15/QĐ-UBND" in text
    assert world.communes[0].code in text


def _command(world: World, **changes: str) -> dict[str, str]:
    fields = {
        "unit": world.commune_commands[0].code,
        "name": "Ban Chỉ huy PTDS xã",
        "head_name": "Hoàng Văn Chủ",
        "head_title": "Chủ tịch UBND xã",
        "deputy_name": "Vàng A Phó",
        "deputy_title": "Chỉ huy trưởng Ban CHQS xã",
        "decision": "01/QĐ-UBND",
        "valid_from": "2025-08-23",
    }
    return {**fields, **changes}


def test_a_command_is_set_up_corrected_replaced_and_dissolved(world: World) -> None:
    client = _client(world)
    new_page = client.get("/civil-defence/commands/new/")
    assert new_page.context["form"]["deputy_title"].value()  # the commander's title offered
    assert client.post("/civil-defence/commands/new/", _command(world)).status_code == 302
    first = CivilDefenceCommand.objects.get()
    corrected = client.post(
        f"/civil-defence/commands/{first.pk}/",
        {**_command(world), "head_name": "Hoàng Văn Chủ Tịch"},
    )
    assert corrected.status_code == 302
    first.refresh_from_db()
    assert first.head_name == "Hoàng Văn Chủ Tịch"
    event = AuditEvent.objects.get(action="civildefence.command.corrected")
    assert event.data["changed"] == ["head_name"]
    # A new membership from a later day ends the one before it the day before.
    client.post("/civil-defence/commands/new/", _command(world, valid_from="2026-03-01"))
    first.refresh_from_db()
    assert first.valid_to == date(2026, 2, 28)
    second = CivilDefenceCommand.objects.exclude(pk=first.pk).get()
    listed = client.get("/civil-defence/commands/").content.decode()
    assert f"/civil-defence/commands/{second.pk}/" in listed
    assert f"/civil-defence/commands/{first.pk}/" not in listed
    assert (
        f"/civil-defence/commands/{first.pk}/"
        in client.get("/civil-defence/commands/?all=1").content.decode()
    )
    ended = client.post(f"/civil-defence/commands/{second.pk}/end/", {"end-last_day": "2026-12-31"})
    assert ended.status_code == 302
    second.refresh_from_db()
    assert second.valid_to == date(2026, 12, 31)
    assert AuditEvent.objects.filter(action="civildefence.command.ended").count() == 1


def test_a_commands_required_fields_are_worded_beside_them(world: World) -> None:
    client = _client(world)
    answer = client.post("/civil-defence/commands/new/", _command(world, head_name="  "))
    assert answer.status_code == 200
    assert "head_name" in answer.context["form"].errors
    command = actions.cd_command_set(
        given=actions.CommandInput(
            unit=world.commune_commands[0],
            name="Ban",
            head_name="A",
            head_title="B",
            valid_from=date(2026, 1, 1),
        ),
        acting_user=None,
    )
    early = client.post(
        f"/civil-defence/commands/{command.pk}/end/", {"end-last_day": "2025-12-31"}
    )
    assert early.status_code == 200
    assert early.context["end_form"].errors["last_day"]
    assert CivilDefenceCommand.objects.get(pk=command.pk).valid_to is None


def test_the_command_list_exports_and_links_from_the_civil_defence_pages(world: World) -> None:
    client = _client(world)
    client.post("/civil-defence/commands/new/", _command(world))
    text = client.get("/civil-defence/commands/?export=csv").content.decode("utf-8-sig")
    assert "Vàng A Phó" in text
    assert world.commune_commands[0].code in text
    index = client.get("/civil-defence/").content.decode()
    for href in ("/civil-defence/decisions/", "/civil-defence/commands/"):
        assert f'href="{href}"' in index
