"""Writes to the militia roster: joining, leaving, extending a term, a command's target size and
closing on death. Each is atomic and records its audit event in the same transaction.

`acting_user=None` is the system (the demo, the change feed); a user must be allowed the action
(`accounts.permissions`) on the command's communes.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.core.errors import FieldError, InvalidInput
from muster.militia import rules
from muster.militia.models import LeftReason, MilitiaMembership, MilitiaTarget
from muster.militia.queries import command_commune_ids
from muster.orgs.models import OrgKind, OrgUnit
from muster.people.models import Person, ResidencePeriod
from muster.worklists.settle import work_items_settle


def _residence_on(person: Person, day: date) -> int:
    """The commune the person lived in on `day` (history first, else the current one)."""
    commune_id = (
        ResidencePeriod.objects.as_of(day)
        .filter(person=person)
        .order_by("-valid_from")
        .values_list("commune_id", flat=True)
        .first()
    )
    return commune_id or person.residence_commune_id


def _roster_problems(person: Person, unit: OrgUnit, day: date) -> list[FieldError]:
    """What the roster says against a join: the command, the person's residence, overlaps."""
    problems: list[FieldError] = []
    if day > timezone.localdate():
        problems.append(FieldError("joined_on", "DATE_IN_FUTURE", {"day": day}))
    if unit.kind != OrgKind.COMMUNE_COMMAND or not unit.is_valid_on(day):
        problems.append(
            FieldError("unit", "NOT_A_COMMUNE_COMMAND_ON", {"code": unit.code, "day": day})
        )
    elif _residence_on(person, day) not in command_commune_ids([unit.pk], day).get(unit.pk, []):
        # Militia serve where they live (DQTV Art. 9: registration at the commune).
        problems.append(FieldError("unit", "MILITIA_LIVES_ELSEWHERE", {"code": unit.code}))
    latest = (
        MilitiaMembership.objects.select_for_update()
        .filter(person=person)
        .order_by("-valid_from", "-id")
        .first()
    )
    if latest is not None and latest.valid_to is None:
        problems.append(FieldError("person", "MILITIA_ALREADY_MEMBER", {"code": latest.unit.code}))
    elif latest is not None and latest.valid_to is not None and latest.valid_to >= day:
        problems.append(FieldError("joined_on", "MILITIA_OVERLAP", {"day": latest.valid_to}))
    return problems


@transaction.atomic
def militia_join(
    *,
    person: Person,
    unit: OrgUnit,
    joined_on: date,
    force_kind: str,
    specialty: str = "",
    volunteer: bool = False,
    grounds: Sequence[str] = (),
    note: str = "",
    acting_user: User | None,
) -> MilitiaMembership:
    """Put `person` on commune command `unit`'s roster from `joined_on` for a full term.

    The commune chairman selects (DQTV Art. 10); ages, forces and grounds are checked by
    `rules.join_problems` (Art. 6, 8(1), 11), the term by `rules.term_ends_on` (Art. 8(2)).
    InvalidInput lists every problem.
    """
    permissions.require(acting_user, "militia.join", unit=unit)
    facts = rules.JoinFacts(
        sex=person.sex,
        birth_date=person.birth_date,
        died_on=person.died_on,
        force_kind=force_kind,
        specialty=specialty,
        volunteer=volunteer,
        grounds=tuple(grounds),
    )
    problems = rules.join_problems(facts, joined_on) + _roster_problems(person, unit, joined_on)
    if len(note) > 200:
        problems.append(FieldError("note", "TOO_LONG", {"limit": 200}))
    if problems:
        raise InvalidInput(problems)
    membership = MilitiaMembership.objects.create(
        person=person,
        unit=unit,
        force_kind=force_kind,
        specialty=specialty,
        volunteer=volunteer,
        joined_on=joined_on,
        term_years=rules.term_years(force_kind),
        term_ends_on=rules.term_ends_on(
            joined_on, force_kind, birth_date=person.birth_date, sex=person.sex, volunteer=volunteer
        ),
        valid_from=joined_on,
        note=note,
    )
    audit.record(
        "militia.member.joined",
        actor=acting_user,
        target=person,
        data={
            "unit": unit.code,
            "force_kind": force_kind,
            "specialty": specialty,
            "volunteer": volunteer,
            "grounds": list(grounds),
            "on": joined_on.isoformat(),
            "term_ends_on": membership.term_ends_on.isoformat(),
        },
        commune_code=person.residence_commune.code,
    )
    return membership


def _locked_open(membership: MilitiaMembership) -> MilitiaMembership:
    locked = (
        MilitiaMembership.objects.select_for_update()
        .select_related("person__residence_commune", "unit")
        .get(pk=membership.pk)
    )
    if locked.valid_to is not None:
        raise InvalidInput.single(
            "membership", "MILITIA_MEMBERSHIP_CLOSED", {"day": locked.valid_to}
        )
    return locked


