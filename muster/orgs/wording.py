"""The orgs app's error codes in words (see `core.wording`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "ORG_UNIT_NOT_FOUND": _("There is no organisation unit with the code %(code)s."),
    "NOT_A_2025_PROVINCE": _("%(code)s is not a 2025 province code."),
    "NOT_A_LEGACY_PROVINCE": _("%(code)s is not a province code of the legacy edition."),
    "UNKNOWN_EDITION": _("“%(edition)s” is not an edition; use one of %(editions)s."),
    "NOT_A_REGION": _("%(code)s is a %(kind)s, not a military region."),
    "UNIT_NOT_VALID_ON": _("%(code)s does not exist on %(day)s."),
    "ALREADY_IN_REGION": _("%(province)s already belongs to %(region)s."),
    "ORG_CODE_TAKEN": _("The code %(code)s is already an organisation unit's."),
    "NAME_UNCHANGED": _("“%(name)s” is already the unit's name."),
    "HOLDER_ID_FORMAT": _("Enter the holder's 12-digit personal ID number, or leave it empty."),
    "APPOINTMENT_BEFORE_CURRENT": _(
        "The appointment must start after %(day)s, when the current holder was appointed."
    ),
    "APPOINTMENT_ENDED": _("The appointment already ended on %(day)s."),
    "APPOINTMENT_END_BEFORE_START": _("The appointment cannot end before it began (%(day)s)."),
    "TERRITORY_BEFORE_CURRENT": _(
        "The change must not start before %(day)s, when the current assignment began."
    ),
    "SAME_UNIT": _("Choose a different unit: this is the unit it comes from."),
    "KIND_DIFFERS": _("The new unit is a %(kind)s but the old one is a %(from_kind)s."),
    "COMMUNE_COMMAND_FIXED": _("A commune command always covers its own commune."),
    "TERRITORY_NOT_COVERED": _("%(code)s does not cover %(unit)s on %(day)s."),
    "REGION_NAME_DIFFERS": _("“%(name)s” differs from “%(known)s” given earlier for %(code)s."),
    "PROVINCE_ASSIGNED_TWICE": _("Province %(code)s is already assigned on line %(line)s."),
    "PROVINCE_NAME_MISMATCH": _("“%(name)s” does not match province %(code)s (%(actual)s)."),
    "PROVINCE_WITHOUT_REGION": _("Province %(code)s (%(name)s) has no military region."),
    "DESIGNATION_UNKNOWN": _("%(codes)s: not a designation of a commune."),
    "NOT_A_COMMUNE_COMMAND": _("%(code)s is not a commune military command."),
    "NO_PROVINCES_ON": _(
        "No 2025 provinces are valid on %(day)s: load the geo data first (muster geo load)."
    ),
}
