"""Decisions on militia duty: each change keeps who decided, its number and date; release and
removal with the law's codes (DQTV Art. 12); transfers between units and communes keep the
term; a deferral or exemption bars selection (Art. 11) and takes a member off the roster."""

from __future__ import annotations

from datetime import date

import pytest

from muster.accounts.models import Role
from muster.audit.models import AuditEvent
from muster.core.errors import InvalidInput, PermissionDenied
from muster.militia import actions
from muster.militia.models import MilitiaDecision, MilitiaMembership
from muster.militia.rules import CommuneFlags
from muster.people.models import ResidencePeriod
from muster.people.tests.factories import make_person

JOINED = date(2025, 8, 15)
DECISION = actions.Decision("15/QĐ-UBND", JOINED, "Chủ tịch UBND xã")


def codes(exc: pytest.ExceptionInfo[InvalidInput]) -> set[str]:
    return {e.code for e in exc.value.errors}


def member(world, **kw) -> MilitiaMembership:
    person = kw.pop("person", None) or make_person(world.communes[0], birth_date=date(2000, 5, 17))
    return actions.militia_join(
        person=person,
        unit=kw.pop("unit", world.commune_commands[0]),
        joined_on=kw.pop("joined_on", JOINED),
        force_kind=kw.pop("force_kind", "mobile"),
        decision=DECISION,
        acting_user=kw.pop("acting_user", None),
        **kw,
    )


def test_a_user_names_the_decision_and_it_is_kept(world):
    staff = world.user("xa1", Role.COMMUNE_STAFF, world.commune_commands[0])
    person = make_person(world.communes[0])
    with pytest.raises(InvalidInput) as exc:
        actions.militia_join(
            person=person,
            unit=world.commune_commands[0],
            joined_on=JOINED,
            force_kind="mobile",
            acting_user=staff,
        )
    assert codes(exc) == {"REQUIRED"}
    assert not MilitiaMembership.objects.exists()
    membership = member(world, person=person, acting_user=staff)
    decision = MilitiaDecision.objects.get(membership=membership)
    assert (decision.kind, decision.number, decision.decided_on, decision.decided_by) == (
        "join",
        "15/QĐ-UBND",
        JOINED,
        "Chủ tịch UBND xã",
    )
    event = AuditEvent.objects.get(action="militia.member.joined")
    assert (event.data["decision"], event.data["decided_on"]) == ("15/QĐ-UBND", "2025-08-15")


def test_release_and_removal_name_their_codes(world):
    released = member(world)
    with pytest.raises(InvalidInput) as exc:
        actions.militia_leave(
            membership=released, left_on=date(2026, 3, 1), reason="released", acting_user=None
        )
    assert codes(exc) == {"MILITIA_RELEASE_CODE_NEEDED"}
    actions.militia_leave(
        membership=released,
        left_on=date(2026, 3, 1),
        reason="released",
        ground_code="MREL_CALLED_OR_HIRED",
        decision=actions.Decision("20/QĐ-UBND", date(2026, 3, 1), "Chủ tịch UBND xã"),
        acting_user=None,
    )
    released.refresh_from_db()
    assert (released.valid_to, released.left_reason, released.ground_code) == (
        date(2026, 3, 1),
        "released",
        "MREL_CALLED_OR_HIRED",
    )
    assert MilitiaDecision.objects.get(kind="leave").ground_code == "MREL_CALLED_OR_HIRED"
    removed = member(world)
    actions.militia_leave(
        membership=removed,
        left_on=date(2026, 4, 1),
        reason="removed",
        ground_code="MREM_PROSECUTED",
        acting_user=None,
    )
    removed.refresh_from_db()
    assert (removed.left_reason, removed.ground_code) == ("removed", "MREM_PROSECUTED")


