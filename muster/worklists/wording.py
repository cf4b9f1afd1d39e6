"""The worklists app's error codes in words (see `core.wording`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "WORK_ITEM_NOT_FOUND": _("There is no work item %(id)s in your jurisdiction."),
    "WORK_ITEM_RESOLVED": _("This item is already resolved."),
}
