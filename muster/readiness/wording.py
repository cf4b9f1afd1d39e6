"""The readiness app's error codes in words (see `core.wording`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "READINESS_NOT_COMPUTED": _("No readiness figures of %(code)s have been computed by %(day)s."),
}
