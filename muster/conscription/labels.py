"""The conscription app's codes in words (see `core.labels`): a person's service status, the
candidate list's statuses, every reason code (grounds, examination outcomes, the lifecycle's
own; their words are in `rules.reasons` and `rules.lifecycle`, written once), record sources."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _

from muster.conscription.models import Source
from muster.conscription.rules.callup import Status
from muster.conscription.rules.lifecycle import LIFECYCLE_REASONS, STATUS_LABELS, reason_text
from muster.conscription.rules.reasons import REASONS
from muster.core.labels import Table

CALLUP_STATUS_LABELS: Table = {
    Status.ELIGIBLE: _("Eligible"),
    Status.DEFERRED: _("Deferred"),
    Status.EXEMPT: _("Exempt"),
    Status.NOT_FIT: _("Not fit"),
    Status.OUT_OF_AGE: _("Out of call-up age"),
    Status.ALREADY_SERVED: _("Already served"),
    Status.UNREGISTERED: _("Not registered"),
}


def _reason(code: str) -> Callable[[str], str]:
    return lambda _language: reason_text(code)[0]


LABELS: dict[str, Table] = {
    "service_status": STATUS_LABELS,
    "callup_status": CALLUP_STATUS_LABELS,
    "reason": {code: _reason(code) for code in [*REASONS, *LIFECYCLE_REASONS]},
    "record_source": dict(Source.choices),
}
