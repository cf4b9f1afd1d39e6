"""The training pages' tables for `core.exports`: a year's sessions, a session's attendance and
the members short of training days (DQTV Art. 28(1)), each with the rule it rests on."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from muster.core.exports import Column, Table
from muster.core.labels import label
from muster.training.models import TrainingSession
from muster.training.queries import AttendanceRow, YearFigures

BASIS = "Luật Dân quân tự vệ 2019, Điều 28"


def _force(code: str) -> str:
    return label("militia_force", code) if code else _("Every force")


def sessions_table(sessions: Sequence[TrainingSession], *, year: int) -> Table:
    return Table(
        title=f"{_('Militia training')} {year}",
        columns=[
            Column(_("Command")),
            Column(_("Code")),
            Column(_("Session")),
            Column(_("Force")),
            Column(_("Starts on"), "date"),
            Column(_("Ends on"), "date"),
            Column(_("Training days"), "int"),
            Column(_("Place")),
        ],
        rows=[
            (
                s.unit.name,
                s.unit.code,
                s.title,
                _force(s.force_kind),
                s.starts_on,
                s.ends_on,
                s.days,
                s.place,
            )
            for s in sessions
        ],
        filename=f"training-{year}",
    )


def attendance_table(session: TrainingSession, rows: Sequence[AttendanceRow]) -> Table:
    return Table(
        title=f"{session.title} – {session.unit.name}",
        columns=[
            Column(_("Full name")),
            Column(_("Personal ID number")),
            Column(_("Force")),
            Column(_("Days attended"), "int"),
            Column(_("Reason for absence")),
        ],
        rows=[
            (
                r.membership.person.full_name,
                r.membership.person.personal_id,
                _force(r.membership.force_kind),
                r.attendance.days if r.attendance else None,
                r.attendance.absence_reason if r.attendance else "",
            )
            for r in rows
        ],
        filename=f"training-session-{session.pk}",
    )


def shortfalls_table(rows: Sequence[YearFigures], *, year: int) -> Table:
    return Table(
        title=f"{_('Short of training days')} {year}",
        columns=[
            Column(_("Command")),
            Column(_("Full name")),
            Column(_("Personal ID number")),
            Column(_("Force")),
            Column(_("Joined on"), "date"),
            Column(_("Days required"), "int"),
            Column(_("Days attended"), "int"),
            Column(_("Days planned"), "int"),
            Column(_("Days short"), "int"),
            Column(_("Legal basis")),
        ],
        rows=[
            (
                f.membership.unit.name,
                f.membership.person.full_name,
                f.membership.person.personal_id,
                _force(f.membership.force_kind),
                f.membership.joined_on,
                f.required,
                f.attended,
                f.planned,
                f.short,
                BASIS,
            )
            for f in rows
        ],
        filename=f"training-shortfalls-{year}",
    )
