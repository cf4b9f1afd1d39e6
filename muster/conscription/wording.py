"""The conscription app's error codes in words (see `core.wording`). Codes named in
domain-rules.md keep the rule's code (REG_FIRST_AGE_MALE, REG_FEMALE, CALLUP_NOTICE_DAYS)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    # Permissions and lookups
    "CYCLE_NOT_FOUND": _("There is no call-up cycle %(id)s in your jurisdiction."),
    "BATCH_NOT_FOUND": _("There is no order batch %(id)s in your jurisdiction."),
    "ORDER_NOT_FOUND": _("There is no call-up order %(id)s in your jurisdiction."),
    "EXAM_NOT_FOUND": _("There is no health examination %(id)s in your jurisdiction."),
    "DECISION_NOT_FOUND": _("There is no decision %(id)s in your jurisdiction."),
    "EVIDENCE_NOT_FOUND": _("There is no evidence document %(id)s in your jurisdiction."),
    # Registration (MSL Art. 12, 16, 19)
    "REG_FIRST_AGE_MALE": _(
        "A man registers from the year he turns 17 (%(year)s) (MSL Art. 12(1), Art. 16)."
    ),
    "REG_FEMALE": _("A woman registers from age 18 (MSL Art. 12(2))."),
    "REG_FEMALE_KIND": _("Women register as “women of listed professions” (MSL Art. 12(2))."),
    "REG_FEMALE_KIND_FOR_WOMEN": _(
        "The kind “women of listed professions” is for women (MSL Art. 12(2))."
    ),
    "REG_SEX_UNKNOWN": _("The person's sex is not recorded (“%(value)s”)."),
    "REG_REMOVED_BEFORE_REGISTERED": _("The removal date cannot be before the registration date."),
    "REG_ALREADY_REMOVED": _("This registration was already removed."),
    # Health examination
    "HEALTH_CLASS_RANGE": _("The health class must be 1 to 6."),
    "CALLUP_RULES_NOT_IN_FORCE": _("No call-up rules were in force on %(day)s (before 2016)."),
    "CALLUP_RULES_UNKNOWN": _("The call-up rules %(version)s of this cycle are not known."),
    # Decisions on grounds (MSL Art. 41, 13–14, 4(4))
    "GROUND_UNKNOWN": _("%(ground)s is not a known ground: choose a ground from the list."),
    "GROUND_NOT_FOR_CALLUP": _(
        "%(ground)s is not a call-up deferral or exemption ground (MSL Art. 41)."
    ),
    "GROUND_KIND_MISMATCH": _(
        "%(ground)s is not a ground of the chosen kind; choose the matching kind."
    ),
    "GROUND_SEX": _("%(ground)s does not apply to a person of this sex."),
    "GROUND_AGE": _(
        "%(ground)s applies from age %(low)s to %(high)s; the person was %(age)s on %(day)s."
    ),
    "GROUND_ONE_PER_FAMILY": _(
        "%(ground)s may be used by only one member of a family; %(holder)s of the same household "
        "already holds it (MSL Art. 41(2))."
    ),
    "GROUND_ONE_PER_FAMILY_IN_FILE": _(
        "%(ground)s may be used by only one member of a family; line %(line)s gives it to "
        "%(holder)s of the same household (MSL Art. 41(2))."
    ),
    "DECISION_ENDS_BEFORE_DECIDED": _("The decision cannot end before the date it was decided."),
    "DECISION_REVOKED_TOO_EARLY": _("The revocation must come after the decision date."),
    "DECISION_ALREADY_ENDED": _("The decision had already ended by then."),
    "EVIDENCE_TYPE": _("The document must be a PDF, JPEG or PNG file."),
    # Cycle and quotas (MSL Art. 33–34)
    "CALLUP_NOT_A_PROVINCE": _("%(code)s is not a province."),
    "CALLUP_DATE_YEAR": _("The call-up date must fall in %(year)s."),
    "CALLUP_CYCLE_EXISTS": _(
        "The %(year)s cycle of this province already exists with the call-up date %(day)s."
    ),
    "CALLUP_NO_CYCLE": _(
        "There is no call-up cycle of %(year)s for the province of commune %(commune)s: give a "
        "reference date."
    ),
    "CALLUP_NO_CYCLE_THERE": _("There is no call-up cycle of %(year)s there."),
    "CALLUP_NO_COMMUNES": _("The province has no communes on the call-up date."),
    "CALLUP_COMMUNE_OUTSIDE_PROVINCE": _("The commune is not in the cycle's province."),
    "QUOTA_TARGET_NEGATIVE": _("The target cannot be negative."),
    "QUOTA_NEGATIVE": _("A quota cannot be negative."),
    "QUOTA_UNKNOWN_COMMUNES": _("Not communes of this cycle: %(codes)s."),
    "QUOTA_PINNED_OVER_TARGET": _(
        "The overridden quotas add up to %(pinned)s, more than the provincial target of "
        "%(target)s: change or clear another override first."
    ),
    "QUOTA_ALL_PINNED": _(
        "Every commune's quota is overridden and they add up to %(pinned)s, not the provincial "
        "target of %(target)s: clear an override first."
    ),
    "QUOTA_NOT_PROPOSED": _("Propose the quotas before overriding one."),
    "QUOTA_REASON_REQUIRED": _("Give the reason for overriding the quota."),
    "QUOTA_BELOW_ORDERS": _("The commune already has %(ordered)s orders, more than %(quota)s."),
    "QUOTA_OVER_POOL": _(
        "A quota of %(quota)s is more than the %(pool)s eligible men of %(commune)s."
    ),
    "QUOTA_ORDERS_OVER_TARGET": _(
        "This would leave %(ordered)s call-up orders against a target of %(target)s: the orders "
        "already drafted or issued cannot be taken back by moving quotas."
    ),
    # The quota page's one form: each row's error names its commune.
    "QUOTA_ROW_MISSING": _("%(commune)s: enter the quota."),
    "QUOTA_ROW_NEGATIVE": _("%(commune)s: a quota cannot be negative."),
    "QUOTA_ROW_REASON_REQUIRED": _("%(commune)s: give the reason for overriding the quota."),
    "QUOTA_ROW_TOO_LONG": _("%(commune)s: the reason is too long (at most %(limit)s characters)."),
    "QUOTA_MISSING": _("The commune has no quota in this cycle yet."),
    "QUOTA_EXCEEDED": _(
        "The commune's quota is %(quota)s and it already has %(ordered)s orders: %(adding)s more "
        "would exceed it."
    ),
    # Orders and handover (MSL Art. 34(6), 22)
    "CALLUP_NOTICE_DAYS": _(
        "The order must reach the citizen at least %(days)s days before the reporting date (MSL "
        "Art. 34(6)): issued on %(issued)s, the reporting date must be %(earliest)s or later."
    ),
    "BATCH_EMPTY_CHOICE": _("Choose at least one citizen."),
    "BATCH_TOO_LARGE": _("At most %(max)s orders in one batch."),
    "BATCH_NOT_RESIDENTS": _("Not residents of the commune: %(ids)s."),
    "BATCH_ALREADY_ORDERED": _("Already have an order this cycle: %(names)s."),
    "BATCH_NOT_ELIGIBLE": _("Not eligible on %(day)s: %(names)s."),
    "BATCH_NO_LONGER_ELIGIBLE": _("No longer eligible on %(day)s: %(names)s."),
    "BATCH_ALREADY_APPROVED": _("This batch was already approved on %(day)s."),
    "BATCH_TWO_PERSON_RULE": _(
        "You cannot approve a batch you drafted: another person must approve it (two-person rule)."
    ),
    "BATCH_NO_ORDERS": _("The batch has no orders."),
    "ORDER_NOT_ISSUED": _("The order has not been issued yet."),
    "ORDER_REVOKED": _("The order was revoked."),
    "ORDER_SERVED_BEFORE_ISSUED": _("An order cannot be served before it was issued."),
    "HANDOVER_BEFORE_ORDER": _("The handover cannot precede the order."),
    "HANDOVER_ALREADY_ENLISTED": _("The citizen has already enlisted."),
    # Active service (MSL Art. 21–24)
    "SERVICE_ORDER_OTHER_PERSON": _("The call-up order is for another person."),
    "SERVICE_PERSON_REQUIRED": _("Give the person or the call-up order."),
    "SERVICE_UNIT_REQUIRED": _("Enter the receiving unit."),
    "SERVICE_ALREADY_SERVING": _("The person has been serving since %(day)s."),
    "SERVICE_NOT_A_DISCHARGE_REASON": _("Choose a discharge reason from the list."),
    "SERVICE_ALREADY_ENDED": _("This service has already ended."),
    "SERVICE_DISCHARGE_BEFORE_ENLISTMENT": _("The discharge cannot come before the enlistment."),
    # Import files
    "ROW_IDENTICAL_COPY": _("An identical copy of line %(line)s; loaded once."),
    "ROW_CONFLICTING_COPY": _(
        "The same personal ID and %(fields)s as line %(line)s with different values; the first "
        "is kept."
    ),
    "CELL_NOT_A_CALENDAR_DATE": _("“%(value)s” is not a calendar date."),
    "CELL_NOT_A_NUMBER": _("“%(value)s” is not a number (use a point for decimals, e.g. 1.5)."),
    "CELL_NOT_A_WHOLE_NUMBER": _("“%(value)s” is not a whole number."),
    "CELL_NOT_YES_NO": _("“%(value)s” must be yes or no (or empty when unknown)."),
}
