"""Reads of cadres, always scoped: a user sees the commands whose every commune lies in the
jurisdiction `accounts.scope` gives on the day asked about (others are a 404), and each page
or file naming holders or trainees logs them as read (`people.queries.persons_read`).

The readiness figures (`position_figures`, `training_figures`, `assessment_figures`) count
and name nobody: they take unit ids the caller has scoped (docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from muster.accounts.models import User
from muster.accounts.scope import org_subtree_ids, scope_for, unit_communes
from muster.cadres.figures import TargetProgress, training_figures
from muster.cadres.models import (
    Assessment,
    Course,
    CourseSession,
    CriteriaSet,
    Enrolment,
    TrainingTarget,
)
from muster.cadres.positions import PositionState, position_states
from muster.core.collation import vi_sorted
from muster.core.errors import NotFound
from muster.core.validity import valid_on
from muster.orgs.models import Appointment, CommandDesignation, OrgKind, OrgUnit
from muster.people.models import Person
from muster.people.queries import persons_read

HOLDER_READ = "cadres.holder.viewed"
TRAINEE_READ = "cadres.trainee.viewed"
ASSESSED_READ = "cadres.assessment.viewed"
# The commands whose positions Muster keeps (regions' heads are the army's own records).
COMMAND_KINDS = (
    OrgKind.PROVINCIAL_COMMAND,
    OrgKind.CAPITAL_COMMAND,
    OrgKind.AREA_DEFENCE_COMMAND,
    OrgKind.COMMUNE_COMMAND,
)


def commands_visible(user: User, day: date) -> list[OrgUnit]:
    """The commands (provincial, area defence, commune) valid on `day` inside `user`'s
    jurisdiction, in Vietnamese order of their names."""
    scope = scope_for(user, day)
    units = OrgUnit.objects.filter(valid_on(day), kind__in=COMMAND_KINDS)
    if not scope.is_national:
        if user.jurisdiction_id is None:
            return []
        units = units.filter(id__in=sorted(org_subtree_ids(user.jurisdiction_id, day)))
    return vi_sorted(units, lambda u: u.name)


def access_command(user: User | None, code: str, day: date) -> OrgUnit:
    """The command `code` when `user`'s jurisdiction covers every commune it covers on `day`
    (`None`, the CLI's operator, covers all); NotFound otherwise (absent and out of scope
    alike)."""
    unit = OrgUnit.objects.filter(code=code, kind__in=COMMAND_KINDS).first()
    scope = scope_for(user, day) if user is not None else None
    if unit is not None and scope is not None and not scope.is_national:
        communes = unit_communes(unit.pk, day)
        if not communes or not all(scope.allows(c) for c in communes):
            unit = None
    if unit is None:
        raise NotFound("CADRES_COMMAND_NOT_FOUND", {"code": code})
    return unit


@dataclass(frozen=True)
class CommandPositions:
    unit: OrgUnit
    day: date
    states: list[PositionState]
    history: dict[int, list[Appointment]]  # position id → appointments, newest first
    persons: dict[str, Person]  # holders' personal ID → person (the register's record)


def command_positions(user: User | None, code: str, *, day: date, channel: str) -> CommandPositions:
    """A command's positions on `day` with holders, gaps and appointment history; the persons
    named (current and past holders the register knows) are logged as read."""
    unit = access_command(user, code, day)
    states = position_states([unit.pk], day)
    history: dict[int, list[Appointment]] = {}
    for appointment in Appointment.objects.filter(position__org_unit=unit).order_by(
        "position_id", "-valid_from"
    ):
        history.setdefault(appointment.position_id, []).append(appointment)
    personal_ids = {a.holder_personal_id for rows in history.values() for a in rows} - {""}
    persons = {
        p.personal_id: p for p in Person.objects.filter(personal_id__in=sorted(personal_ids))
    }
    persons_read(user, [p.pk for p in persons.values()], action=HOLDER_READ, channel=channel)
    return CommandPositions(unit=unit, day=day, states=states, history=history, persons=persons)


def command_designations(unit: OrgUnit, day: date) -> list[str]:
    """The designations (type-1, border, coastal, island) a command holds on `day`, sorted."""
    return sorted(
        CommandDesignation.objects.as_of(day)
        .filter(org_unit=unit)
        .values_list("designation", flat=True)
    )


def _covers(user: User, unit: OrgUnit, day: date) -> bool:
    scope = scope_for(user, day)
    if scope.is_national:
        return True
    communes = unit_communes(unit.pk, day)
    return bool(communes) and all(scope.allows(c) for c in communes)


def courses_visible(user: User, day: date) -> list[Course]:
    """Courses organised by a command inside `user`'s jurisdiction, newest first, with their
    sessions loaded."""
    courses = Course.objects.select_related("organiser").prefetch_related("sessions")
    if not scope_for(user, day).is_national:
        if user.jurisdiction_id is None:
            return []
        courses = courses.filter(
            organiser_id__in=sorted(org_subtree_ids(user.jurisdiction_id, day))
        )
    return list(courses.order_by("-created_at", "-pk"))


def access_course(user: User, course_id: int, day: date) -> Course:
    """A course whose organiser lies inside `user`'s jurisdiction; NotFound otherwise."""
    course = Course.objects.select_related("organiser").filter(pk=course_id).first()
    if course is None or not _covers(user, course.organiser, day):
        raise NotFound("COURSE_NOT_FOUND", {})
    return course


