"""The demo's error codes in words (see `core.wording`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "DEMO_PROVINCE_UNKNOWN": _("There is no 2025 province “%(query)s”; choose one of: %(names)s."),
}
