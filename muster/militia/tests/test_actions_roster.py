"""Militia actions: each write audited in its transaction, refusals name the field, the roster
keeps one open membership per person, and a death reported by the register closes it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from muster.accounts.models import Role
from muster.accounts.tests.factories import World
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput, PermissionDenied
from muster.militia import actions
from muster.militia.models import MilitiaMembership, MilitiaTarget
from muster.militia.rules import CommuneFlags
from muster.people.models import Person
from muster.people.tests.factories import make_person
from muster.worklists import hooks

JOINED = date(2025, 8, 15)


def errors(exc: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {e.field for e in exc.value.errors}


DECISION = actions.Decision("15/QĐ-UBND", JOINED, "Chủ tịch UBND xã")


@pytest.fixture(autouse=True)
def key_commune(world: World) -> None:
    """Commune 99001 is a key defence commune: it may form standing militia (DQTV Art. 15)."""
    actions.defence_commune_set(
        commune=world.communes[0],
        flags=CommuneFlags(key_defence=True),
        valid_from=date(2025, 7, 1),
        acting_user=None,
    )


def join(world: World, person: Person, **kw: Any) -> MilitiaMembership:
    args = {
        "person": person,
        "unit": world.commune_commands[0],
        "joined_on": JOINED,
        "force_kind": "mobile",
        "decision": DECISION,
        "acting_user": None,
        **kw,
    }
    return actions.militia_join(**args)


def test_join_puts_a_member_on_the_roster_for_a_term(world):
    person = make_person(world.communes[0], birth_date=date(2000, 5, 17))
    membership = join(world, person, force_kind="specialised", specialty="signals")
    assert (membership.valid_from, membership.valid_to) == (JOINED, None)
    assert (membership.term_years, membership.term_ends_on) == (4, date(2029, 8, 14))
    event = AuditEvent.objects.get(action="militia.member.joined")
    assert event.commune_code == "99001"
    assert event.data["unit"] == "BCHQS-X-99001"
    assert event.data["specialty"] == "signals"
    standing = join(world, make_person(world.communes[0]), force_kind="standing")
    assert (standing.term_years, standing.term_ends_on) == (2, date(2027, 8, 14))


def test_join_refusals_name_the_field(world):
    person = make_person(world.communes[0], birth_date=date(2000, 5, 17))
    join(world, person)
    with pytest.raises(InvalidInput) as exc:
        join(world, person, joined_on=date(2026, 1, 5))
    assert errors(exc) == {"person"}  # already on a roster
    young = make_person(world.communes[0], birth_date=date(2008, 9, 1))
    with pytest.raises(InvalidInput) as exc:
        join(world, young, joined_on=date(2026, 8, 31))
    assert errors(exc) == {"joined_on"}  # 17 until the next day (DQTV Art. 8(1))
    elsewhere = make_person(world.communes[2])
    with pytest.raises(InvalidInput) as exc:
        join(world, elsewhere)
    assert errors(exc) == {"unit"}  # lives in 99003, not where BCHQS-X-99001 serves
    with pytest.raises(InvalidInput) as exc:
        join(world, elsewhere, unit=world.areas[1])
    assert errors(exc) == {"unit"}  # an area defence command keeps no militia roster
    with pytest.raises(InvalidInput) as exc:
        join(world, elsewhere, unit=world.commune_commands[2], joined_on=date(2025, 6, 1))
    assert errors(exc) == {"unit"}  # the command exists only from 2025-07-01
    with pytest.raises(InvalidInput) as exc:
        join(
            world,
            elsewhere,
            unit=world.commune_commands[2],
            joined_on=timezone.localdate() + timedelta(days=1),
        )
    assert errors(exc) == {"joined_on"}
    assert MilitiaMembership.objects.count() == 1
    assert AuditEvent.objects.filter(action="militia.member.joined").count() == 1


def test_rejoining_must_not_overlap_an_earlier_membership(world):
    person = make_person(world.communes[0])
    first = join(world, person)
    actions.militia_leave(
        membership=first, left_on=date(2026, 2, 1), reason="moved", acting_user=None
    )
    with pytest.raises(InvalidInput) as exc:
        join(world, person, joined_on=date(2026, 2, 1))
    assert errors(exc) == {"joined_on"}
    assert join(world, person, joined_on=date(2026, 2, 2)).valid_from == date(2026, 2, 2)


def test_one_open_membership_per_person_is_a_database_constraint(world):
    person = make_person(world.communes[0])
    membership = join(world, person)
    membership.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_users_write_only_in_their_jurisdiction_and_auditors_not_at_all(world):
    person = make_person(world.communes[0])
    outsider = world.user("xa3", Role.COMMUNE_STAFF, world.commune_commands[2])
    with pytest.raises(PermissionDenied):
        join(world, person, acting_user=outsider)
    auditor = world.user("kt", Role.AUDITOR, world.provincial)
    with pytest.raises(PermissionDenied):
        join(world, person, acting_user=auditor)
    staff = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    join(world, person, acting_user=staff)
    assert AuditEvent.objects.get(action="militia.member.joined").actor_label == "xa1"


def test_leave_completed_deferred_and_closed(world):
    person = make_person(world.communes[0])
    membership = join(world, person, force_kind="standing", joined_on=date(2025, 7, 1))
    with pytest.raises(InvalidInput) as exc:
        actions.militia_leave(
            membership=membership, left_on=date(2026, 9, 1), reason="completed", acting_user=None
        )
    assert errors(exc) == {"reason"}  # the term runs until 2027-06-30 (DQTV Art. 13)
    with pytest.raises(InvalidInput) as exc:
        actions.militia_leave(
            membership=membership, left_on=date(2026, 9, 1), reason="deferred", acting_user=None
        )
    assert errors(exc) == {"ground_code"}
    with pytest.raises(InvalidInput) as exc:
        actions.militia_leave(
            membership=membership, left_on=date(2026, 9, 1), reason="other", acting_user=None
        )
    assert errors(exc) == {"note"}
    left = actions.militia_leave(
        membership=membership,
        left_on=date(2026, 9, 1),
        reason="deferred",
        ground_code="MDEF_STUDENT_OR_ABROAD",
        acting_user=None,
    )
    assert (left.valid_to, left.left_on, left.left_reason) == (
        date(2026, 9, 1),
        date(2026, 9, 1),
        "deferred",
    )
    event = AuditEvent.objects.get(action="militia.member.left")
    assert event.data == {
        "unit": "BCHQS-X-99001",
        "reason": "deferred",
        "ground": "MDEF_STUDENT_OR_ABROAD",
        "on": "2026-09-01",
    }
    with pytest.raises(InvalidInput) as exc:
        actions.militia_leave(
            membership=membership, left_on=date(2026, 9, 2), reason="moved", acting_user=None
        )
    assert errors(exc) == {"membership"}


def test_term_extension(world):
    membership = join(world, make_person(world.communes[0]), joined_on=date(2025, 7, 1))
    with pytest.raises(InvalidInput) as exc:
        actions.militia_term_extend(membership=membership, until=date(2031, 7, 1), acting_user=None)
    assert errors(exc) == {"until"}  # 2029-06-30 + 2 years at most
    extended = actions.militia_term_extend(
        membership=membership, until=date(2031, 6, 30), acting_user=None
    )
    assert extended.term_ends_on == date(2031, 6, 30)
    assert AuditEvent.objects.get(action="militia.term.extended").data["from"] == "2029-06-30"


def test_target_set_keeps_history(world):
    command = world.commune_commands[0]
    first = actions.militia_target_set(
        unit=command, size=12, valid_from=date(2025, 7, 1), acting_user=None
    )
    same_day = actions.militia_target_set(
        unit=command, size=14, valid_from=date(2025, 7, 1), basis="QĐ 3", acting_user=None
    )
    assert same_day.pk == first.pk
    later = actions.militia_target_set(
        unit=command, size=18, valid_from=date(2026, 5, 1), acting_user=None
    )
    assert list(
        MilitiaTarget.objects.order_by("valid_from").values_list("size", "valid_from", "valid_to")
    ) == [(14, date(2025, 7, 1), date(2026, 4, 30)), (18, date(2026, 5, 1), None)]
    assert later.valid_to is None
    with pytest.raises(InvalidInput) as exc:
        actions.militia_target_set(
            unit=command, size=0, valid_from=date(2026, 1, 1), acting_user=None
        )
    assert errors(exc) == {"size", "valid_from"}
    assert AuditEvent.objects.filter(action="militia.target.set").count() == 3


def test_a_death_closes_the_membership_through_the_worklist_hook(world):
    person = make_person(world.communes[0])
    join(world, person)
    other = join(world, make_person(world.communes[0], "Trần Văn Bình"))
    person.life_status, person.died_on = "dead", date(2026, 3, 2)
    person.save()
    closed = hooks.deceased_close_records(person=person, died_on=date(2026, 3, 2), acting_user=None)
    assert closed["militia"] == 1
    row = MilitiaMembership.objects.get(person=person)
    assert (row.valid_to, row.left_reason) == (date(2026, 3, 2), "died")
    other.refresh_from_db()
    assert other.valid_to is None
    assert AuditEvent.objects.get(action="militia.member.left").data["reason"] == "died"
    again = hooks.deceased_close_records(person=person, died_on=date(2026, 3, 2), acting_user=None)
    assert again["militia"] == 0
