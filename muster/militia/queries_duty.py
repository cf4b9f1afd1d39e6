"""Reads of the register for militia duty, scoped like the rest (`accounts.scope`): who was
registered in a year's April registration (DQTV Art. 9(1)(a)), and who stays registered after
completing the term while within the age limit (Art. 13). Both name people: the read is
logged (`people.queries.persons_read`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.core.errors import NotFound
from muster.core.text import vi_sort_key
from muster.militia import rules
from muster.militia.models import (
    LeftReason,
    MilitiaAbsence,
    MilitiaMembership,
    MilitiaRegistration,
)
from muster.orgs.models import OrgUnit
from muster.people.models import LifeStatus, Person
from muster.people.queries import persons_read

READ = "militia.roster.viewed"


@dataclass(frozen=True)
class DutyRow:
    person: Person
    basis: str  # "april" (Art. 9(1)(a)) or "after_term" (Art. 13)
    since: date  # registered on, or the term's last day
    age_ends_on: date


def duty_register(user: User, *, year: int, channel: str = "web") -> list[DutyRow]:
    """Registered for militia duty in `year` and, on top, members who completed their term and
    are within the age limit today (DQTV Art. 13), of the communes `user` covers, by name."""
    today = timezone.localdate()
    scope = scope_for(user)
    rows: list[DutyRow] = []
    for reg in MilitiaRegistration.objects.filter(
        scope.filter("person__residence_commune_id"), year=year
    ).select_related("person"):
        p = reg.person
        age_end = rules.last_day_of_age(p.birth_date, rules.age_limit(p.sex, volunteer=False))
        rows.append(DutyRow(p, "april", reg.registered_on, age_end))
    seen = {r.person.pk for r in rows}
    serving = MilitiaMembership.objects.filter(valid_to__isnull=True).values("person_id")
    for m in (
        MilitiaMembership.objects.filter(
            scope.filter("person__residence_commune_id"),
            left_reason=LeftReason.COMPLETED,
            person__life_status=LifeStatus.ALIVE,
        )
        .exclude(person_id__in=serving)
        .select_related("person")
    ):
        p = m.person
        age_end = rules.last_day_of_age(p.birth_date, rules.age_limit(p.sex, volunteer=False))
        if p.pk in seen or age_end < today or m.valid_to is None:
            continue
        seen.add(p.pk)
        rows.append(DutyRow(p, "after_term", m.valid_to, age_end))
    rows.sort(key=lambda r: (vi_sort_key(r.person.full_name), r.person.pk))
    persons_read(user, [r.person.pk for r in rows], action=READ, channel=channel)
    return rows


ABSENCES_READ = "militia.absences.viewed"


def command_absences(
    user: User,
    *,
    command: OrgUnit,
    unit_id: int | None = None,
    current_only: bool = True,
    channel: str = "web",
) -> list[MilitiaAbsence]:
    """The reported absences (DQTV Art. 9(2)(b)) of the members of `command`'s roster, as the
    roster shows them (`command` already reached through `queries.access_command`, so inside
    `user`'s jurisdiction); `unit_id` keeps one militia unit's members, `current_only` those not
    yet back and still on the roster. By militia unit, then name; the persons' read logged."""
    found = MilitiaAbsence.objects.filter(membership__unit=command)
    if unit_id is not None:
        found = found.filter(membership__militia_unit_id=unit_id)
    if current_only:  # not back yet, and still on the roster
        found = found.filter(returned_on__isnull=True, membership__valid_to__isnull=True)
    rows = sorted(
        found.select_related("membership__person", "membership__militia_unit"),
        key=lambda a: (
            a.membership.militia_unit is None,
            vi_sort_key(a.membership.militia_unit.name) if a.membership.militia_unit else "",
            vi_sort_key(a.membership.person.full_name),
            a.absent_from,
            a.pk,
        ),
    )
    persons_read(
        user, [a.membership.person_id for a in rows], action=ABSENCES_READ, channel=channel
    )
    return rows


def access_absence(user: User, command: OrgUnit, absence_id: int) -> MilitiaAbsence:
    """The absence `absence_id` of a member of `command`'s roster (`command` reached through
    `queries.access_command`); otherwise NotFound. The person's read logged."""
    found = (
        MilitiaAbsence.objects.filter(membership__unit=command, pk=absence_id)
        .select_related("membership__person", "membership__unit", "membership__militia_unit")
        .first()
    )
    if found is None:
        raise NotFound("MILITIA_ABSENCE_NOT_FOUND", {"id": absence_id})
    persons_read(user, [found.membership.person_id], action=ABSENCES_READ, channel="web")
    return found
