"""Reads of training records, always scoped: a user sees the sessions of the commands whose
communes lie in the jurisdiction `accounts.scope.scope_for` gives. Lists naming members (a
session's attendance, the shortfalls) log the read through `people.queries.persons_read`.

The year's figures per member (`year_figures`) are also what the worklist source asks; they
are computed in a few set-based queries whatever the number of members.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from muster.accounts.models import User
from muster.accounts.scope import scope_for
from muster.core.collation import vi
from muster.core.errors import NotFound
from muster.core.text import vi_sort_key
from muster.core.validity import valid_on
from muster.militia.models import MilitiaMembership
from muster.orgs.models import OrgKind, OrgUnit, Territory
from muster.people.queries import persons_read
from muster.training import rules
from muster.training.models import Attendance, TrainingSession

READ = "training.attendance.viewed"
# Commands that train members: commune commands and agencies' or enterprises' commands.
TRAINING_UNIT_KINDS = (OrgKind.COMMUNE_COMMAND, OrgKind.SELF_DEFENCE_COMMAND)


def _unit_ids_in_scope(user: User, day: date) -> QuerySet[Territory, Any]:
    return Territory.objects.filter(
        scope_for(user, day).filter("admin_unit_id"),
        valid_on(day),
        org_unit__kind__in=TRAINING_UNIT_KINDS,
    ).values("org_unit_id")


def training_units(user: User, *, day: date | None = None) -> list[OrgUnit]:
    """The commands `user` covers on `day` (default today) that train members, by name."""
    day = day or timezone.localdate()
    return list(
        OrgUnit.objects.filter(valid_on(day), pk__in=_unit_ids_in_scope(user, day)).order_by(
            vi("name"), "code"
        )
    )


def access_unit(user: User, code: str, *, day: date | None = None) -> OrgUnit:
    """The training command `code` if `user` covers it; NotFound otherwise (absent alike)."""
    day = day or timezone.localdate()
    unit = OrgUnit.objects.filter(
        valid_on(day), code=code, pk__in=_unit_ids_in_scope(user, day)
    ).first()
    if unit is None:
        raise NotFound("COMMAND_NOT_FOUND", {"code": code})
    return unit


def session_list(user: User, *, year: int, unit_code: str | None = None) -> list[TrainingSession]:
    """Sessions of `year` held by the commands `user` covers (one command with `unit_code`),
    earliest first, with their attendance counts."""
    sessions = TrainingSession.objects.filter(
        starts_on__year=year, unit_id__in=_unit_ids_in_scope(user, timezone.localdate())
    )
    if unit_code:
        sessions = sessions.filter(unit__code=unit_code)
    return list(sessions.select_related("unit").order_by("starts_on", "unit__code", "id"))


def access_session(user: User, session_id: int) -> TrainingSession:
    """The session if its command lies in `user`'s jurisdiction; NotFound otherwise."""
    found = (
        TrainingSession.objects.filter(
            pk=session_id, unit_id__in=_unit_ids_in_scope(user, timezone.localdate())
        )
        .select_related("unit")
        .first()
    )
    if found is None:
        raise NotFound("TRAINING_SESSION_NOT_FOUND", {"id": session_id})
    return found


def session_members(session: TrainingSession) -> QuerySet[MilitiaMembership]:
    """Members the session trains: on its command's roster on its first day, of its force."""
    members = MilitiaMembership.objects.as_of(session.starts_on).filter(unit_id=session.unit_id)
    if session.force_kind:
        members = members.filter(force_kind=session.force_kind)
    return members


@dataclass(frozen=True)
class AttendanceRow:
    membership: MilitiaMembership
    attendance: Attendance | None


def session_attendance(
    user: User, session: TrainingSession, *, channel: str = "web"
) -> list[AttendanceRow]:
    """The session's members (and anyone recorded there since) with what was recorded, by
    name; the persons named logged as read. `session` comes from `access_session`."""
    recorded = {
        a.person_id: a
        for a in Attendance.objects.filter(session=session).select_related(
            "membership__person", "person"
        )
    }
    members = list(session_members(session).select_related("person"))
    seen = {m.person_id for m in members}
    members += [a.membership for pid, a in recorded.items() if pid not in seen]
    members.sort(key=lambda m: (m.force_kind, vi_sort_key(m.person.full_name), m.pk))
    persons_read(user, [m.person_id for m in members], action=READ, channel=channel)
    return [AttendanceRow(m, recorded.get(m.person_id)) for m in members]


@dataclass(frozen=True)
class YearFigures:
    """A member's training year: days required, attended and still planned."""

    membership: MilitiaMembership
    year: int
    required: int
    attended: int
    planned: int

    @property
    def short(self) -> int:
        return rules.shortfall(self.required, self.attended, self.planned)


def year_figures(
    memberships: list[MilitiaMembership], *, year: int, today: date
) -> list[YearFigures]:
    """Each member's training in `year` (DQTV Art. 28(1)): days attended at any command that
    year, and days of the command's sessions still to come (after `today`) for the member's
    force that have no attendance recorded for the member."""
    person_ids = sorted({m.person_id for m in memberships})
    unit_ids = sorted({m.unit_id for m in memberships})
    attended: dict[int, int] = defaultdict(int)
    recorded: set[tuple[int, int]] = set()
    for start in range(0, len(person_ids), 5000):
        chunk = person_ids[start : start + 5000]
        for person_id, total in (
            Attendance.objects.filter(person_id__in_array=chunk, session__starts_on__year=year)
            .values_list("person_id")
            .annotate(total=Sum("days"))
        ):
            attended[person_id] = total or 0
        recorded.update(
            Attendance.objects.filter(
                person_id__in_array=chunk,
                session__starts_on__year=year,
                session__starts_on__gt=today,
            ).values_list("session_id", "person_id")
        )
    upcoming: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    for session_id, unit_id, force_kind, days in TrainingSession.objects.filter(
        unit_id__in_array=unit_ids, starts_on__year=year, starts_on__gt=today
    ).values_list("id", "unit_id", "force_kind", "days"):
        upcoming[unit_id].append((session_id, force_kind, days))
    figures = []
    for m in memberships:
        planned = sum(
            days
            for session_id, force_kind, days in upcoming[m.unit_id]
            if force_kind in ("", m.force_kind) and (session_id, m.person_id) not in recorded
        )
        required = rules.required_days(m.force_kind, rules.service_year(m.joined_on, year))
        figures.append(YearFigures(m, year, required, attended[m.person_id], planned))
    return figures


def shortfalls(
    user: User, *, year: int, unit_code: str | None = None, channel: str = "web"
) -> list[YearFigures]:
    """Members of the commands `user` covers who are short of `year`'s training days, counting
    the sessions still planned; on the rosters on the year's last day (today for this year).
    Logs the persons named as read."""
    today = timezone.localdate()
    day = min(today, date(year, 12, 31))
    members = MilitiaMembership.objects.as_of(day).filter(
        unit_id__in=_unit_ids_in_scope(user, today)
    )
    if unit_code:
        members = members.filter(unit__code=unit_code)
    found = [
        f
        for f in year_figures(
            list(members.select_related("person", "unit")), year=year, today=today
        )
        if f.short > 0
    ]
    found.sort(key=lambda f: (f.membership.unit.name, vi_sort_key(f.membership.person.full_name)))
    persons_read(user, [f.membership.person_id for f in found], action=READ, channel=channel)
    return found
