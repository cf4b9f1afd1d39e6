"""The cadres pages' tables for `core.exports`, and the rows of the CLI's positions CSV."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from django.utils.translation import gettext as _

from muster.cadres.figures import TargetProgress
from muster.cadres.models import (
    Assessment,
    Certificate,
    Course,
    CourseSession,
    CriteriaSet,
    Enrolment,
)
from muster.cadres.positions import PositionFigures
from muster.cadres.queries import CommandPositions
from muster.core.exports import Column, Table
from muster.core.labels import label
from muster.orgs.models import OrgUnit

# The CLI contract (issue 18): `muster cadres positions --command CODE --format csv`.
POSITIONS_CSV_HEADER = (
    "position",
    "holder_personal_id",
    "holder_name",
    "since",
    "qualified",
    "gaps",
)


class CommandRow(Protocol):
    @property
    def unit(self) -> OrgUnit: ...
    @property
    def figures(self) -> PositionFigures: ...


def commands_table(rows: Sequence[CommandRow], *, day: date) -> Table:
    return Table(
        title=_("Command positions"),
        columns=[
            Column(_("Command")),
            Column(_("Code")),
            Column(_("Kind")),
            Column(_("Positions"), "int"),
            Column(_("Filled"), "int"),
            Column(_("Qualified"), "int"),
        ],
        rows=[
            (
                row.unit.name,
                row.unit.code,
                label("org_kind", row.unit.kind),
                row.figures.positions,
                row.figures.positions_filled,
                row.figures.positions_qualified,
            )
            for row in rows
        ],
        filename=f"cadres-positions-{day.isoformat()}",
    )


def positions_rows(found: CommandPositions) -> list[tuple[object, ...]]:
    """One row per established position, in the CLI contract's columns: the position's title
    (with its ordinal when the title repeats), the holder's personal ID and name, since when,
    whether qualified ("" when vacant) and the gaps' rule codes separated by spaces."""
    titles = [s.position.title for s in found.states if s.established]
    rows: list[tuple[object, ...]] = []
    for state in found.states:
        if not state.established:
            continue
        title = state.position.title
        if titles.count(title) > 1:
            title = f"{title} {state.position.ordinal}"
        a = state.appointment
        rows.append(
            (
                title,
                a.holder_personal_id if a else "",
                a.holder_name if a else "",
                a.valid_from if a else None,
                ("yes" if state.qualified else "no") if a else "",
                " ".join(state.gaps),
            )
        )
    return rows


def positions_table(found: CommandPositions) -> Table:
    return Table(
        title=f"{found.unit.name}",
        columns=[
            Column(_("Position")),
            Column(_("Personal ID number")),
            Column(_("Holder")),
            Column(_("Since"), "date"),
            Column(_("Qualified")),
            Column(_("Qualification gaps")),
        ],
        rows=[
            (
                title,
                pid,
                name,
                since,
                {"yes": _("yes"), "no": _("no")}.get(str(qualified), ""),
                "; ".join(label("cadre_rule", g) for g in str(gaps).split()),
            )
            for title, pid, name, since, qualified, gaps in positions_rows(found)
        ],
        filename=f"cadres-{found.unit.code}-{found.day.isoformat()}",
    )


def courses_table(courses: Sequence[Course]) -> Table:
    return Table(
        title=_("Courses"),
        columns=[
            Column(_("Code")),
            Column(_("Course")),
            Column(_("Kind")),
            Column(_("Qualification earned")),
            Column(_("Valid for (months)"), "int"),
            Column(_("Organiser")),
            Column(_("Sessions"), "int"),
        ],
        rows=[
            (
                c.code,
                c.name,
                label("course_kind", c.kind),
                label("qualification", c.qualification),
                c.validity_months,
                c.organiser.name,
                len(c.sessions.all()),
            )
            for c in courses
        ],
        filename="cadres-courses",
    )


def enrolments_table(session: CourseSession, enrolments: Sequence[Enrolment]) -> Table:
    def certificate_of(e: Enrolment) -> Certificate | None:
        return getattr(e, "certificate", None)

    return Table(
        title=f"{session.course.name}",
        columns=[
            Column(_("Full name")),
            Column(_("Personal ID number")),
            Column(_("Enrolled on"), "date"),
            Column(_("Attendance")),
            Column(_("Result")),
            Column(_("Score"), "decimal", places=2),
            Column(_("Result on"), "date"),
            Column(_("Certificate expires on"), "date"),
        ],
        rows=[
            (
                e.person.full_name,
                e.person.personal_id,
                e.enrolled_on,
                label("attendance", e.attendance),
                label("result", e.result),
                e.score,
                e.result_on,
                cert.expires_on if (cert := certificate_of(e)) else None,
            )
            for e in enrolments
        ],
        filename=f"cadres-session-{session.pk}",
    )


def targets_table(rows: Sequence[TargetProgress], *, year: int, day: date) -> Table:
    return Table(
        title=_("Training targets"),
        columns=[
            Column(_("Command")),
            Column(_("Position")),
            Column(_("Qualification")),
            Column(_("Target share"), "int"),
            Column(_("Holders"), "int"),
            Column(_("Qualified"), "int"),
            Column(_("Actual share"), "decimal", places=1),
            Column(_("Met")),
        ],
        rows=[
            (
                r.target.org_unit.name,
                label("position_kind", r.target.position_kind),
                label("qualification", r.target.qualification),
                r.target.percent,
                r.holders,
                r.qualified,
                r.share,
                _("yes") if r.met else _("no"),
            )
            for r in rows
        ],
        filename=f"cadres-targets-{year}-{day.isoformat()}",
    )


def assessments_table(rows: Sequence[Assessment], *, year: int) -> Table:
    return Table(
        title=_("Annual assessment"),
        columns=[
            Column(_("Command")),
            Column(_("Assessed")),
            Column(_("Personal ID number")),
            Column(_("Criteria")),
            Column(_("Total"), "decimal", places=2),
            Column(_("Grade")),
            Column(_("Assessed on"), "date"),
        ],
        rows=[
            (
                a.org_unit.name,
                a.person.full_name if a.person else label("assessment_subject", "unit"),
                a.person.personal_id if a.person else "",
                a.criteria_set.name,
                a.total,
                label("grade", a.grade),
                a.assessed_on,
            )
            for a in rows
        ],
        filename=f"cadres-assessments-{year}",
    )


def criteria_table(sets: Sequence[CriteriaSet], *, year: int) -> Table:
    """The year's criteria sets, one row per criterion, with each set's thresholds."""
    return Table(
        title=_("Assessment criteria"),
        columns=[
            Column(_("Criteria set")),
            Column(_("Assessed")),
            Column(_("Code")),
            Column(_("Criterion")),
            Column(_("Weight"), "int"),
            Column(_("Mandatory")),
            Column(_("Threshold"), "decimal", places=2),
            Column(_("Evidence required")),
            Column(_("Excellent from"), "decimal", places=2),
            Column(_("Good from"), "decimal", places=2),
            Column(_("Pass from"), "decimal", places=2),
        ],
        rows=[
            (
                s.name,
                label("assessment_subject", s.subject),
                c.code,
                c.name,
                c.weight,
                _("yes") if c.mandatory else _("no"),
                c.threshold,
                _("yes") if c.evidence_required else _("no"),
                s.excellent_from,
                s.good_from,
                s.pass_from,
            )
            for s in sets
            for c in s.criteria.all()
        ],
        filename=f"cadres-criteria-{year}",
    )
