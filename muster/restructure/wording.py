"""The restructure app's error codes in words (see `core.wording`): the succession-CSV checks
of the plan editor and the CLI, plan states, split cases."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "PLAN_NOT_FOUND": _("There is no plan %(key)s."),
    "PLAN_UNKNOWN": _("There is no plan %(key)s: load one with --csv FILE."),
    "SPLIT_CASE_NOT_FOUND": _("There is no split case %(id)s in your jurisdiction."),
    "PLAN_KEY_FORMAT": _("Use 1–40 letters, digits, “-” or “_”."),
    "PLAN_KEY_TAKEN": _("%(key)s is already the key of another plan: choose another."),
    "PLAN_BUILTIN": _("%(key)s is a built-in plan and cannot be edited."),
    "PLAN_APPLIED": _("%(key)s is applied: revert it before changing it."),
    "PLAN_NOT_APPLIED": _("%(key)s is not applied."),
    "PLAN_LATER_DEPEND": _("Later applied plans depend on it: %(keys)s."),
    "PLAN_SPLITS_OPEN": _(
        "%(count)s split cases are open: review them or pass --accept-proposals."
    ),
    "PLAN_NO_ROWS": _("There are no succession rows."),
    "PLAN_DATE_INVALID": _("effective_on “%(value)s” is not a date (YYYY-MM-DD)."),
    "PLAN_DEFAULT_FLAG": _("is_default “%(value)s” is not 1/0."),
    "PLAN_DATE_DIFFERS": _(
        "effective_on %(day)s differs from %(plan)s: every row of a plan has the same date."
    ),
    "PLAN_UNIT_TYPE": _("unit_type “%(value)s” is not admin or org."),
    "PLAN_KIND": _("kind “%(value)s” is not one of %(choices)s."),
    "PLAN_OLD_CODE_REQUIRED": _("A %(kind)s needs old_code."),
    "PLAN_NEW_CODE_REQUIRED": _("A %(kind)s needs new_code."),
    "PLAN_SELF_SUCCESSION": _("%(code)s cannot succeed itself."),
    "PLAN_ALREADY_SUCCEEDED": _("%(code)s is already succeeded on %(day)s (line %(line)s)."),
    "PLAN_SPLIT_DEFAULT": _("The split of %(code)s needs exactly one default successor."),
    "PLAN_CYCLE": _("Succession cycle through %(code)s (lines %(lines)s)."),
    "PLAN_CODE_UNKNOWN": _("%(role)s %(code)s is not a known unit."),
    "PLAN_CODE_LATER": _("%(role)s %(code)s exists only from %(start)s, after %(day)s."),
    "PLAN_CODE_NOT_VALID": _("%(role)s %(code)s is not valid on %(day)s."),
    "SPLIT_NOT_A_SUCCESSOR": _("Choose a successor of the person's legacy ward."),
    "REWRITE_NEEDS_POSTGRESQL": _("The rewrite path needs PostgreSQL."),
    "REWRITE_REFUSED": _("The tables cannot be rewritten: %(reason)s."),
}
