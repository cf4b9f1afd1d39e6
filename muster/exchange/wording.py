"""The exchange app's error codes in words (see `core.wording`): feed events, trusted keys,
extract rows."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

WORDINGS: dict[str, Promise] = {
    "EVENT_NOT_AN_OBJECT": _("Must be a JSON object."),
    "EVENT_FIELD_UNEXPECTED": _("This event type does not carry this field."),
    "EVENT_NOT_TEXT": _("Must be text, not %(value)s."),
    "EVENT_FIELDS_NOT_CORRECTABLE": _("These fields cannot be corrected: %(fields)s."),
    "EVENT_NOTHING_TO_CORRECT": _("The correction names no field to correct."),
    "EVENT_BIRTH_OF_REGISTERED": _(
        "This person is already in the registry with a different %(fields)s."
    ),
    "PRODUCER_NOT_TRUSTED": _(
        "No key is trusted for producer %(producer)s (add one with `muster exchange trust "
        "PUBKEY.pem --producer NAME`)."
    ),
    "FEED_OTHER_PRODUCER": _("The feed answered as %(answered)s, not %(producer)s."),
    "KEY_UNUSABLE": _("The public key cannot be used: %(reason)s."),
    "KEY_TRUSTED_FOR_OTHER": _("This key is already trusted for producer %(producer)s."),
    "PERSONAL_ID_CONFLICTING_COPIES": _(
        "This personal ID appears %(copies)s times in the file with different values; every copy "
        "is rejected."
    ),
    "PERSONAL_ID_IDENTICAL_COPY": _(
        "An identical copy of an earlier row with this personal ID; loaded once."
    ),
}
