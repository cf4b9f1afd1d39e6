"""Reserve activity pages as files (`core.exports`, `?export=xlsx|csv`): a commune's
activities (training calls, readiness checks, unit activities) and an activity's roll with
the attendance recorded (LLDBĐV Art. 22), in words and dd/mm/yyyy like the pages."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from muster.core.exports import Column, Table
from muster.core.formats import date_text
from muster.core.labels import label
from muster.geo.models import AdminUnit
from muster.reserve.activity_queries import RollRow
from muster.reserve.models import ReserveActivity


def activities_table(
    activities: Sequence[ReserveActivity], *, commune: AdminUnit, note: str = ""
) -> Table:
    """The commune's activities page as a table, latest first like the page."""
    return Table(
        title=f"{_('Training, readiness checks and unit activities')} · {commune.name}",
        columns=[
            Column(_("No."), "int", width=6),
            Column(_("Kind")),
            Column(_("Title")),
            Column(_("From"), "date"),
            Column(_("To"), "date"),
        ],
        rows=[
            (number, label("reserve_activity_kind", a.kind), a.title, a.starts_on, a.ends_on)
            for number, a in enumerate(activities, start=1)
        ],
        filename=f"reserve-activities-{commune.code}",
        note=note,
    )


def roll_table(activity: ReserveActivity, roll: Sequence[RollRow], *, note: str = "") -> Table:
    """An activity's roll as a table: who was called and what was recorded for each."""
    return Table(
        title=f"{activity.title} · {date_text(activity.starts_on)}",
        columns=[
            Column(_("No."), "int", width=6),
            Column(_("Full name")),
            Column(_("Personal ID number")),
            Column(_("Category")),
            Column(_("Attendance")),
            Column(_("Excuse")),
        ],
        rows=[
            (
                number,
                item.row.person.full_name,
                item.row.person.personal_id,
                label("reserve_category", item.row.category)
                if item.row.category
                else _("Uncategorised"),
                label("reserve_attendance", item.attendance.status) if item.attendance else "",
                label("reserve_excuse", item.attendance.excuse_code)
                if item.attendance and item.attendance.excuse_code
                else "",
            )
            for number, item in enumerate(roll, start=1)
        ],
        filename=f"reserve-activity-{activity.pk}-{activity.starts_on.isoformat()}",
        note=note,
    )
