"""Cadres test records: a command's positions as the builder makes them, certificates."""

from __future__ import annotations

from datetime import date

from muster.cadres.models import Certificate
from muster.orgs import rules as orgs_rules
from muster.orgs.models import OrgUnit, Position
from muster.people.models import Person


def positions_of(unit: OrgUnit) -> dict[int, Position]:
    """The positions `orgs.rules.positions_for` gives the unit's kind, by ordinal."""
    return {
        spec.ordinal: Position.objects.get_or_create(
            org_unit=unit, ordinal=spec.ordinal, defaults={"kind": spec.kind, "title": spec.title}
        )[0]
        for spec in orgs_rules.positions_for(unit.kind)
    }


def certificate(
    person: Person, qualification: str, issued_on: date, expires_on: date | None = None
) -> Certificate:
    return Certificate.objects.create(
        person=person, qualification=qualification, issued_on=issued_on, expires_on=expires_on
    )