def test_transfer_between_units_and_communes_keeps_the_term(world):
    mobile = actions.militia_unit_create(
        command=world.commune_commands[0],
        name="Trung đội cơ động",
        echelon="platoon",
        force_kind="mobile",
        valid_from=date(2025, 7, 1),
        acting_user=None,
    )
    first = member(world)
    moved = actions.militia_transfer(
        membership=first,
        on=date(2026, 1, 10),
        militia_unit=mobile,
        decision=DECISION,
        acting_user=None,
    )
    first.refresh_from_db()
    assert (first.valid_to, first.left_reason, first.left_on) == (
        date(2026, 1, 9),
        "unit_changed",
        None,
    )
    assert (moved.militia_unit, moved.valid_from, moved.joined_on, moved.term_ends_on) == (
        mobile,
        date(2026, 1, 10),
        JOINED,
        first.term_ends_on,
    )
    # To another commune: only where the member now lives.
    with pytest.raises(InvalidInput) as exc:
        actions.militia_transfer(
            membership=moved,
            on=date(2026, 2, 1),
            command=world.commune_commands[1],
            acting_user=None,
        )
    assert codes(exc) == {"MILITIA_LIVES_ELSEWHERE"}
    person = moved.person
    ResidencePeriod.objects.filter(person=person).update(valid_to=date(2026, 1, 31))
    ResidencePeriod.objects.create(
        person=person, commune=world.communes[1], valid_from=date(2026, 2, 1)
    )
    there = actions.militia_transfer(
        membership=moved, on=date(2026, 2, 1), command=world.commune_commands[1], acting_user=None
    )
    assert (there.unit, there.militia_unit) == (world.commune_commands[1], None)
    assert AuditEvent.objects.filter(action="militia.member.transferred").count() == 2
    # A unit of another commune is refused (DQTV Art. 15).
    with pytest.raises(InvalidInput) as exc:
        actions.militia_transfer(
            membership=there, on=date(2026, 3, 1), militia_unit=mobile, command=world.commune_commands[1],
            acting_user=None,
        )  # fmt: skip
    assert codes(exc) == {"MILITIA_UNIT_ELSEWHERE"}


def test_transfer_refused_outside_the_jurisdiction(world):
    first = member(world)
    outsider = world.user("xa3", Role.COMMUNE_STAFF, world.commune_commands[2])
    with pytest.raises(PermissionDenied):
        actions.militia_transfer(
            membership=first, on=date(2026, 1, 10), command=world.commune_commands[1],
            decision=DECISION, acting_user=outsider,
        )  # fmt: skip


def test_deferral_bars_selection_and_takes_a_member_off(world):
    serving = member(world)
    decided = actions.Decision("31/QĐ-UBND", date(2026, 2, 1), "Chủ tịch UBND xã")
    actions.militia_duty_decide(
        person=serving.person,
        command=world.commune_commands[0],
        kind="deferral",
        ground_code="MDEF_STUDENT_OR_ABROAD",
        decision=decided,
        valid_until=date(2028, 6, 30),
        acting_user=None,
    )
    serving.refresh_from_db()
    assert (serving.valid_to, serving.left_reason, serving.ground_code) == (
        date(2026, 2, 1),
        "deferred",
        "MDEF_STUDENT_OR_ABROAD",
    )
    with pytest.raises(InvalidInput) as exc:
        member(world, person=serving.person, joined_on=date(2026, 5, 10))
    assert codes(exc) == {"MILITIA_GROUND_BARS"}  # studying: no volunteering (Art. 11(3))
    # An exemption a volunteer may serve despite (Art. 11(3)).
    other = make_person(world.communes[0], birth_date=date(1999, 1, 1))
    actions.militia_duty_decide(
        person=other,
        command=world.commune_commands[0],
        kind="exemption",
        ground_code="MEX_MARTYR_FAMILY",
        decision=decided,
        acting_user=None,
    )
    with pytest.raises(InvalidInput) as exc:
        member(world, person=other, joined_on=date(2026, 5, 10))
    assert codes(exc) == {"MILITIA_GROUND_VOLUNTEER_ONLY"}
    assert member(world, person=other, joined_on=date(2026, 5, 10), volunteer=True).volunteer
    assert AuditEvent.objects.filter(action="militia.duty.decided").count() == 2


def test_deferral_of_someone_elsewhere_is_refused(world):
    elsewhere = make_person(world.communes[2])
    with pytest.raises(InvalidInput) as exc:
        actions.militia_duty_decide(
            person=elsewhere,
            command=world.commune_commands[0],
            kind="deferral",
            ground_code="MDEF_HEALTH",
            decision=DECISION,
            acting_user=None,
        )
    assert codes(exc) == {"MILITIA_LIVES_ELSEWHERE"}
    assert not MilitiaDecision.objects.exists()


def test_naval_and_standing_need_the_commune_flags(world):
    with pytest.raises(InvalidInput) as exc:
        member(world, force_kind="naval")
    assert codes(exc) == {"MILITIA_NAVAL_NOT_COASTAL"}
    with pytest.raises(InvalidInput) as exc:
        member(world, force_kind="standing")
    assert codes(exc) == {"MILITIA_STANDING_NOT_KEY"}
    actions.defence_commune_set(
        commune=world.communes[0],
        flags=CommuneFlags(coastal=True, key_defence=True),
        valid_from=date(2025, 7, 1),
        acting_user=None,
    )
    assert member(world, force_kind="naval").term_years == 4
    assert member(world, force_kind="standing").term_years == 2
    assert not MilitiaDecision.objects.filter(kind="leave").exists()
