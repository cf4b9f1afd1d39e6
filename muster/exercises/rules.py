"""Pure decisions on exercises (no ORM, no I/O).

Civil Defence Law 2023 Art. 17 provides for civil-defence training and exercises; the militia
count days of exercises among their training days (DQTV Law 2019 Art. 28). No statutory template
for the after-action review was found (`shared/civil-defence.md` §1, CD_DRILLS [UNCERTAIN]):
practice is a written summary with lessons (tổng kết, rút kinh nghiệm), so a finding is text
of one of two kinds and each follow-up has an owner and a due date.
"""

from __future__ import annotations

from datetime import date

from muster.core.errors import FieldError

NAME_MAX = 200
TEXT_MAX = 500
# No exercise in the sources lasted more than a few days; a week bounds a typing slip.
DAYS_MAX = 7


def exercise_problems(
    *, name: str, starts_on: date, ends_on: date, training_days: int
) -> list[FieldError]:
    """What is wrong with an exercise's name, dates and training days (CD Law Art. 17; the
    days it counts as militia training cannot exceed its span — DQTV Art. 28)."""
    problems: list[FieldError] = []
    if not name:
        problems.append(FieldError("name", "REQUIRED"))
    elif len(name) > NAME_MAX:
        problems.append(FieldError("name", "TOO_LONG", {"limit": NAME_MAX}))
    if ends_on < starts_on:
        problems.append(FieldError("ends_on", "EXERCISE_ENDS_BEFORE_START", {"day": starts_on}))
        return problems
    span = (ends_on - starts_on).days + 1
    if span > DAYS_MAX:
        problems.append(FieldError("ends_on", "EXERCISE_TOO_LONG", {"limit": DAYS_MAX}))
    if not 1 <= training_days <= min(span, DAYS_MAX):
        problems.append(
            FieldError("training_days", "EXERCISE_DAYS_RANGE", {"limit": min(span, DAYS_MAX)})
        )
    return problems


def open_problems(*, finished: bool) -> list[FieldError]:
    """A finished exercise's participants and timeline are closed: the review records what
    happened, it is not rewritten afterwards."""
    return [FieldError("exercise", "EXERCISE_FINISHED")] if finished else []


def review_problems(*, finished: bool) -> list[FieldError]:
    """Findings come after the exercise (the review follows the event it reviews)."""
    return [] if finished else [FieldError("exercise", "EXERCISE_NOT_FINISHED")]


def attendance_problems(*, days: int, training_days: int) -> list[FieldError]:
    """A member attended between 0 (absent) and the exercise's training days."""
    if 0 <= days <= training_days:
        return []
    return [FieldError("days", "EXERCISE_ATTENDANCE_RANGE", {"limit": training_days})]


def text_problems(text: str, field: str = "text") -> list[FieldError]:
    """A timeline line, finding or follow-up: present and at most `TEXT_MAX` characters."""
    if not text:
        return [FieldError(field, "REQUIRED")]
    if len(text) > TEXT_MAX:
        return [FieldError(field, "TOO_LONG", {"limit": TEXT_MAX})]
    return []


def follow_up_problems(*, text: str, due_on: date, finished_on: date) -> list[FieldError]:
    """A follow-up is due on or after the day the exercise finished."""
    problems = text_problems(text)
    if due_on < finished_on:
        problems.append(FieldError("due_on", "EXERCISE_DUE_BEFORE_END", {"day": finished_on}))
    return problems


def training_commands(
    member_units: dict[int, int], attended: dict[int, int]
) -> dict[int, list[int]]:
    """The commands whose training records the finished exercise adds to, each with the
    members (person ids) who attended at least one day: `member_units` maps a member to the
    command keeping them, `attended` to the days they attended. Absent members are left out:
    training attendance of 0 days would need an absence reason the exercise does not hold."""
    commands: dict[int, list[int]] = {}
    for person_id, unit_id in sorted(member_units.items()):
        if attended.get(person_id, 0) > 0:
            commands.setdefault(unit_id, []).append(person_id)
    return commands
