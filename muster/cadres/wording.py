"""The cadres app's error codes in words (see `core.wording`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "CADRES_COMMAND_NOT_FOUND": _(
        "There is no command with the code %(code)s in your jurisdiction."
    ),
    "POSITION_NOT_FOUND": _("This command has no such position."),
    "APPOINTMENT_NOT_FOUND": _("This command has no such appointment."),
    "COURSE_VALIDITY_RANGE": _("A certificate's validity is 1 to 240 months, or none."),
    "COURSE_CODE_TAKEN": _("A course with the code %(code)s already exists."),
    "SESSION_ENDS_BEFORE_START": _("The session cannot end before it starts (%(day)s)."),
    "ALREADY_ENROLLED": _("%(name)s is already enrolled in this session."),
    "RESULT_RECORDED": _("The result was already recorded on %(day)s."),
    "PASSED_WHILE_ABSENT": _("Someone absent from the session cannot pass it."),
    "SCORE_RANGE": _("Enter a score from 0 to 100."),
    "RESULT_BEFORE_SESSION": _("The result cannot be dated before the session starts (%(day)s)."),
    "EXPIRES_BEFORE_ISSUE": _("The certificate cannot expire before it was issued (%(day)s)."),
    "PERCENT_RANGE": _("Enter a share from 0 to 100 %."),
    "CADRES_YEAR_RANGE": _("Enter a year from 2025 to 2100."),
    "COURSE_NOT_FOUND": _("There is no such course in your jurisdiction."),
    "SESSION_NOT_FOUND": _("There is no such course session in your jurisdiction."),
    "CRITERIA_SET_NOT_FOUND": _("There is no such criteria set."),
    "ENROLMENT_NOT_FOUND": _("There is no such enrolment in your jurisdiction."),
    "CRITERIA_EMPTY": _("A criteria set needs at least one criterion with a weight."),
    "CRITERIA_DUPLICATE": _("Each criterion's code appears once in a set."),
    "CADRE_IT_MANDATORY": _(
        "A cadre assessment includes IT competency (code it_competency) as a mandatory "
        "criterion (MR3)."
    ),
    "THRESHOLDS_ORDER": _("The thresholds run from excellent down to good and pass."),
    "CRITERIA_SET_USED": _(
        "The %(year)s criteria set %(code)s was used by assessments: keep it, or save a new one."
    ),
    "ASSESSMENT_SUBJECT": _("This criteria set assesses %(assessed)s."),
    "EVIDENCE_REQUIRED": _("“%(name)s” needs its evidence."),
    "ASSESSED_ALREADY": _("Already assessed against the %(year)s criteria."),
    "CRITERIA_NOT_A_NUMBER": _("Enter a number (a comma or a point for decimals)."),
}

# What a criteria set assesses, in the words ASSESSMENT_SUBJECT puts after "assesses" (the
# error keeps the subject's code as a parameter for the API, never in its message).
SUBJECT_ASSESSED: dict[str, Promise] = {
    "cadre": _("cadres: choose the cadre assessed"),
    "unit": _("units: assess the unit, not a person"),
}
