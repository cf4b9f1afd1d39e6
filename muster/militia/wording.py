"""The militia app's error codes in words (see `core.wording`); MILITIA_AGE and MILITIA_TERM
are the rule codes of domain-rules.md §0.1."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "COMMAND_NOT_FOUND": _("There is no commune command %(code)s in your jurisdiction."),
    "NOT_A_COMMUNE_COMMAND_ON": _("%(code)s is not a commune military command on %(day)s."),
    "MILITIA_AGE": _(
        "Age %(age)s on the join day; militia duty runs from age %(min)s (%(article)s)."
    ),
    "MILITIA_AGE_LIMIT": _(
        "Age %(age)s on the join day; militia duty ends at the end of age %(limit)s (%(article)s)."
    ),
    "MILITIA_AGE_VOLUNTEER_LIMIT": _(
        "Age %(age)s on the join day; volunteers serve to the end of age %(limit)s (%(article)s)."
    ),
    "MILITIA_AGE_END": _("The last day of the duty age is %(day)s (%(article)s)."),
    "MILITIA_TERM": _(
        "A term may be extended by at most %(years)s years, until %(day)s (%(article)s)."
    ),
    "MILITIA_TERM_ALREADY_RUNS": _("The term already runs until %(day)s."),
    "MILITIA_TERM_NOT_COMPLETED": _(
        "The term runs until %(day)s: it is not completed yet (%(article)s)."
    ),
    "MILITIA_PERSON_DIED": _("The person died on %(day)s."),
    "MILITIA_SPECIALTY_REQUIRED": _("A member of the specialised militia needs a specialty."),
    "MILITIA_SPECIALTY_UNEXPECTED": _("Only members of the specialised militia have a specialty."),
    "MILITIA_GROUND_UNKNOWN": _("%(ground)s is not a militia deferral or exemption ground."),
    "MILITIA_GROUND_BARS": _("Ground %(ground)s bars militia duty (%(article)s)."),
    "MILITIA_GROUND_VOLUNTEER_ONLY": _(
        "With ground %(ground)s the person may serve only as a volunteer (%(article)s)."
    ),
    "MILITIA_LIVES_ELSEWHERE": _("The person does not live where %(code)s serves."),
    "MILITIA_ALREADY_MEMBER": _("The person is already on the roster of %(code)s."),
    "MILITIA_OVERLAP": _("This overlaps an earlier membership that lasted until %(day)s."),
    "MILITIA_MEMBERSHIP_CLOSED": _("This membership was closed on %(day)s."),
    "MILITIA_LEFT_BEFORE_JOINED": _("The member cannot leave before joining (%(day)s)."),
    "MILITIA_DEFERRAL_GROUND_NEEDED": _("Give the deferral ground (%(article)s)."),
    "MILITIA_EXEMPTION_GROUND_NEEDED": _("Give the exemption ground (%(article)s)."),
    "MILITIA_GROUND_UNEXPECTED": _("A ground is given only with a deferral or an exemption."),
    "MILITIA_NOT_RECORDED_DEAD": _("The person is not recorded as dead."),
    "MILITIA_LEAVE_NOTE_REQUIRED": _("Say why the member left."),
    "MILITIA_TARGET_IN_FORCE": _("A target from %(day)s is in force."),
}
