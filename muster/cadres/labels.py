"""The cadres app's codes in words (see `core.labels`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from muster.cadres.models import Attendance, CourseKind, Grade, Qualification, Result, Subject
from muster.core.labels import Table

LABELS: dict[str, Table] = {
    # The rules a holder or a criteria set may fail (cadres.rules), in a reader's words.
    "cadre_rule": {
        "CADRE_GM_TRAINING": _(
            "College or university training in grassroots military affairs (DQTV Art. 26 as "
            "amended by Law 98/2025)"
        ),
        "CADRE_POLITICAL_THEORY": _("Political-theory training of commune commanders"),
        "CADRE_RESERVE_OFFICER": _("The commune commander is a reserve officer (DQTV Art. 20(1))"),
        "CADRE_IT_MANDATORY": _("IT competency is a mandatory assessment criterion (MR3)"),
    },
    "qualification": dict(Qualification.choices),
    "course_kind": dict(CourseKind.choices),
    "attendance": dict(Attendance.choices),
    "result": dict(Result.choices),
    "grade": dict(Grade.choices),
    "assessment_subject": dict(Subject.choices),
}
