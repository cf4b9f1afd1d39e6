"""`{{ day|simulated }}`: a marker after a fact dated later than today.

Only the demo records facts in the future (its 2027 handover runs on a simulated clock); a
date after today shown as a fact would read as something that already happened, so it carries
a visible "simulated" tag. Planned dates (a call-up date, a deadline) do not use it.
"""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from muster.core.formats import date_text

register = template.Library()


def is_future(value: object, today: date | None = None) -> bool:
    """Whether `value` (a date or datetime) lies after `today` (default: the local today)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return isinstance(value, date) and value > (today or timezone.localdate())


@register.filter
def simulated(value: object) -> SafeString | str:
    """The "simulated" tag when `value` is after today; nothing otherwise."""
    if not is_future(value):
        return ""
    today = date_text(timezone.localdate())
    return format_html(
        ' <span class="tag simulated" title="{}">{}</span>',
        _("Dated after today (%(today)s): recorded on the demo's simulated clock")
        % {"today": today},
        _("simulated"),
    )
