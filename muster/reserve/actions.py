"""Writes to the reserve: entry (from a discharge or by staff) and closing. Each audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from muster import audit
from muster.accounts.models import User
from muster.people.models import Person
from muster.reserve.models import ReserveMembership
from muster.reserve.rules import ReserveEntry
from muster.worklists.settle import work_items_settle


@transaction.atomic
def reserve_enter(
    *, person: Person, entry: ReserveEntry, entered_on: date, source: str, acting_user: User | None
) -> tuple[ReserveMembership, bool]:
    """Put a person in the reserve; idempotent per `source` (a discharge enters once)."""
    existing = ReserveMembership.objects.filter(person=person, source=source).first()
    if existing is not None:
        return existing, False
    membership = ReserveMembership.objects.create(
        person=person,
        category=entry.category,
        basis_code=entry.basis_code,
        valid_from=entered_on,
        source=source,
    )
    audit.record(
        "reserve.member.entered",
        actor=acting_user,
        target=person,
        data={
            "category": entry.category,
            "basis": entry.basis_code,
            "on": entered_on.isoformat(),
            "source": source,
        },
        commune_code=person.residence_commune.code,
    )
    work_items_settle(person_ids=[person.pk])  # a reservist is not due for first registration
    return membership, True


def reserve_close_for_death(*, person: Person, died_on: date, acting_user: User | None) -> int:
    """Death closes open reserve memberships the day of death (worklists.hooks)."""
    open_periods = ReserveMembership.objects.filter(person=person, valid_to__isnull=True)
    closed = 0
    for period in open_periods:
        period.valid_to = max(died_on, period.valid_from or died_on)
        period.left_reason = "died"
        period.save(update_fields=["valid_to", "left_reason"])
        closed += 1
    if closed:
        audit.record(
            "reserve.member.left",
            actor=acting_user,
            target=person,
            data={"reason": "died", "on": died_on.isoformat()},
            commune_code=person.residence_commune.code,
        )
    return closed
