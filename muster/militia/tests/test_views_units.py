"""The militia's structure and duty decisions from the pages: a commune officer sets up units
(only the forces the commune's flags allow, DQTV Art. 15 as amended), appoints and replaces a
unit's leader from the command's members, and records an exemption from militia duty with its
§0.9 code (Art. 11); an auditor sees the units but not the forms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.core.errors import InvalidInput
from muster.militia import actions, rules
from muster.militia.models import MilitiaDecision, MilitiaMembership, MilitiaUnit
from muster.orgs.models import Appointment
from muster.people.tests.factories import make_person


@pytest.fixture
def officer(world: World) -> Client:
    client = Client()
    client.force_login(world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0]))
    return client


def _member(world: World, name: str, birth: date) -> MilitiaMembership:
    person = make_person(world.communes[0], name, birth_date=birth)
    day = timezone.localdate() - timedelta(days=30)
    return actions.militia_join(
        person=person,
        unit=world.commune_commands[0],
        joined_on=day,
        force_kind="mobile",
        decision=actions.Decision("1/QĐ-UBND", day, "Chủ tịch UBND xã"),
        acting_user=None,
    )


def _unit(data: dict[str, str]) -> dict[str, str]:
    today = timezone.localdate().isoformat()
    return {f"unit-{k}": v for k, v in {"valid_from": today, **data}.items()}


def test_units_set_up_from_the_roster_page_with_the_forces_the_commune_allows(world, officer):
    code = world.commune_commands[0].code
    page = officer.get(f"/militia/{code}/").content.decode()
    assert 'id="unit-create"' in page
    # An inland commune that is no key defence commune: naval and standing are not offered.
    assert 'value="naval"' not in page
    assert 'value="standing"' not in page
    naval = officer.post(f"/militia/{code}/units/new/", _unit({
        "name": "Tiểu đội dân quân biển", "force_kind": "naval", "echelon": "squad",
    }))  # fmt: skip
    assert naval.status_code == 200
    assert not MilitiaUnit.objects.exists()
    # In-place units belong to a village (Art. 15): refused without one, worded in Vietnamese.
    no_village = officer.post(f"/militia/{code}/units/new/", _unit({
        "name": "Tổ dân quân tại chỗ", "force_kind": "in_place", "echelon": "team",
    }))  # fmt: skip
    assert no_village.status_code == 200
    assert 'id="militia-unit-form"' in no_village.content.decode()
    assert not MilitiaUnit.objects.exists()
    saved = officer.post(f"/militia/{code}/units/new/", _unit({
        "name": "Tổ dân quân thôn Bản Vền", "force_kind": "in_place", "echelon": "team",
        "village": "Thôn Bản Vền",
    }))  # fmt: skip
    assert saved.status_code == 302
    assert saved["Location"] == f"/militia/{code}/?saved=unit#units"
    unit = MilitiaUnit.objects.get()
    assert (unit.force_kind, unit.echelon, unit.village) == ("in_place", "team", "Thôn Bản Vền")
    assert unit.leader_position is not None
    page = officer.get(f"/militia/{code}/").content.decode()
    assert "Tổ dân quân thôn Bản Vền" in page
    assert 'id="unit-leader"' in page


def test_key_defence_coastal_commune_is_offered_naval_and_standing(world, officer):
    actions.defence_commune_set(
        commune=world.communes[0],
        flags=rules.CommuneFlags(coastal=True, key_defence=True),
        valid_from=date(2025, 7, 1),
        acting_user=None,
    )
    page = officer.get(f"/militia/{world.commune_commands[0].code}/").content.decode()
    assert 'value="naval"' in page
    assert 'value="standing"' in page


def test_leader_appointed_and_replaced_from_the_members(world, officer):
    code = world.commune_commands[0].code
    first = _member(world, "Lò Văn Một", date(2000, 5, 17))
    second = _member(world, "Lò Văn Hai", date(2001, 6, 18))
    unit = actions.militia_unit_create(
        command=world.commune_commands[0],
        name="Trung đội cơ động",
        echelon="platoon",
        force_kind="mobile",
        valid_from=date(2025, 7, 1),
        acting_user=None,
    )
    today = timezone.localdate()

    def appoint(membership: MilitiaMembership, day: date) -> int:
        data = {"militia_unit": unit.pk, "membership": membership.pk, "valid_from": day}
        posted = {f"leader-{k}": str(v) for k, v in data.items()}
        status: int = officer.post(f"/militia/{code}/units/leader/", posted).status_code
        return status

    # The appointment is not dated ahead of today.
    assert appoint(first, today + timedelta(days=3)) == 200
    assert not Appointment.objects.exists()
    assert appoint(first, today - timedelta(days=5)) == 302
    assert appoint(second, today) == 302
    held = Appointment.objects.filter(position=unit.leader_position).order_by("valid_from")
    assert [(a.holder_name, a.valid_to) for a in held] == [
        ("Lò Văn Một", today - timedelta(days=1)),
        ("Lò Văn Hai", None),
    ]
    page = officer.get(f"/militia/{code}/").content.decode()
    assert "Lò Văn Hai" in page


def test_leader_must_serve_on_the_appointment_day(world):
    member = _member(world, "Lò Văn Ba", date(2000, 1, 2))
    unit = actions.militia_unit_create(
        command=world.commune_commands[0],
        name="Trung đội cơ động",
        echelon="platoon",
        force_kind="mobile",
        valid_from=date(2025, 7, 1),
        acting_user=None,
    )
    assert member.valid_from is not None
    before = member.valid_from - timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        actions.militia_unit_leader_appoint(
            militia_unit=unit, membership=member, valid_from=before, acting_user=None
        )
    assert [e.code for e in refused.value.errors] == ["MILITIA_LEADER_NOT_MEMBER"]


def test_exemption_recorded_from_the_member_page(world, officer):
    code = world.commune_commands[0].code
    member = _member(world, "Lò Văn Bốn", date(2000, 3, 4))
    page = officer.get(f"/militia/{code}/members/{member.pk}/").content.decode()
    assert 'id="member-duty"' in page
    today = timezone.localdate().isoformat()
    base = {"decision_number": "9/QĐ-UBND", "decided_on": today, "decided_by": "Chủ tịch UBND xã"}
    # A deferral's ground given for an exemption: refused beside the field (Art. 11).
    wrong = officer.post(f"/militia/{code}/members/{member.pk}/duty/", {
        f"duty-{k}": v for k, v in {"kind": "exemption", "ground_code": "MDEF_HEALTH", **base}.items()
    })  # fmt: skip
    assert wrong.status_code == 200
    assert 'id="member-duty" open' in wrong.content.decode()
    assert not MilitiaDecision.objects.filter(kind="exemption").exists()
    saved = officer.post(f"/militia/{code}/members/{member.pk}/duty/", {
        f"duty-{k}": v for k, v in {"kind": "exemption", "ground_code": "MEX_CIPHER", **base}.items()
    })  # fmt: skip
    assert saved.status_code == 302
    decision = MilitiaDecision.objects.get(kind="exemption")
    assert (decision.ground_code, decision.number) == ("MEX_CIPHER", "9/QĐ-UBND")
    member.refresh_from_db()
    assert member.valid_to == timezone.localdate()
    assert member.ground_code == "MEX_CIPHER"


def test_auditor_sees_the_units_but_not_the_forms(world):
    code = world.commune_commands[0].code
    auditor = Client()
    auditor.force_login(world.user("kt", Role.AUDITOR, world.commune_commands[0]))
    page = auditor.get(f"/militia/{code}/").content.decode()
    assert 'id="militia-units"' in page
    assert 'id="unit-create"' not in page
    assert auditor.get(f"/militia/{code}/units/new/").status_code == 403
    assert auditor.get(f"/militia/{code}/units/leader/").status_code == 403


def test_provincial_staff_set_up_a_unit_in_a_commune_of_the_province(world):
    code = world.commune_commands[2].code
    province = Client()
    province.force_login(world.user("tinh", Role.PROVINCE_STAFF, world.provincial))
    assert 'id="unit-create"' in province.get(f"/militia/{code}/").content.decode()
    saved = province.post(f"/militia/{code}/units/new/", _unit({
        "name": "Trung đội cơ động", "force_kind": "mobile", "echelon": "platoon",
    }))  # fmt: skip
    assert saved.status_code == 302
    assert MilitiaUnit.objects.get().command == world.commune_commands[2]
