"""The plan editor's errors (plain English from plans, rules and actions) in the reader's
language; `muster/restructure/tests/test_plan_edit.py` checks every shape the checks produce."""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _

from muster.core.wording import Wordings, reword

_MESSAGES: Wordings = [
    (re.compile(r"has no succession rows"), _("There are no succession rows.")),
    (re.compile(r"missing column\(s\) (?P<columns>.+)"), _("Missing column(s): %(columns)s.")),
    (re.compile(r"effective_on is not a date \(YYYY-MM-DD\)"), _("effective_on is not a date (YYYY-MM-DD).")),
    (re.compile(r"is_default '(?P<value>.*)' is not true/false"), _("is_default “%(value)s” is not 1/0.")),
    (re.compile(r"effective_on (?P<day>\S+) differs from (?P<plan>\S+): one plan, one date"),
     _("effective_on %(day)s differs from %(plan)s: every row of a plan has the same date.")),
    (re.compile(r"unit_type '(?P<value>.*)' is not admin or org"), _("unit_type “%(value)s” is not admin or org.")),
    (re.compile(r"kind '(?P<value>.*)' is not one of .*"),
     _("kind “%(value)s” is not one of rename, reparent, merge, split, create, abolish.")),
    (re.compile(r"a (?P<kind>\S+) needs old_code"), _("A %(kind)s needs old_code.")),
    (re.compile(r"a (?P<kind>\S+) needs new_code"), _("A %(kind)s needs new_code.")),
    (re.compile(r"(?P<code>\S+) cannot succeed itself"), _("%(code)s cannot succeed itself.")),
    (re.compile(r"(?P<code>\S+) is already succeeded on (?P<day>\S+) \(line (?P<line>\d+)\)"),
     _("%(code)s is already succeeded on %(day)s (line %(line)s).")),
    (re.compile(r"the split of (?P<code>\S+) needs exactly one default successor"),
     _("The split of %(code)s needs exactly one default successor.")),
    (re.compile(r"succession cycle through (?P<code>\S+) \(lines (?P<lines>.+)\)"),
     _("Succession cycle through %(code)s (lines %(lines)s).")),
    (re.compile(r"(?P<role>old_code|new_code) (?P<code>\S+) is an unknown (?P<type>admin|org) unit"),
     _("%(role)s %(code)s is not a known unit.")),
    (re.compile(r"(?P<role>old_code|new_code) (?P<code>\S+) exists only from (?P<start>\S+), after (?P<day>\S+)"),
     _("%(role)s %(code)s exists only from %(start)s, after %(day)s.")),
    (re.compile(r"(?P<role>old_code|new_code) (?P<code>\S+) is not valid on (?P<day>\S+)"),
     _("%(role)s %(code)s is not valid on %(day)s.")),
    (re.compile(r"(?P<code>\S+) is outside your jurisdiction"), _("%(code)s is outside your jurisdiction.")),
    (re.compile(r"(?P<key>\S+) is a built-in plan"), _("%(key)s is a built-in plan and cannot be edited.")),
    (re.compile(r"(?P<key>\S+) is applied: revert it before changing it"),
     _("%(key)s is applied: revert it before changing it.")),
    (re.compile(r"use 1–40 letters, digits, '-' or '_'"), _("Use 1–40 letters, digits, “-” or “_”.")),
]  # fmt: skip


def message_text(message: str) -> str:
    """A plan-editor message in the active language (an unknown wording: as it is)."""
    return reword(message, _MESSAGES)
