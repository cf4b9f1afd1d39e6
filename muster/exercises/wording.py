"""The exercises' error codes in words (see `core.wording`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "EXERCISE_ENDS_BEFORE_START": _("An exercise cannot end before it starts (%(day)s)."),
    "EXERCISE_TOO_LONG": _("An exercise lasts at most %(limit)s days."),
    "EXERCISE_DAYS_RANGE": _("The training days it counts must be between 1 and %(limit)s."),
    "EXERCISE_FINISHED": _("The exercise is finished: its participants and timeline are closed."),
    "EXERCISE_NOT_FINISHED": _("The review is recorded once the exercise is finished."),
    "EXERCISE_ATTENDANCE_RANGE": _("The days attended must be between 0 and %(limit)s."),
    "EXERCISE_DUE_BEFORE_END": _("A follow-up cannot be due before the exercise ended (%(day)s)."),
    "EXERCISE_FINISHED_EARLY": _("An exercise is finished on or after its last day (%(day)s)."),
    "EXERCISE_ALREADY_TAKING_PART": _("This participant already takes part in the exercise."),
    "EXERCISE_EVENT_KIND": _("Choose an inject or an action."),
    "EXERCISE_FINDING_KIND": _("Choose what went well or what is to improve."),
    "EXERCISE_NOT_A_PARTICIPANT": _("That participant does not take part in this exercise."),
    "EXERCISE_OWNER_OUTSIDE": _("The follow-up's owner must work in the exercise's jurisdiction."),
    "EXERCISE_NOT_A_NUMBER": _("Enter a whole number."),
    "EXERCISE_UNIT_NOT_FOUND": _(
        "There is no command %(code)s running exercises in your jurisdiction."
    ),
    "EXERCISE_NOT_FOUND": _("There is no exercise %(id)s in your jurisdiction."),
    "EXERCISE_MEMBER_NOT_FOUND": _(
        "%(personal_id)s is not on a militia roster in your jurisdiction on the exercise's first day."
    ),
    "EXERCISE_FOLLOW_UP_NOT_FOUND": _("There is no follow-up %(id)s in your jurisdiction."),
}
