"""Training rules of the militia and self-defence force: how many days a member must train in
a year, and what a session and an attendance record may hold.

Pure decisions, no ORM and no I/O. "DQTV" is the Law on Militia and Self-Defence Forces
(48/2019/QH14); MILITIA_TRAINING_DAYS is the key of /work/shared/domain-rules.md §0.1.
"""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext_lazy as _

from muster.core.errors import FieldError

ART_28 = _("DQTV Art. 28(1)")
STANDING_DAYS = 60  # Art. 28(1)(a): standing militia, every year
FIRST_YEAR_DAYS = 15  # Art. 28(1)(b): the first year, every force but the standing militia
LATER_DAYS = {"mobile": 12, "naval": 12, "specialised": 12, "in_place": 7}  # Art. 28(1)(c)-(d)
FORCE_KINDS = ("in_place", "mobile", "standing", "naval", "specialised")
TITLE_MAX = 200
# A session is one stretch of training; longer ones are entered as several.
SESSION_MAX_DAYS = 60
# From this month the year's training can no longer be planned around a shortfall: members
# still short (counting sessions planned) go on the worklist. A house choice: the law sets the
# yearly total, not when a shortfall becomes work.
WORKLIST_FROM_MONTH = 10


def service_year(joined_on: date, year: int) -> int:
    """The member's year of service in calendar year `year`: the year they joined is the first
    (training is planned by calendar year, DQTV Art. 28(1) "năm thứ nhất")."""
    return year - joined_on.year + 1


def required_days(force_kind: str, year_of_service: int) -> int:
    """Training days a member must attend in a year (DQTV Art. 28(1), MILITIA_TRAINING_DAYS):
    standing militia 60 every year; every other force 15 in the first year, then 12 for the
    mobile, naval and specialised forces and 7 for the in-place force. Self-defence members
    follow the same table by their force (Art. 28(1) covers "dân quân tự vệ")."""
    if force_kind == "standing":
        return STANDING_DAYS
    if year_of_service <= 1:
        return FIRST_YEAR_DAYS
    return LATER_DAYS.get(force_kind, LATER_DAYS["in_place"])


def shortfall(required: int, attended: int, planned: int = 0) -> int:
    """Days still missing once the days attended and those of sessions still planned count."""
    return max(0, required - attended - planned)


def on_worklist(day: date, short: int) -> bool:
    """Whether a shortfall is work on `day` (WORKLIST_FROM_MONTH onwards)."""
    return short > 0 and day.month >= WORKLIST_FROM_MONTH


def session_problems(
    *, title: str, starts_on: date, ends_on: date, days: int, force_kind: str
) -> list[FieldError]:
    """Why a session may not be recorded as given: a title, an end not before its start, days
    between 1 and the session's calendar days, a force of DQTV Art. 6 (or every force)."""
    problems: list[FieldError] = []
    if not title.strip():
        problems.append(FieldError("title", "REQUIRED"))
    elif len(title) > TITLE_MAX:
        problems.append(FieldError("title", "TOO_LONG", {"limit": TITLE_MAX}))
    if ends_on < starts_on:
        problems.append(FieldError("ends_on", "TRAINING_ENDS_BEFORE_START", {"day": starts_on}))
    else:
        span = (ends_on - starts_on).days + 1
        limit = min(span, SESSION_MAX_DAYS)
        if days < 1 or days > limit:
            problems.append(
                FieldError("days", "TRAINING_DAYS_RANGE", {"limit": limit, "article": ART_28})
            )
    if force_kind and force_kind not in FORCE_KINDS:
        problems.append(FieldError("force_kind", "NOT_ONE_OF", {"choices": FORCE_KINDS}))
    return problems


def attendance_problems(
    *, days: int, session_days: int, absence_reason: str, on_roster: bool, force_matches: bool
) -> list[FieldError]:
    """Why an attendance may not be recorded: the member must be on the command's roster during
    the session and of the session's force; the days lie between 0 and the session's days; an
    absence (0 days) says why."""
    problems: list[FieldError] = []
    if not on_roster:
        problems.append(FieldError("person", "TRAINING_NOT_ON_ROSTER"))
    elif not force_matches:
        problems.append(FieldError("person", "TRAINING_OTHER_FORCE"))
    if days < 0 or days > session_days:
        problems.append(
            FieldError("days", "TRAINING_DAYS_RANGE", {"limit": session_days, "article": ART_28})
        )
    if days == 0 and not absence_reason.strip():
        problems.append(FieldError("absence_reason", "TRAINING_ABSENCE_REASON"))
    if len(absence_reason) > TITLE_MAX:
        problems.append(FieldError("absence_reason", "TOO_LONG", {"limit": TITLE_MAX}))
    return problems