def access_session(user: User, session_id: int, day: date) -> CourseSession:
    """A session of a course `user` may see (`access_course`); NotFound otherwise."""
    session = (
        CourseSession.objects.select_related("course__organiser").filter(pk=session_id).first()
    )
    if session is None or not _covers(user, session.course.organiser, day):
        raise NotFound("SESSION_NOT_FOUND", {})
    return session


def access_enrolment(user: User, enrolment_id: int, day: date) -> Enrolment:
    """An enrolment in a session `user` may see; NotFound otherwise."""
    enrolment = (
        Enrolment.objects.select_related("session__course__organiser", "person")
        .filter(pk=enrolment_id)
        .first()
    )
    if enrolment is None or not _covers(user, enrolment.session.course.organiser, day):
        raise NotFound("ENROLMENT_NOT_FOUND", {})
    return enrolment


def session_enrolments(user: User, session: CourseSession, *, channel: str) -> list[Enrolment]:
    """The enrolments of a session `access_session` gave, in Vietnamese order of the names,
    with their certificates; the persons named are logged as read."""
    enrolments = vi_sorted(
        Enrolment.objects.filter(session=session).select_related("person", "certificate"),
        lambda e: e.person.full_name,
    )
    persons_read(user, [e.person_id for e in enrolments], action=TRAINEE_READ, channel=channel)
    return enrolments


def targets_visible(user: User, year: int, day: date) -> list[TargetProgress]:
    """The `year`'s training targets of the units inside `user`'s jurisdiction, against what
    the holders under each hold on `day` (figures: nobody is named)."""
    if scope_for(user, day).is_national:
        unit_ids = set(
            TrainingTarget.objects.filter(year=year).values_list("org_unit_id", flat=True)
        )
    elif user.jurisdiction_id is None:
        return []
    else:
        unit_ids = org_subtree_ids(user.jurisdiction_id, day)
    return training_figures(unit_ids, year, day)


def criteria_sets(year: int) -> list[CriteriaSet]:
    """The `year`'s criteria sets (national configuration: not personal), criteria loaded."""
    return list(
        CriteriaSet.objects.filter(year=year)
        .prefetch_related("criteria")
        .order_by("subject", "code")
    )


def access_criteria_set(set_id: int) -> CriteriaSet:
    found = CriteriaSet.objects.prefetch_related("criteria").filter(pk=set_id).first()
    if found is None:
        raise NotFound("CRITERIA_SET_NOT_FOUND", {})
    return found


def assessments_visible(user: User, year: int, day: date, *, channel: str) -> list[Assessment]:
    """The `year`'s assessments of the commands inside `user`'s jurisdiction (on `day`) and of
    their cadres, commands in Vietnamese order; the cadres named are logged as read."""
    found = Assessment.objects.filter(criteria_set__year=year).select_related(
        "criteria_set", "org_unit", "person"
    )
    if not scope_for(user, day).is_national:
        if user.jurisdiction_id is None:
            return []
        found = found.filter(org_unit_id__in=sorted(org_subtree_ids(user.jurisdiction_id, day)))
    rows = vi_sorted(found, lambda a: f"{a.org_unit.name} {a.person.full_name if a.person else ''}")
    persons_read(
        user, [a.person_id for a in rows if a.person_id], action=ASSESSED_READ, channel=channel
    )
    return rows
