"""The linkage app's error codes in words (see `core.wording`): legacy files and reviews."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "REVIEW_CASE_NOT_FOUND": _("There is no review case %(id)s in your jurisdiction."),
    "REVIEW_CASE_DECIDED": _("This case has already been decided."),
    "LEGACY_LINKED_ELSEWHERE": _("This legacy record is already linked to another person."),
    "LEGACY_COLUMNS": _(
        "Line 1: missing column(s) %(missing)s; unexpected column(s) %(extra)s; expected "
        "%(expected)s."
    ),
    "LEGACY_ID_REPEATED": _("The same legacy ID as line %(line)s."),
    "LEGACY_DATE_IMPOSSIBLE": _("%(day)s is not a possible birth date."),
    "LEGACY_YEAR_IMPLAUSIBLE": _("“%(value)s” is not a plausible year."),
    "LEGACY_YEAR_DISAGREES": _("%(year)s disagrees with the birth date %(day)s."),
    "LEGACY_BIRTH_MISSING": _("Neither a birth date nor a birth year is given."),
    "LEGACY_ID_IGNORED": _("“%(value)s” is not 12 digits; ignored."),
}
