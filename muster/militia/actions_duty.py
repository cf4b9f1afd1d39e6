"""Writes about militia duty outside the roster itself: the April registration of citizens
turning 18 (DQTV Art. 9(1)(a)) and a member's reported absence of 3 months or more
(Art. 9(2)(b)). Atomic, checked by `accounts.permissions`, audited in the same transaction;
the persons' worklist items follow (`worklists.bulk.work_items_sync`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.utils import timezone

from muster import audit
from muster.accounts import permissions
from muster.accounts.models import User
from muster.core.errors import FieldError, InvalidInput
from muster.core.text import nfc
from muster.militia import rules
from muster.militia.models import MilitiaAbsence, MilitiaMembership, MilitiaRegistration
from muster.people.models import LifeStatus, Person
from muster.worklists.bulk import work_items_sync


@transaction.atomic
def militia_registration_record(
    *, persons: Sequence[Person], registered_on: date, acting_user: User | None
) -> int:
    """Register `persons` for militia duty on `registered_on` (the year's April registration,
    DQTV Art. 9(1)(a)); those already registered that year are left as they are. Each person
    is 18 or over that year and alive (`rules.registration_problems`). Returns how many were
    registered now."""
    problems: list[FieldError] = []
    for person in persons:
        permissions.require(acting_user, "militia.join", commune_id=person.residence_commune_id)
        problems += rules.registration_problems(
            birth_date=person.birth_date,
            alive=person.life_status == LifeStatus.ALIVE,
            registered_on=registered_on,
            today=timezone.localdate(),
        )
    if problems:
        raise InvalidInput(problems)
    existing = set(
        MilitiaRegistration.objects.filter(
            person_id__in_array=[p.pk for p in persons], year=registered_on.year
        ).values_list("person_id", flat=True)
    )
    new = [p for p in persons if p.pk not in existing]
    MilitiaRegistration.objects.bulk_create(
        [
            MilitiaRegistration(
                person=p,
                commune_id=p.residence_commune_id,
                year=registered_on.year,
                registered_on=registered_on,
            )
            for p in new
        ]
    )
    for p in new:
        audit.record(
            "militia.registration.recorded",
            actor=acting_user,
            target=p,
            data={"year": registered_on.year, "on": registered_on.isoformat()},
            commune_code=p.residence_commune.code,
        )
    work_items_sync(person_ids=[p.pk for p in new])
    return len(new)


@transaction.atomic
def militia_absence_report(
    *,
    membership: MilitiaMembership,
    reported_on: date,
    absent_from: date,
    absent_until: date,
    reason: str = "",
    acting_user: User | None,
) -> MilitiaAbsence:
    """Record a member's reported absence (DQTV Art. 9(2)(b)): 3 months or more, on the roster
    when it starts (`rules.absence_problems`)."""
    permissions.require(acting_user, "militia.leave", unit=membership.unit)
    reason = nfc(reason).strip()
    problems = rules.absence_problems(
        absent_from=absent_from,
        absent_until=absent_until,
        reported_on=reported_on,
        today=timezone.localdate(),
        on_roster=membership.is_valid_on(absent_from),
    )
    if len(reason) > 200:
        problems.append(FieldError("reason", "TOO_LONG", {"limit": 200}))
    if problems:
        raise InvalidInput(problems)
    absence = MilitiaAbsence.objects.create(
        membership=membership,
        reported_on=reported_on,
        absent_from=absent_from,
        absent_until=absent_until,
        reason=reason,
    )
    person = membership.person
    audit.record(
        "militia.absence.reported",
        actor=acting_user,
        target=person,
        data={
            "unit": membership.unit.code,
            "from": absent_from.isoformat(),
            "until": absent_until.isoformat(),
            "reported_on": reported_on.isoformat(),
        },
        commune_code=person.residence_commune.code,
    )
    work_items_sync(person_ids=[person.pk])
    return absence


@transaction.atomic
def militia_absence_return(
    *, absence: MilitiaAbsence, returned_on: date, acting_user: User | None
) -> MilitiaAbsence:
    """The member is back: the absence's item closes."""
    permissions.require(acting_user, "militia.leave", unit=absence.membership.unit)
    if returned_on < absence.absent_from or returned_on > timezone.localdate():
        raise InvalidInput.single(
            "returned_on", "MILITIA_RETURN_OUTSIDE", {"day": absence.absent_from}
        )
    absence.returned_on = returned_on
    absence.save(update_fields=["returned_on"])
    person = absence.membership.person
    audit.record(
        "militia.absence.returned",
        actor=acting_user,
        target=person,
        data={"on": returned_on.isoformat()},
        commune_code=person.residence_commune.code,
    )
    work_items_sync(person_ids=[person.pk])
    return absence
