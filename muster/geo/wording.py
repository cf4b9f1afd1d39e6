"""The geo app's error codes in words (see `core.wording`)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "ADMIN_UNIT_NOT_FOUND": _(
        "There is no %(edition)s administrative unit with the code %(code)s."
    ),
    "PARENT_NEEDS_EDITION": _("Give the edition too: codes repeat across editions."),
}
