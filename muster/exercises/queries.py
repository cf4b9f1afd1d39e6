"""Reads of exercises, always scoped: a user sees an exercise when every commune of the command
running it lies in their jurisdiction (`accounts.permissions.covers`, the same test the writes
use), so a commune officer sees their commune's exercises and a provincial officer the
province's too. Lists naming members log the read through `people.queries.persons_read`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet
from django.utils import timezone

from muster.accounts.models import User
from muster.accounts.permissions import covers
from muster.core.collation import vi
from muster.core.errors import NotFound
from muster.core.text import vi_sort_key
from muster.core.validity import valid_on
from muster.exercises.models import (
    Exercise,
    ExerciseEvent,
    ExerciseFinding,
    ExerciseFollowUp,
    ExerciseParticipant,
    ParticipantKind,
)
from muster.militia.models import MilitiaMembership
from muster.orgs.models import OrgKind, OrgUnit
from muster.people.queries import persons_read

READ = "exercises.participants.viewed"
# Who runs exercises: the provincial command and the commune commands (CD Law Art. 17;
# Decree 200/2025 Art. 8: the commune military commander is deputy of the commune CD command).
EXERCISE_UNIT_KINDS = (OrgKind.PROVINCIAL_COMMAND, OrgKind.COMMUNE_COMMAND)


def exercise_units(user: User, *, day: date | None = None) -> list[OrgUnit]:
    """The commands `user` covers on `day` (default today) that may run an exercise, by name."""
    day = day or timezone.localdate()
    units = OrgUnit.objects.filter(valid_on(day), kind__in=EXERCISE_UNIT_KINDS).order_by(
        vi("name"), "code"
    )
    return [u for u in units if covers(user, unit=u, day=day)]


def access_unit(user: User, code: str, *, day: date | None = None) -> OrgUnit:
    """The command `code` if it runs exercises and `user` covers it; NotFound otherwise."""
    day = day or timezone.localdate()
    unit = OrgUnit.objects.filter(valid_on(day), code=code, kind__in=EXERCISE_UNIT_KINDS).first()
    if unit is None or not covers(user, unit=unit, day=day):
        raise NotFound("EXERCISE_UNIT_NOT_FOUND", {"code": code})
    return unit


def exercise_list(user: User, *, year: int | None = None) -> list[Exercise]:
    """The exercises of the commands `user` covers (a year's, when given), newest first."""
    found = Exercise.objects.select_related("unit").order_by("-starts_on", "-pk")
    if year is not None:
        found = found.filter(starts_on__year=year)
    return [e for e in found if covers(user, unit=e.unit)]


def access_exercise(user: User, exercise_id: int) -> Exercise:
    """The exercise if `user` covers its command; NotFound otherwise (absent alike)."""
    found = Exercise.objects.filter(pk=exercise_id).select_related("unit").first()
    if found is None or not covers(user, unit=found.unit):
        raise NotFound("EXERCISE_NOT_FOUND", {"id": exercise_id})
    return found


def participants(
    user: User, exercise: Exercise, *, channel: str = "web"
) -> list[ExerciseParticipant]:
    """The exercise's units, members and means (units, then members by name, then means); the
    members shown are logged as read."""
    rows = list(
        exercise.participants.select_related("unit", "person", "membership", "membership__unit")
    )
    order = {ParticipantKind.UNIT: 0, ParticipantKind.MEMBER: 1, ParticipantKind.MEANS: 2}
    rows.sort(
        key=lambda p: (
            order[ParticipantKind(p.kind)],
            vi_sort_key(p.unit.name if p.unit else p.person.full_name if p.person else p.means),
            p.pk,
        )
    )
    members = [p.person_id for p in rows if p.person_id is not None]
    if members:
        persons_read(user, members, action=READ, channel=channel)
    return rows


def participant_of(exercise: Exercise, participant_id: int) -> ExerciseParticipant | None:
    """One of the exercise's participants (a timeline line's actor), or None."""
    return exercise.participants.filter(pk=participant_id).select_related("unit").first()


def member_person_ids(exercise: Exercise) -> list[int]:
    """The ids of the persons taking part as members (the finish form's rows)."""
    return [
        pid
        for pid in exercise.participants.filter(kind=ParticipantKind.MEMBER).values_list(
            "person_id", flat=True
        )
        if pid is not None
    ]


def timeline(exercise: Exercise) -> QuerySet[ExerciseEvent]:
    """The injects and actions in time order (their text names no one's record)."""
    return exercise.events.select_related("participant", "participant__unit").order_by("at", "pk")


@dataclass(frozen=True)
class FindingRow:
    finding: ExerciseFinding
    follow_ups: list[ExerciseFollowUp]


def review(exercise: Exercise) -> list[FindingRow]:
    """The after-action review: each finding with its follow-ups (owner, due date, done)."""
    findings = list(exercise.findings.order_by("recorded_at", "pk"))
    ups: dict[int, list[ExerciseFollowUp]] = {}
    for up in (
        ExerciseFollowUp.objects.filter(finding__exercise=exercise)
        .select_related("owner")
        .order_by("due_on", "pk")
    ):
        ups.setdefault(up.finding_id, []).append(up)
    return [FindingRow(f, ups.get(f.pk, [])) for f in findings]


def member_on_roster(user: User, personal_id: str, day: date) -> MilitiaMembership:
    """The militia membership of `personal_id` on `day` in a command `user` covers; NotFound
    otherwise (someone outside the jurisdiction looks absent)."""
    membership = (
        MilitiaMembership.objects.as_of(day)
        .filter(person__personal_id=personal_id)
        .select_related("person", "unit")
        .first()
    )
    if membership is None or not covers(user, unit=membership.unit, day=day):
        raise NotFound("EXERCISE_MEMBER_NOT_FOUND", {"personal_id": personal_id})
    return membership


def follow_up_owners(exercise: Exercise) -> list[User]:
    """Who may own a follow-up: the active users whose jurisdiction covers the command."""
    users = User.objects.filter(is_active=True).order_by("username")
    return [u for u in users if covers(u, unit=exercise.unit)]


def access_follow_up(user: User, follow_up_id: int) -> ExerciseFollowUp:
    """A follow-up of an exercise `user` covers; NotFound otherwise."""
    found = (
        ExerciseFollowUp.objects.filter(pk=follow_up_id)
        .select_related("finding__exercise__unit", "owner")
        .first()
    )
    if found is None or not covers(user, unit=found.finding.exercise.unit):
        raise NotFound("EXERCISE_FOLLOW_UP_NOT_FOUND", {"id": follow_up_id})
    return found
