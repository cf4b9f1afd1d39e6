"""The training app's error codes in words (see `core.wording`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "TRAINING_ENDS_BEFORE_START": _("A session cannot end before it starts (%(day)s)."),
    "TRAINING_DAYS_RANGE": _("The training days must be between 0 and %(limit)s (%(article)s)."),
    "TRAINING_NOT_ON_ROSTER": _(
        "This person is not on the command's roster on the session's first day."
    ),
    "TRAINING_OTHER_FORCE": _("This member belongs to another force than the session's."),
    "TRAINING_ABSENCE_REASON": _("Say why the member was absent."),
    "TRAINING_NOT_A_COMMAND": _("%(code)s is not a command that trains members on that day."),
    "TRAINING_NOT_A_NUMBER": _("Enter a whole number of days."),
    "TRAINING_SESSION_NOT_FOUND": _("There is no training session %(id)s in your jurisdiction."),
}
