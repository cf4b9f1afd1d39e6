"""Writes to the militia roster: joining, leaving, extending a term, a command's target size and
closing on death. Each is atomic and records its audit event in the same transaction; a
change a decision rests on keeps that decision (`MilitiaDecision`).

`acting_user=None` is the system (the demo, the change feed, the CLI); a user must be allowed
the action (`accounts.permissions`) on the command's communes and name the decision.
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
from muster.militia.actions.common import (
    Decision,
    command_communes,
    command_flags,
    decision_data,
    decision_needed,
    decision_record,
    lives_under,
    locked_open,
)
from muster.militia.models import (
    DecisionKind,
    LeftReason,
    MilitiaDecision,
    MilitiaMembership,
    MilitiaTarget,
    MilitiaUnit,
    SelfDefenceCommand,
)
from muster.orgs.models import Appointment, OrgKind, OrgUnit, PositionKind
from muster.people.models import Person
from muster.reserve import hooks as reserve_hooks
from muster.reserve.queries import assigned_reserve_unit_on
from muster.worklists.bulk import work_items_sync

# Commands keeping a roster: commune commands (militia) and agencies' or enterprises' commands
# (self-defence, DQTV Art. 2, 15).
COMMAND_KINDS = (OrgKind.COMMUNE_COMMAND, OrgKind.SELF_DEFENCE_COMMAND)


def _roster_problems(person: Person, unit: OrgUnit, day: date, force_kind: str) -> list[FieldError]:
    """What the roster says against a join: the command and its commune's flags, the person's
    residence, overlaps with an earlier membership."""
    problems: list[FieldError] = []
    if unit.kind == OrgKind.SELF_DEFENCE_COMMAND and unit.is_valid_on(day):
        # Self-defence members serve where they work (DQTV Art. 2(3)): no residence test.
        record = SelfDefenceCommand.objects.filter(unit=unit).first()
        problems += rules.self_defence_force_problems(
            force_kind, has_vessels=bool(record and record.has_vessels)
        )
    elif unit.kind != OrgKind.COMMUNE_COMMAND or not unit.is_valid_on(day):
        problems.append(
            FieldError("unit", "NOT_A_COMMUNE_COMMAND_ON", {"code": unit.code, "day": day})
        )
    elif not lives_under(person, unit, day, communes := command_communes(unit, day)):
        problems.append(FieldError("unit", "MILITIA_LIVES_ELSEWHERE", {"code": unit.code}))
    elif force_kind in rules.FORCE_KINDS:
        problems += rules.commune_force_problems(force_kind, command_flags(unit, day, communes))
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


def grounds_in_force(person: Person, day: date) -> tuple[str, ...]:
    """The Art. 11 grounds of the deferrals and exemptions decided for the person, in force."""
    return tuple(
        MilitiaDecision.objects.in_force(day)
        .filter(person=person)
        .order_by("decided_on", "id")
        .values_list("ground_code", flat=True)
    )


def unit_fit_problems(
    militia_unit: MilitiaUnit | None,
    *,
    command: OrgUnit,
    force_kind: str,
    specialty: str,
    day: date,
) -> list[FieldError]:
    """The member's unit, if given, is one of the command's, of the member's force, open."""
    if militia_unit is None:
        return []
    return rules.member_unit_problems(
        command_id=command.pk,
        force_kind=force_kind,
        specialty=specialty,
        unit_command_id=militia_unit.command_id,
        unit_force_kind=militia_unit.force_kind,
        unit_specialty=militia_unit.specialty,
        unit_open=militia_unit.is_valid_on(day),
    )


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
    militia_unit: MilitiaUnit | None = None,
    decision: Decision | None = None,
    note: str = "",
    acting_user: User | None,
) -> MilitiaMembership:
    """Put `person` on commune command `unit`'s roster from `joined_on` for a full term, on the
    selection decision of the commune chairman (DQTV Art. 10).

    Ages, forces and grounds (those given and the deferrals and exemptions decided) are
    checked by `rules.join_problems` (Art. 6, 8(1), 10, 11), the commune's flags by
    `rules.commune_force_problems` (Art. 15), the term by `rules.term_ends_on` (Art. 8(2)). A
    soldier in active service (`reserve.hooks.in_active_service`, which conscription answers) or a reservist assigned to a reserve
    unit (`reserve.queries.assigned_reserve_unit_on`) is refused. InvalidInput lists every
    problem; nothing is written then.
    """
    permissions.require(acting_user, "militia.join", unit=unit)
    today = timezone.localdate()
    facts = rules.JoinFacts(
        sex=person.sex,
        birth_date=person.birth_date,
        died_on=person.died_on,
        force_kind=force_kind,
        specialty=specialty,
        volunteer=volunteer,
        grounds=tuple(dict.fromkeys((*grounds, *grounds_in_force(person, joined_on)))),
        in_active_service=reserve_hooks.in_active_service(person.pk, joined_on),
        reserve_unit=assigned_reserve_unit_on(person.pk, joined_on),
    )
    problems = (
        rules.join_problems(facts, joined_on)
        + rules.join_day_problems(joined_on, today=today)
        + decision_needed(decision, acting_user, today)
        + _roster_problems(person, unit, joined_on, force_kind)
        + unit_fit_problems(
            militia_unit, command=unit, force_kind=force_kind, specialty=specialty, day=joined_on
        )
    )
    if len(note) > 200:
        problems.append(FieldError("note", "TOO_LONG", {"limit": 200}))
    if problems:
        raise InvalidInput(problems)
    membership = MilitiaMembership.objects.create(
        person=person,
        unit=unit,
        militia_unit=militia_unit,
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
    decision_record(
        decision, person=person, command=unit, kind=DecisionKind.JOIN, membership=membership
    )
    audit.record(
        "militia.member.joined",
        actor=acting_user,
        target=person,
        data={
            "unit": unit.code,
            "militia_unit": militia_unit.pk if militia_unit else None,
            "force_kind": force_kind,
            "specialty": specialty,
            "volunteer": volunteer,
            "grounds": list(facts.grounds),
            "on": joined_on.isoformat(),
            "term_ends_on": membership.term_ends_on.isoformat(),
            **decision_data(decision),
        },
        commune_code=person.residence_commune.code,
    )
    work_items_sync(person_ids=[person.pk], unit_ids=[unit.pk])  # proposals, target, terms
    return membership


@transaction.atomic
def militia_leave(
    *,
    membership: MilitiaMembership,
    left_on: date,
    reason: str,
    ground_code: str = "",
    note: str = "",
    decision: Decision | None = None,
    acting_user: User | None,
) -> MilitiaMembership:
    """Close an open membership: `left_on` is the last day on the roster.

    Completion after the full term (DQTV Art. 13), early release with its MREL_* code
    (Art. 12(1)), removal with its MREM_* code (Art. 12(2)), deferral or exemption with its
    Art. 11 ground, a move away, a death already recorded, or another reason with a note.
    """
    membership = locked_open(membership)
    permissions.require(acting_user, "militia.leave", unit=membership.unit)
    person = membership.person
    today = timezone.localdate()
    problems = rules.leave_problems(
        reason=reason,
        left_on=left_on,
        valid_from=membership.valid_from,
        term_ends_on=membership.term_ends_on,
        today=today,
        ground_code=ground_code,
        died_on=person.died_on,
    ) + decision_needed(decision, acting_user, today)
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
    decision_record(
        decision,
        person=person,
        command=membership.unit,
        kind=DecisionKind.LEAVE,
        membership=membership,
        ground_code=ground_code,
    )
    audit.record(
        "militia.member.left",
        actor=acting_user,
        target=person,
        data={
            "unit": membership.unit.code,
            "reason": reason,
            "ground": ground_code,
            "on": left_on.isoformat(),
            **decision_data(decision),
        },
        commune_code=person.residence_commune.code,
    )
    # Off the roster: his transfer may be moot, his term's items settled, the unit short.
    work_items_sync(person_ids=[person.pk], unit_ids=[membership.unit_id])
    return membership


def holds_command(person: Person, day: date) -> bool:
    """Whether the person leads a militia unit or holds a post of a command on `day` (the
    orgs app's appointments name holders by personal ID): a commander (DQTV Art. 8(2))."""
    return (
        Appointment.objects.as_of(day)
        .filter(holder_personal_id=person.personal_id)
        .filter(position__kind__in=[PositionKind.MILITIA_LEADER, PositionKind.COMMANDER])
        .exists()
    )


@transaction.atomic
def militia_term_extend(
    *,
    membership: MilitiaMembership,
    until: date,
    commander: bool | None = None,
    self_defence: bool = False,
    decision: Decision | None = None,
    acting_user: User | None,
) -> MilitiaMembership:
    """Extend an open membership's term to `until`: by up to 2 years; naval militia,
    self-defence members and commanders up to the age limit (DQTV Art. 8(2)), never past the
    duty age (Art. 8(1)). `commander` None: whether the member holds a leader's appointment."""
    membership = locked_open(membership)
    permissions.require(acting_user, "militia.term.extend", unit=membership.unit)
    person = membership.person
    today = timezone.localdate()
    if commander is None:
        commander = holds_command(person, today)
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
        # A member of an agency's or enterprise's command is in the self-defence force.
        self_defence=self_defence or membership.unit.kind == OrgKind.SELF_DEFENCE_COMMAND,
    ) + decision_needed(decision, acting_user, today)
    if problems:
        raise InvalidInput(problems)
    before = membership.term_ends_on
    membership.term_ends_on = until
    membership.save(update_fields=["term_ends_on"])
    decision_record(
        decision,
        person=person,
        command=membership.unit,
        kind=DecisionKind.EXTEND,
        membership=membership,
        valid_until=until,
    )
    audit.record(
        "militia.term.extended",
        actor=acting_user,
        target=person,
        data={
            "unit": membership.unit.code,
            "from": before.isoformat(),
            "to": until.isoformat(),
            "commander": commander,
            **decision_data(decision),
        },
        commune_code=person.residence_commune.code,
    )
    work_items_sync(person_ids=[person.pk])  # the term no longer ends within 90 days
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
    if unit.kind not in COMMAND_KINDS or not unit.is_valid_on(valid_from):
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
    work_items_sync(unit_ids=[unit.pk])
    return target


@transaction.atomic
def militia_close_for_death(*, person: Person, died_on: date, acting_user: User | None) -> int:
    """Death removes the member from the roster on the day of death (DQTV Art. 12(2));
    registered with worklists.hooks in apps.py, run when the register reports the death."""
    closed = 0
    units: list[int] = []
    for membership in MilitiaMembership.objects.select_for_update().filter(
        person=person, valid_to__isnull=True
    ):
        membership.valid_to = max(died_on, membership.valid_from or died_on)
        membership.left_reason = LeftReason.DIED
        membership.save(update_fields=["valid_to", "left_reason"])
        units.append(membership.unit_id)
        audit.record(
            "militia.member.left",
            actor=acting_user,
            target=person,
            data={"unit": membership.unit.code, "reason": "died", "on": died_on.isoformat()},
            commune_code=person.residence_commune.code,
        )
        closed += 1
    if closed:
        work_items_sync(person_ids=[person.pk], unit_ids=units)
    return closed
