"""Reads of reserve activities (training calls, readiness checks, unit activities): scoped by
the activity's commune; the roll of an activity names people and logs their read."""

from __future__ import annotations

from dataclasses import dataclass

from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.core.errors import NotFound
from muster.geo.models import AdminUnit
from muster.people.models import Person
from muster.people.queries import persons_read
from muster.reserve import rules
from muster.reserve.models import ReserveActivity, ReserveAttendance
from muster.reserve.register_queries import (
    REGISTER_READ,
    RegisterFilters,
    ReservistRow,
    register_rows,
)


def commune_activities(user: User, commune: AdminUnit) -> list[ReserveActivity]:
    """The commune's activities, latest first (the commune already resolved in scope)."""
    if not scope_for(user).allows(commune.pk):
        raise NotFound("RESERVE_AREA_NOT_FOUND", {"code": commune.code})
    return list(ReserveActivity.objects.filter(commune=commune).order_by("-starts_on", "-id"))


def access_activity(user: User, activity_id: int) -> ReserveActivity:
    """The activity if its commune lies in `user`'s scope today; NotFound otherwise."""
    found = ReserveActivity.objects.filter(pk=activity_id).select_related("commune").first()
    if found is None or not scope_for(user).allows(found.commune_id):
        raise NotFound("RESERVE_ACTIVITY_NOT_FOUND", {"id": activity_id})
    return found


@dataclass(frozen=True)
class RollRow:
    row: ReservistRow
    attendance: ReserveAttendance | None


def activity_roll(user: User, activity: ReserveActivity, *, channel: str = "web") -> list[RollRow]:
    """The commune's reservists in the reserve on the activity's first day, with what was
    recorded for each; the persons shown are logged as read."""
    rows = register_rows(
        user,
        area=activity.commune,
        day=activity.starts_on,
        filters=RegisterFilters(status=rules.IN_RESERVE),
    )
    recorded = {a.person_id: a for a in ReserveAttendance.objects.filter(activity=activity)}
    persons_read(
        user, [r.membership.person_id for r in rows], action=REGISTER_READ, channel=channel
    )
    return [RollRow(r, recorded.get(r.membership.person_id)) for r in rows]


def activity_person(activity: ReserveActivity, personal_id: str) -> Person:
    """A person living in the (already scoped) activity's commune; NotFound otherwise."""
    found = Person.objects.filter(
        personal_id=personal_id, residence_commune_id=activity.commune_id
    ).first()
    if found is None:
        raise NotFound("RESERVIST_NOT_FOUND", {"personal_id": personal_id})
    return found
