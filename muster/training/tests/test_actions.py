"""Training actions: sessions and attendance audited in their transaction, refusals coded, and
the worklist's shortfall items opened and closed by the same records (DQTV Art. 28(1))."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent, ReadEvent
from muster.core.errors import InvalidInput, PermissionDenied
from muster.militia import actions as militia_actions
from muster.people.tests.factories import make_person
from muster.training import actions, queries
from muster.training.models import Attendance, TrainingSession
from muster.worklists.bulk import work_items_sync
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind

JOINED = date(2025, 8, 15)
OCTOBER = date(2026, 10, 15)


@pytest.fixture
def member(world):
    person = make_person(world.communes[0], birth_date=date(2000, 5, 17))
    return militia_actions.militia_join(
        person=person,
        unit=world.commune_commands[0],
        joined_on=JOINED,
        force_kind="mobile",
        acting_user=None,
    )


def session(world: World, **kw: Any) -> TrainingSession:
    args = {
        "unit": world.commune_commands[0],
        "title": "Huấn luyện cơ động",
        "starts_on": date(2026, 3, 2),
        "ends_on": date(2026, 3, 13),
        "days": 10,
        "acting_user": None,
        **kw,
    }
    return actions.training_session_create(**args)


def test_session_and_attendance_are_audited(world, member):
    held = session(world)
    assert AuditEvent.objects.get(action="training.session.created").data["days"] == 10
    entry = actions.AttendanceInput(person=member.person, days=8)
    [row] = actions.training_attendance_record(session=held, entries=[entry], acting_user=None)
    assert (row.days, row.membership_id) == (8, member.pk)
    event = AuditEvent.objects.get(action="training.attendance.recorded")
    assert event.data["entries"] == {member.person.personal_id: 8}
    # Recorded again: corrected, not doubled.
    again = actions.AttendanceInput(person=member.person, days=0, absence_reason="ốm")
    actions.training_attendance_record(session=held, entries=[again], acting_user=None)
    assert Attendance.objects.get().days == 0


def test_attendance_refusals_write_nothing(world, member):
    held = session(world, force_kind="standing")
    entry = actions.AttendanceInput(person=member.person, days=3)
    with pytest.raises(InvalidInput) as exc:
        actions.training_attendance_record(session=held, entries=[entry], acting_user=None)
    assert [e.code for e in exc.value.errors] == ["TRAINING_OTHER_FORCE"]
    outsider = make_person(world.communes[0])
    with pytest.raises(InvalidInput) as exc:
        actions.training_attendance_record(
            session=session(world),
            entries=[actions.AttendanceInput(person=outsider, days=3)],
            acting_user=None,
        )
    assert [e.code for e in exc.value.errors] == ["TRAINING_NOT_ON_ROSTER"]
    assert not Attendance.objects.exists()


def test_session_needs_the_permission_on_the_command(world):
    auditor = world.user("kt", Role.AUDITOR, world.provincial)
    with pytest.raises(PermissionDenied):
        session(world, acting_user=auditor)
    other = world.user("xa3", Role.COMMUNE_STAFF, world.commune_commands[2])
    with pytest.raises(PermissionDenied):
        session(world, acting_user=other)


def test_year_figures_count_attended_and_planned_days(world, member):
    held = session(world)
    actions.training_attendance_record(
        session=held, entries=[actions.AttendanceInput(member.person, 10)], acting_user=None
    )
    session(world, starts_on=date(2026, 11, 2), ends_on=date(2026, 11, 3), days=2)
    [figures] = queries.year_figures([member], year=2026, today=OCTOBER)
    # Year 2 of a mobile member: 12 days (Art. 28(1)(c)); 10 attended, 2 planned.
    assert (figures.required, figures.attended, figures.planned, figures.short) == (12, 10, 2, 0)
    [later] = queries.year_figures([member], year=2026, today=date(2026, 12, 1))
    assert (later.planned, later.short) == (0, 2)  # the November session passed unattended


def test_shortfall_item_opens_and_closes_with_attendance(world, member):
    work_items_sync(person_ids=[member.person_id], today=OCTOBER)
    item = WorkItem.objects.get(kind=Kind.MILITIA_TRAINING_SHORT)
    assert (item.key, item.detail["required"], item.detail["attended"]) == ("2026", 12, 0)
    assert item.commune.code == "99001"
    held = session(world, days=12, ends_on=date(2026, 3, 14))
    Attendance.objects.create(session=held, person=member.person, membership=member, days=12)
    work_items_sync(person_ids=[member.person_id], today=OCTOBER)
    item.refresh_from_db()
    assert item.resolved_at is not None
    assert item.resolved_by is None


def test_shortfalls_are_scoped_and_logged(world, member):
    own = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    other = world.user("xa3", Role.COMMUNE_STAFF, world.commune_commands[2])
    [short] = queries.shortfalls(own, year=2026)
    assert (short.membership, short.required, short.short) == (member, 12, 12)
    assert ReadEvent.objects.filter(action=queries.READ, target_id=str(member.person_id)).exists()
    assert queries.shortfalls(other, year=2026) == []
