"""A command's reported absences (DQTV Art. 9(2)(b)) and the disbanding of a militia unit from
the pages: an officer records an absence of 3 months or more and the return, sees them per
unit and exports them; a unit with members serving is not disbanded (MILITIA_UNIT_HAS_MEMBERS)
until they are moved, and its leader's appointment ends with it; an auditor reads, no forms."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent, ReadEvent
from muster.militia import actions
from muster.militia.models import MilitiaAbsence, MilitiaMembership, MilitiaUnit
from muster.orgs.models import Appointment
from muster.people.tests.factories import make_person

TODAY = timezone.localdate()
JOINED = TODAY - timedelta(days=200)


@pytest.fixture
def officer(world: World) -> Client:
    client = Client()
    client.force_login(world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0]))
    return client


def _table(page: str) -> str:
    """The absences table of a page (the form's member list left out)."""
    return page.split('id="absences"')[1].split("</table>")[0]


def _unit(world: World, name: str) -> MilitiaUnit:
    return actions.militia_unit_create(
        command=world.commune_commands[0],
        name=name,
        echelon="platoon",
        force_kind="mobile",
        valid_from=JOINED - timedelta(days=10),
        acting_user=None,
    )


def _member(world: World, name: str, unit: MilitiaUnit | None) -> MilitiaMembership:
    return actions.militia_join(
        person=make_person(world.communes[0], name, birth_date=date(2000, 5, 17)),
        unit=world.commune_commands[0],
        joined_on=JOINED,
        force_kind="mobile",
        militia_unit=unit,
        decision=actions.Decision("1/QĐ-UBND", JOINED, "Chủ tịch UBND xã"),
        acting_user=None,
    )


def _absence(member: MilitiaMembership, **data: object) -> dict[str, str]:
    values = {
        "membership": member.pk,
        "reported_on": TODAY,
        "absent_from": TODAY - timedelta(days=5),
        "absent_until": TODAY + timedelta(days=120),
        "reason": "Đi làm việc tại Bắc Ninh",
        **data,
    }
    return {f"absence-{k}": str(v) for k, v in values.items()}


def test_absence_recorded_listed_per_unit_and_the_return(world, officer):
    code = world.commune_commands[0].code
    first, second = _unit(world, "Trung đội cơ động 1"), _unit(world, "Trung đội cơ động 2")
    away = _member(world, "Lò Văn Đi", first)
    other = _member(world, "Lò Văn Khác", second)
    roster = officer.get(f"/militia/{code}/").content.decode()
    assert f'href="/militia/{code}/absences/"' in roster
    page = officer.get(f"/militia/{code}/absences/").content.decode()
    assert 'id="absence-record"' in page
    # Shorter than 3 months: not an absence the law has reported (MILITIA_ABSENCE_SHORT).
    short = officer.post(
        f"/militia/{code}/absences/new/",
        _absence(away, absent_until=TODAY + timedelta(days=30)),
    )
    assert short.status_code == 200
    assert 'id="id_absence-absent_until_error"' in short.content.decode()
    assert 'id="militia-absence-form"' in short.content.decode()
    assert not MilitiaAbsence.objects.exists()
    saved = officer.post(f"/militia/{code}/absences/new/", _absence(away))
    assert saved.status_code == 302
    assert saved["Location"] == f"/militia/{code}/absences/?saved=absence"
    officer.post(f"/militia/{code}/absences/new/", _absence(other, reason="Đi học"))
    assert AuditEvent.objects.filter(action="militia.absence.reported").count() == 2
    # Per unit: the second unit's member is not in the first unit's list.
    page = _table(officer.get(f"/militia/{code}/absences/?unit={first.pk}").content.decode())
    assert "Lò Văn Đi" in page
    assert "Lò Văn Khác" not in page
    assert "Đi làm việc tại Bắc Ninh" in page
    assert ReadEvent.objects.filter(
        action="militia.absences.viewed", target_id=str(away.person_id)
    ).exists()
    csv = officer.get(f"/militia/{code}/absences/?unit={first.pk}&export=csv")
    text = csv.content.decode("utf-8-sig")
    assert "Lò Văn Đi" in text
    assert "Lò Văn Khác" not in text
    assert "Điều 9 khoản 2 điểm b" in text
    # The return: not before the absence began, then recorded; the list of those away drops him.
    absence = MilitiaAbsence.objects.get(membership=away)
    path = f"/militia/{code}/absences/{absence.pk}/return/"
    assert officer.get(path).status_code == 200
    early = officer.post(path, {"return-returned_on": (TODAY - timedelta(days=9)).isoformat()})
    assert early.status_code == 200
    absence.refresh_from_db()
    assert absence.returned_on is None
    back = officer.post(path, {"return-returned_on": TODAY.isoformat()})
    assert back.status_code == 302
    absence.refresh_from_db()
    assert absence.returned_on == TODAY
    assert officer.get(path).status_code == 404  # nothing left to record
    page = _table(officer.get(f"/militia/{code}/absences/").content.decode())
    assert "Lò Văn Đi" not in page
    assert "Lò Văn Khác" in page
    assert "Lò Văn Đi" in _table(officer.get(f"/militia/{code}/absences/?all=1").content.decode())


def test_another_commands_absence_is_not_found(world, officer):
    member = _member(world, "Lò Văn Đi", None)
    absence = actions_report(member)
    other = world.commune_commands[2].code
    assert officer.get(f"/militia/{other}/absences/").status_code == 404
    # The absence of commune 1's command asked for under another command of the user's: 404.
    second = world.commune_commands[1]
    staff = Client()
    staff.force_login(world.user("huyen", Role.PROVINCE_STAFF, world.provincial))
    assert staff.get(f"/militia/{second.code}/absences/{absence.pk}/return/").status_code == 404
    code = world.commune_commands[0].code
    assert staff.get(f"/militia/{code}/absences/{absence.pk}/return/").status_code == 200


def actions_report(member: MilitiaMembership) -> MilitiaAbsence:
    from muster.militia.actions_duty import militia_absence_report

    return militia_absence_report(
        membership=member,
        reported_on=TODAY,
        absent_from=TODAY - timedelta(days=5),
        absent_until=TODAY + timedelta(days=120),
        reason="Đi làm ăn xa",
        acting_user=None,
    )


def test_unit_disbanded_only_once_its_members_are_moved(world, officer):
    code = world.commune_commands[0].code
    unit, other = _unit(world, "Trung đội cơ động 1"), _unit(world, "Trung đội cơ động 2")
    member = _member(world, "Lò Văn Trưởng", unit)
    actions.militia_unit_leader_appoint(
        militia_unit=unit, membership=member, valid_from=JOINED, acting_user=None
    )
    roster = officer.get(f"/militia/{code}/").content.decode()
    path = f"/militia/{code}/units/{unit.pk}/disband/"
    assert f'href="{path}"' in roster
    page = officer.get(path).content.decode()
    assert 'id="still-serving"' in page
    assert "Lò Văn Trưởng" in page
    refused = officer.post(path, {"disband-valid_to": TODAY.isoformat()})
    assert refused.status_code == 200
    assert "đưa ra khỏi danh sách trước.<" in refused.content.decode()  # the coded refusal
    unit.refresh_from_db()
    assert unit.valid_to is None
    actions.militia_transfer(
        membership=member,
        on=TODAY - timedelta(days=1),
        militia_unit=other,
        decision=actions.Decision("2/QĐ-UBND", TODAY, "Chủ tịch UBND xã"),
        acting_user=None,
    )
    # Moved before its last day (yesterday): nobody serves in it after it, it is disbanded.
    last = TODAY - timedelta(days=1)
    done = officer.post(path, {"disband-valid_to": last.isoformat()})
    assert done.status_code == 302
    assert done["Location"] == f"/militia/{code}/?saved=disband#units"
    unit.refresh_from_db()
    assert unit.valid_to == last
    assert AuditEvent.objects.filter(action="militia.unit.closed").count() == 1
    leader = Appointment.objects.get(position=unit.leader_position)
    assert leader.valid_to == last
    # Gone from the roster's units, its page 404 from now on.
    assert f'href="{path}"' not in officer.get(f"/militia/{code}/").content.decode()
    assert officer.get(path).status_code == 404


def test_auditor_reads_the_absences_without_forms(world):
    code = world.commune_commands[0].code
    unit = _unit(world, "Trung đội cơ động 1")
    absence = actions_report(_member(world, "Lò Văn Đi", unit))
    auditor = Client()
    auditor.force_login(world.user("kt", Role.AUDITOR, world.commune_commands[0]))
    page = auditor.get(f"/militia/{code}/absences/").content.decode()
    assert "Lò Văn Đi" in page
    assert 'id="absence-record"' not in page
    assert "/return/" not in page
    assert auditor.get(f"/militia/{code}/absences/new/").status_code == 403
    assert auditor.get(f"/militia/{code}/absences/{absence.pk}/return/").status_code == 403
    assert auditor.get(f"/militia/{code}/units/{unit.pk}/disband/").status_code == 403
