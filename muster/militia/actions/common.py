"""What the militia's actions share: the decision they record, the member's residence, the
defence flags of a command's commune and the open membership locked for a change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from muster.core.errors import FieldError, InvalidInput
from muster.militia import rules
from muster.militia.models import MilitiaDecision, MilitiaMembership
from muster.militia.queries import command_commune_ids, commune_flags
from muster.orgs.models import OrgUnit
from muster.people.models import Person, ResidencePeriod

IMPORTED = "imported"


@dataclass(frozen=True)
class Decision:
    """A decision on militia duty: its number, its day and who took it (the commune chairman
    or the head of the agency, DQTV Art. 10-13). Imported members carry `imported`."""

    number: str
    decided_on: date
    decided_by: str

    @classmethod
    def imported(cls, day: date) -> Decision:
        """What an import records: no paper decision to hand, decided on the join day."""
        return cls(IMPORTED, day, IMPORTED)

    def problems(self, today: date) -> list[FieldError]:
        return rules.decision_problems(
            number=self.number,
            decided_on=self.decided_on,
            decided_by=self.decided_by,
            today=today,
        )


def decision_needed(
    decision: Decision | None, acting_user: object, today: date
) -> list[FieldError]:
    """A user records the decision a change rests on; the system (demo, feed) may have none."""
    if decision is None:
        return [FieldError("decision_number", "REQUIRED")] if acting_user is not None else []
    return decision.problems(today)


def decision_record(
    decision: Decision | None,
    *,
    person: Person,
    command: OrgUnit,
    kind: str,
    membership: MilitiaMembership | None = None,
    ground_code: str = "",
    valid_until: date | None = None,
) -> MilitiaDecision | None:
    """Keep the decision beside the change it made (nothing when the system had none)."""
    if decision is None:
        return None
    return MilitiaDecision.objects.create(
        person=person,
        membership=membership,
        command=command,
        kind=kind,
        number=decision.number.strip(),
        decided_on=decision.decided_on,
        decided_by=decision.decided_by.strip(),
        ground_code=ground_code,
        valid_until=valid_until,
    )


def decision_data(decision: Decision | None) -> dict[str, str]:
    """The decision for the audit event."""
    if decision is None:
        return {}
    return {
        "decision": decision.number.strip(),
        "decided_on": decision.decided_on.isoformat(),
        "decided_by": decision.decided_by.strip(),
    }


def residence_on(person: Person, day: date) -> int:
    """The commune the person lived in on `day` (history first, else the current one)."""
    commune_id = (
        ResidencePeriod.objects.as_of(day)
        .filter(person=person)
        .order_by("-valid_from")
        .values_list("commune_id", flat=True)
        .first()
    )
    return commune_id or person.residence_commune_id


def command_communes(command: OrgUnit, day: date) -> list[int]:
    """The communes a commune command covers on `day`."""
    return command_commune_ids([command.pk], day).get(command.pk, [])


def lives_under(
    person: Person, command: OrgUnit, day: date, communes: list[int] | None = None
) -> bool:
    """Militia serve where they live (DQTV Art. 9: registration at the commune).
    `communes`: the command's on `day`, when the caller has them already."""
    if communes is None:
        communes = command_communes(command, day)
    return residence_on(person, day) in communes


def command_flags(
    command: OrgUnit, day: date, communes: list[int] | None = None
) -> rules.CommuneFlags:
    """The defence flags of the commune a commune command covers on `day`."""
    if communes is None:
        communes = command_communes(command, day)
    return commune_flags(communes[0], day) if communes else rules.CommuneFlags()


def locked_open(membership: MilitiaMembership) -> MilitiaMembership:
    """The membership, locked for the change; refused when it is already closed."""
    locked = (
        # Only the membership row is locked: the unit is a nullable (outer) join.
        MilitiaMembership.objects.select_for_update(of=("self",))
        .select_related("person__residence_commune", "unit", "militia_unit")
        .get(pk=membership.pk)
    )
    if locked.valid_to is not None:
        raise InvalidInput.single(
            "membership", "MILITIA_MEMBERSHIP_CLOSED", {"day": locked.valid_to}
        )
    return locked
