"""Action messages (plain English, for logs and the CLI) in the reader's language for pages.

Actions raise `InvalidInput`/`PermissionDenied` with English text; pages show it through
`field_message`/`message_text`, which match the known wordings and fall back to the text as it is.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from muster.core.errors import FieldError
from muster.core.wording import Wordings, reword

_MESSAGES: Wordings = [
    (re.compile(r"\S+ is in the future"), _("The date must not be in the future.")),
    (re.compile(r"is required"), _("This field is required.")),
    (re.compile(r"is longer than (?P<limit>\d+) characters"), _("Must be at most %(limit)s characters long.")),
    (re.compile(r"must be one of .*", re.DOTALL), _("Choose one of the listed options.")),
    (re.compile(r"a man registers from the year he turns 17 \((?P<year>\d+)\).*"),
     _("A man registers from the year he turns 17 (%(year)s) (MSL Art. 12(1), Art. 16).")),
    (re.compile(r"a woman registers from age 18.*"), _("A woman registers from age 18 (MSL Art. 12(2)).")),
    (re.compile(r"the kind “female” is for women.*"), _("The kind “women of listed professions” is for women (MSL Art. 12(2)).")),
    (re.compile(r"women register as kind “female”.*"), _("Women register as “women of listed professions” (MSL Art. 12(2)).")),
    (re.compile(r"must be 1–6, not .*"), _("The health class must be 1 to 6.")),
    (re.compile(r"must be between (?P<low>\S+) and (?P<high>\S+)"), _("Must be between %(low)s and %(high)s.")),
    (re.compile(r"is before the birth date"), _("The date must not be before the date of birth.")),
    (re.compile(r"no call-up rules in force before .*"), _("No call-up rules were in force on that date (before 2016).")),
    (re.compile(r"unknown ground .*"), _("Choose a ground from the list.")),
    (re.compile(r"(?P<code>\S+) is a ground of kind \S+, not \S+"),
     _("%(code)s is not a ground of the chosen kind; choose the matching kind.")),
    (re.compile(r"(?P<code>\S+) does not apply to a person of sex \S+"),
     _("%(code)s does not apply to a person of this sex.")),
    (re.compile(r"(?P<code>\S+) applies from age (?P<low>\d+) to (?P<high>\d+);.*"),
     _("%(code)s applies from age %(low)s to %(high)s; the person's age on the decision date is outside it.")),
    (re.compile(r"the decision cannot end before it was decided"), _("The decision cannot end before the date it was decided.")),
    (re.compile(r"(?P<code>\S+) may be used by only one member of a family; (?P<pid>\d+) .*"),
     _("%(code)s may be used by only one member of a family; %(pid)s of the same household already holds it (MSL Art. 41(2)).")),
    (re.compile(r"must be a PDF, JPEG or PNG document"), _("The document must be a PDF, JPEG or PNG file.")),
    (re.compile(r"is larger than (?P<mb>\d+) MB"), _("The document must be at most %(mb)s MB.")),
    (re.compile(r"is empty"), _("The document is empty.")),
    # Cycle, quotas and orders (actions.cycle, actions.orders, actions.service).
    (re.compile(r"you cannot approve a batch you drafted \(two-person rule\)"),
     _("You cannot approve a batch you drafted: another person must approve it (two-person rule).")),
    (re.compile(r"the provincial total (?P<target>\d+) cannot hold: .*", re.DOTALL),
     _("The provincial target of %(target)s would no longer add up: change or clear another override first.")),
    (re.compile(r"the order must reach the citizen at least (?P<days>\d+) days before .*", re.DOTALL),
     _("The order must reach the citizen at least %(days)s days before the reporting date (MSL Art. 34(6)).")),
    (re.compile(r"the commune's quota is (?P<quota>\d+) and it already has (?P<ordered>\d+) orders.*"),
     _("The commune's quota is %(quota)s and it already has %(ordered)s orders: the batch would exceed it.")),
    (re.compile(r"the commune has no quota in this cycle yet"), _("The commune has no quota in this cycle yet.")),
    (re.compile(r"a reason is required to override a quota"), _("Give the reason for overriding the quota.")),
    (re.compile(r"a quota cannot be negative"), _("A quota cannot be negative.")),
    (re.compile(r"propose the quotas before overriding one"), _("Propose the quotas before overriding one.")),
    (re.compile(r"no longer eligible on (?P<day>\S+): (?P<names>.*)", re.DOTALL),
     _("No longer eligible on %(day)s: %(names)s.")),
    (re.compile(r"not eligible on (?P<day>\S+): (?P<names>.*)", re.DOTALL),
     _("Not eligible on %(day)s: %(names)s.")),
    (re.compile(r"choose at least one citizen"), _("Choose at least one citizen.")),
    (re.compile(r"an order cannot be served before it was issued"),
     _("An order cannot be served before it was issued.")),
    (re.compile(r"the handover cannot precede the order"), _("The handover cannot precede the order.")),
    (re.compile(r"the receiving unit is required"), _("Enter the receiving unit.")),
    (re.compile(r"the citizen has already enlisted"), _("The citizen has already enlisted.")),
    (re.compile(r"the date is in the future"), _("The date must not be in the future.")),
    (re.compile(r"this batch was already approved on (?P<day>\S+)"),
     _("This batch was already approved on %(day)s.")),
    (re.compile(r"only provincial staff may manage the call-up cycle and quotas"),
     _("Only provincial staff may manage the call-up cycle and quotas.")),
    (re.compile(r"the province lies outside your jurisdiction"), _("The province lies outside your jurisdiction.")),
    (re.compile(r"the commune lies outside your jurisdiction"), _("The commune lies outside your jurisdiction.")),
    (re.compile(r"this role may not handle call-up orders"), _("Your role may not handle call-up orders.")),
]  # fmt: skip


def message_text(message: str) -> str:
    """An action's message in the active language (an unknown wording: as it is)."""
    return reword(message, _MESSAGES)


def field_message(error: FieldError) -> str:
    """The action's message about one field, in the active language."""
    return message_text(error.message)