@transaction.atomic
def militia_leave(
    *,
    membership: MilitiaMembership,
    left_on: date,
    reason: str,
    ground_code: str = "",
    note: str = "",
    acting_user: User | None,
) -> MilitiaMembership:
    """Close an open membership: `left_on` is the last day on the roster.

    Completion after the full term (DQTV Art. 13), deferral or exemption with its Art. 11
    ground, a move away, a death already recorded (Art. 12(2)), or another reason with a note.
    """
    membership = _locked_open(membership)
    permissions.require(acting_user, "militia.leave", unit=membership.unit)
    person = membership.person
    problems = rules.leave_problems(
        reason=reason,
        left_on=left_on,
        valid_from=membership.valid_from,
        term_ends_on=membership.term_ends_on,
        today=timezone.localdate(),
        ground_code=ground_code,
        died_on=person.died_on,
    )
    if reason == LeftReason.OTHER and not note.strip():
        problems.append(FieldError("note", "MILITIA_LEAVE_NOTE_REQUIRED"))
    if len(note) > 200:
        problems.append(FieldError("note", "TOO_LONG", {"limit": 200}))
    if problems:
        raise InvalidInput(problems)
    membership.valid_to = left_on
    membership.left_reason = reason
    membership.ground_code = ground_code
    membership.note = note.strip() or membership.note
    membership.save(update_fields=["valid_to", "left_reason", "ground_code", "note"])
    audit.record(
        "militia.member.left",
        actor=acting_user,
        target=person,
        data={
            "unit": membership.unit.code,
            "reason": reason,
            "ground": ground_code,
            "on": left_on.isoformat(),
        },
        commune_code=person.residence_commune.code,
    )
    work_items_settle(person_ids=[person.pk])  # off the roster: his transfer may be moot
    return membership


@transaction.atomic
def militia_term_extend(
    *,
    membership: MilitiaMembership,
    until: date,
    commander: bool = False,
    acting_user: User | None,
) -> MilitiaMembership:
    """Extend an open membership's term to `until`: by up to 2 years, naval militia and unit
    commanders up to the age limit (DQTV Art. 8(2)), never past the duty age (Art. 8(1))."""
    membership = _locked_open(membership)
    permissions.require(acting_user, "militia.term.extend", unit=membership.unit)
    person = membership.person
    age_end = rules.last_day_of_age(
        person.birth_date, rules.age_limit(person.sex, volunteer=membership.volunteer)
    )
    problems = rules.extension_problems(
        joined_on=membership.joined_on,
        force_kind=membership.force_kind,
        until=until,
        current_end=membership.term_ends_on,
        age_end=age_end,
        commander=commander,
    )
    if problems:
        raise InvalidInput(problems)
    before = membership.term_ends_on
    membership.term_ends_on = until
    membership.save(update_fields=["term_ends_on"])
    audit.record(
        "militia.term.extended",
        actor=acting_user,
        target=person,
        data={"unit": membership.unit.code, "from": before.isoformat(), "to": until.isoformat()},
        commune_code=person.residence_commune.code,
    )
    return membership


@transaction.atomic
def militia_target_set(
    *, unit: OrgUnit, size: int, valid_from: date, basis: str = "", acting_user: User | None
) -> MilitiaTarget:
    """The size `unit`'s militia should have from `valid_from`; the target in force before
    ends the day before (a target set again on the same day is corrected in place)."""
    permissions.require(acting_user, "militia.target.set", unit=unit)
    problems: list[FieldError] = []
    if size < 1:
        problems.append(FieldError("size", "MIN_VALUE", {"min": 1}))
    if unit.kind != OrgKind.COMMUNE_COMMAND or not unit.is_valid_on(valid_from):
        problems.append(
            FieldError("unit", "NOT_A_COMMUNE_COMMAND_ON", {"code": unit.code, "day": valid_from})
        )
    current = MilitiaTarget.objects.select_for_update().filter(unit=unit, valid_to__isnull=True)
    open_target = current.first()
    if open_target is not None and open_target.valid_from and open_target.valid_from > valid_from:
        problems.append(
            FieldError("valid_from", "MILITIA_TARGET_IN_FORCE", {"day": open_target.valid_from})
        )
    if problems:
        raise InvalidInput(problems)
    if open_target is not None and open_target.valid_from == valid_from:
        open_target.size, open_target.basis = size, basis
        open_target.save(update_fields=["size", "basis"])
        target = open_target
    else:
        current.update(valid_to=valid_from - timedelta(days=1))
        target = MilitiaTarget.objects.create(
            unit=unit, size=size, valid_from=valid_from, basis=basis
        )
    audit.record(
        "militia.target.set",
        actor=acting_user,
        target=unit,
        data={"size": size, "from": valid_from.isoformat(), "basis": basis},
    )
    return target


@transaction.atomic
def militia_close_for_death(*, person: Person, died_on: date, acting_user: User | None) -> int:
    """Death removes the member from the roster on the day of death (DQTV Art. 12(2));
    registered with worklists.hooks in apps.py, run when the register reports the death."""
    closed = 0
    for membership in MilitiaMembership.objects.select_for_update().filter(
        person=person, valid_to__isnull=True
    ):
        membership.valid_to = max(died_on, membership.valid_from or died_on)
        membership.left_reason = LeftReason.DIED
        membership.save(update_fields=["valid_to", "left_reason"])
        audit.record(
            "militia.member.left",
            actor=acting_user,
            target=person,
            data={"unit": membership.unit.code, "reason": "died", "on": died_on.isoformat()},
            commune_code=person.residence_commune.code,
        )
        closed += 1
    return closed
