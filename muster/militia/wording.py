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
    "MILITIA_IN_ACTIVE_SERVICE": _(
        "The person is in active military service and cannot be selected (%(article)s)."
    ),
    "MEX_RESERVIST_ASSIGNED": _(
        "The person is a reservist assigned to reserve unit %(unit)s: exempt from militia "
        "duty (%(article)s)."
    ),
    "MILITIA_RELEASE_CODE_NEEDED": _("Give the early-release ground (%(article)s)."),
    "MILITIA_REMOVAL_CODE_NEEDED": _("Give the ground for removal from the list (%(article)s)."),
    "MILITIA_NAVAL_NOT_COASTAL": _(
        "Naval militia are formed only in coastal and island communes (%(article)s)."
    ),
    "MILITIA_STANDING_NOT_KEY": _(
        "Standing militia are formed only in key defence communes (%(article)s)."
    ),
    "MILITIA_UNIT_PROVINCE_COMPANY": _(
        "A province forms air-defence and artillery companies only (%(article)s)."
    ),
    "MILITIA_UNIT_COMMAND_KIND": _(
        "Militia units stand under a commune command or a provincial command (%(article)s)."
    ),
    "MILITIA_UNIT_ECHELON": _(
        "This force does not form a unit of that size in a commune (%(article)s)."
    ),
    "MILITIA_UNIT_VILLAGE_REQUIRED": _("An in-place unit names its village or residential group."),
    "MILITIA_UNIT_CLOSED": _("This militia unit has been disbanded."),
    "MILITIA_LEADER_NOT_MEMBER": _(
        "A unit's leader is chosen from the command's militia serving on %(day)s."
    ),
    "MILITIA_UNIT_ELSEWHERE": _("This unit belongs to another commune's command (%(article)s)."),
    "MILITIA_UNIT_FORCE": _("This unit is of another force (%(article)s)."),
    "MILITIA_UNIT_ENDS_BEFORE": _("The unit was set up on %(day)s."),
    "MILITIA_UNIT_HAS_MEMBERS": _(
        "%(count)s members still serve in this unit: move them to another unit or take them off "
        "the roster first."
    ),
    "MILITIA_TRANSFER_BEFORE_PERIOD": _("The member serves here since %(day)s: move later."),
    "MILITIA_TRANSFER_SAME": _("The member already serves there."),
    "MILITIA_DEFERRAL_ENDS_BEFORE": _("A deferral cannot end before it is decided (%(day)s)."),
    "MILITIA_EXEMPTION_NO_END": _("An exemption has no end date."),
    "MILITIA_FLAGS_COMMUNE_ONLY": _("%(code)s is not a commune."),
    "MILITIA_UNIT_NOT_FOUND": _("There is no such militia unit under this command."),
    "MILITIA_ABSENCE_NOT_FOUND": _("There is no such absence on this command's roster."),
    "MILITIA_MEMBER_NOT_FOUND": _("No militia member %(personal_id)s in your jurisdiction."),
    "MILITIA_IMPORT_COPY": _("An identical copy of line %(line)s; loaded once."),
    "MILITIA_IMPORT_CONFLICT": _(
        "Line %(line)s has the same person with other values; neither is guessed at."
    ),
    "MILITIA_IMPORT_YES_NO": _("“%(value)s” must be yes or no."),
    "MILITIA_FLAGS_IN_FORCE": _("Flags from %(day)s are in force."),
    "SELF_DEFENCE_TOO_YOUNG": _(
        "The organisation must have operated for %(months)s months, until %(day)s, before it "
        "founds a self-defence force (%(article)s)."
    ),
    "SELF_DEFENCE_TOO_FEW_WORKERS": _(
        "The organisation needs at least %(size)s eligible workers, enough for one squad "
        "(%(article)s)."
    ),
    "SELF_DEFENCE_PARENT": _(
        "%(code)s cannot hold an agency's or enterprise's military command: choose the "
        "provincial command or a commune command."
    ),
    "SELF_DEFENCE_FORCE": _("A self-defence force forms only these forces: %(choices)s."),
    "SELF_DEFENCE_NO_VESSELS": _(
        "Only an organisation with vessels forms maritime self-defence (%(article)s)."
    ),
    "MILITIA_REGISTRATION_AGE": _(
        "Only citizens who turn 18 in %(year)s or are older are registered for militia duty "
        "(%(article)s)."
    ),
    "MILITIA_ABSENCE_SHORT": _(
        "Only an absence of %(months)s months or more is reported (%(article)s)."
    ),
    "MILITIA_ABSENCE_NOT_MEMBER": _("The member was not on the roster when the absence began."),
    "MILITIA_RETURN_OUTSIDE": _(
        "The return must lie between the absence's start (%(day)s) and today."
    ),
}
