"""The people app's error codes in words (see `core.wording`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "PERSON_NOT_FOUND": _("No person with the personal ID %(personal_id)s was found."),
    "PERSON_RECORD_NOT_FOUND": _("There is no person record %(id)s in your jurisdiction."),
    "PERSON_NOT_IN_REGISTRY": _("No person with this personal ID is in the registry."),
    "PERSONAL_ID_LENGTH": _("Must have exactly 12 digits; %(count)s were entered."),
    "PERSONAL_ID_FORMAT": _("Must be exactly 12 digits (0–9), without spaces or letters."),
    "PERSONAL_ID_TAKEN": _("A person with this number is already registered."),
    "PERSONAL_ID_FIXED": _("The personal ID number cannot be changed."),
    "PERSONAL_ID_REPEATED": _("This personal ID appears more than once in the file."),
    "PLACE_CODE_FORMAT": _("The place code must be 3 digits, not “%(value)s”."),
    "FIELD_FIXED": _("This field cannot be changed here."),
    "SEX_INVALID": _("Choose male or female."),
    "LIFE_STATUS_INVALID": _("Choose a life status."),
    "DIED_ON_WHILE_ALIVE": _("Leave the date of death empty unless the life status is “Dead”."),
    "DIED_ON_REQUIRED": _("Enter the date of death when the life status is “Dead”."),
    "DIED_BEFORE_BIRTH": _("The date of death must not be before the date of birth."),
    "COMMUNE_NOT_2025": _("%(code)s is not a 2025 commune: choose a commune from the list."),
    "TEXT_FORBIDDEN_CHARACTER": _(
        "Contains an invisible or control character (%(character)s) at character "
        "%(position)s: remove it (pasted text often carries one)."
    ),
    "ID_SEX_MISMATCH": _(
        "The ID's sex digit disagrees with the recorded sex; loaded, and listed for checking."
    ),
    "ID_BIRTH_YEAR_MISMATCH": _(
        "The ID's birth-year digits disagree with the recorded birth date; loaded, and listed "
        "for checking."
    ),
    "MOVE_SAME_COMMUNE": _(
        "The person already lives in this commune: choose the commune he moved to."
    ),
    "MOVE_BEFORE_RESIDENCE": _("The move must come after the current residence began (%(day)s)."),
    "MOVE_PERSON_DEAD": _("A deceased person cannot be recorded as moving."),
}
