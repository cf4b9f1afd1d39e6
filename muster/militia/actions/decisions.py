"""Moves between units and commands, and deferral or exemption from militia duty (DQTV
Art. 11, 15, 19). Each is atomic and audited, keeping the decision it rests on."""

from __future__ import annotations

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
    command_flags,
    decision_data,
    decision_needed,
    decision_record,
    lives_under,
    locked_open,
)
from muster.militia.actions.roster import unit_fit_problems
from muster.militia.models import (
    DecisionKind,
    LeftReason,
    MilitiaDecision,
    MilitiaMembership,
    MilitiaUnit,
)
from muster.orgs.models import OrgKind, OrgUnit
from muster.people.models import Person
from muster.worklists.bulk import work_items_sync


@transaction.atomic
def militia_transfer(
    *,
    membership: MilitiaMembership,
    on: date,
    militia_unit: MilitiaUnit | None = None,
    command: OrgUnit | None = None,
    decision: Decision | None = None,
    acting_user: User | None,
) -> MilitiaMembership:
    """Move a member from `on` to `militia_unit` (one of the command's units) or to another
    commune's `command` (where the member now lives), keeping the term and force: the current
    row ends the day before (`unit_changed`) and a continuation opens on the day, so a roster
    as of any day holds. Returns the continuation."""
    membership = locked_open(membership)
    permissions.require(acting_user, "militia.transfer", unit=membership.unit)
    new_command = command or (militia_unit.command if militia_unit else membership.unit)
    if new_command.pk != membership.unit_id:
        permissions.require(acting_user, "militia.transfer", unit=new_command)
    person = membership.person
    today = timezone.localdate()
    problems = rules.transfer_problems(
        on=on,
        valid_from=membership.valid_from,
        same_place=(new_command.pk, militia_unit.pk if militia_unit else None)
        == (membership.unit_id, membership.militia_unit_id),
        today=today,
    ) + decision_needed(decision, acting_user, today)
    if new_command.pk != membership.unit_id:
        if new_command.kind != OrgKind.COMMUNE_COMMAND or not new_command.is_valid_on(on):
            problems.append(
                FieldError(
                    "command", "NOT_A_COMMUNE_COMMAND_ON", {"code": new_command.code, "day": on}
                )
            )
        elif not lives_under(person, new_command, on):
            problems.append(
                FieldError("command", "MILITIA_LIVES_ELSEWHERE", {"code": new_command.code})
            )
        else:
            problems += rules.commune_force_problems(
                membership.force_kind, command_flags(new_command, on)
            )
    problems += unit_fit_problems(
        militia_unit,
        command=new_command,
        force_kind=membership.force_kind,
        specialty=membership.specialty,
        day=on,
    )
    if problems:
        raise InvalidInput(problems)
    before = (membership.unit.code, membership.militia_unit_id)
    membership.valid_to = on - timedelta(days=1)
    membership.left_reason = LeftReason.UNIT_CHANGED
    membership.save(update_fields=["valid_to", "left_reason"])
    continued = MilitiaMembership.objects.create(
        person=person,
        unit=new_command,
        militia_unit=militia_unit,
        force_kind=membership.force_kind,
        specialty=membership.specialty,
        volunteer=membership.volunteer,
        joined_on=membership.joined_on,
        term_years=membership.term_years,
        term_ends_on=membership.term_ends_on,
        valid_from=on,
        note=membership.note,
    )
    decision_record(
        decision,
        person=person,
        command=new_command,
        kind=DecisionKind.TRANSFER,
        membership=continued,
    )
    audit.record(
        "militia.member.transferred",
        actor=acting_user,
        target=person,
        data={
            "from_unit": before[0],
            "from_militia_unit": before[1],
            "unit": new_command.code,
            "militia_unit": militia_unit.pk if militia_unit else None,
            "on": on.isoformat(),
            **decision_data(decision),
        },
        commune_code=person.residence_commune.code,
    )
    # Both commands' counts against target changed; the member's items follow the roster.
    work_items_sync(person_ids=[person.pk], unit_ids=[membership.unit_id, new_command.pk])
    return continued


@transaction.atomic
def militia_duty_decide(
    *,
    person: Person,
    command: OrgUnit,
    kind: str,
    ground_code: str,
    decision: Decision,
    valid_until: date | None = None,
    acting_user: User | None,
) -> MilitiaDecision:
    """Record the commune chairman's deferral (an Art. 11(1) MDEF_* ground, until a day or
    open) or exemption (an Art. 11(2) MEX_* ground) from militia duty for a person of the
    command's commune (DQTV Art. 11(4)). While in force it bars selection, except as a
    volunteer where Art. 11(3) allows; a member then leaves the roster on the decision day
    with the ground."""
    permissions.require(acting_user, "militia.duty.decide", unit=command)
    today = timezone.localdate()
    day = decision.decided_on
    problems = rules.duty_decision_problems(
        kind=kind, ground_code=ground_code, decided_on=day, valid_until=valid_until
    ) + decision.problems(today)
    if command.kind != OrgKind.COMMUNE_COMMAND or not command.is_valid_on(min(day, today)):
        problems.append(
            FieldError("command", "NOT_A_COMMUNE_COMMAND_ON", {"code": command.code, "day": day})
        )
    elif not lives_under(person, command, min(day, today)):
        problems.append(FieldError("person", "MILITIA_LIVES_ELSEWHERE", {"code": command.code}))
    open_row = (
        MilitiaMembership.objects.select_for_update()
        .filter(person=person, valid_to__isnull=True)
        .first()
    )
    if open_row is not None and open_row.valid_from is not None and day < open_row.valid_from:
        problems.append(
            FieldError("decided_on", "MILITIA_LEFT_BEFORE_JOINED", {"day": open_row.valid_from})
        )
    if problems:
        raise InvalidInput(problems)
    record = MilitiaDecision.objects.create(
        person=person,
        membership=open_row,
        command=command,
        kind=kind,
        number=decision.number.strip(),
        decided_on=day,
        decided_by=decision.decided_by.strip(),
        ground_code=ground_code,
        valid_until=valid_until,
    )
    closed = False
    if open_row is not None:
        membership = locked_open(open_row)
        membership.valid_to = day
        membership.left_reason = (
            LeftReason.DEFERRED if kind == rules.DEFERRAL else LeftReason.EXEMPTED
        )
        membership.ground_code = ground_code
        membership.save(update_fields=["valid_to", "left_reason", "ground_code"])
        closed = True
    audit.record(
        "militia.duty.decided",
        actor=acting_user,
        target=person,
        data={
            "unit": command.code,
            "kind": kind,
            "ground": ground_code,
            "until": valid_until.isoformat() if valid_until else None,
            "left_roster": closed,
            **decision_data(decision),
        },
        commune_code=person.residence_commune.code,
    )
    if closed:
        work_items_sync(person_ids=[person.pk], unit_ids=[command.pk])
    return record
