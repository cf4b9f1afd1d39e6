"""The exercises' codes in words (see `core.labels`): status, participant, timeline and finding
kinds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from muster.core.labels import Table

LABELS: dict[str, Table] = {
    "exercise_status": {"planned": _("Planned"), "finished": _("Finished")},
    "exercise_participant": {
        "unit": _("Unit"),
        "member": _("Militia member"),
        "means": _("Means"),
    },
    "exercise_event": {"inject": _("Inject"), "action": _("Action")},
    "exercise_finding": {"strength": _("Went well"), "shortcoming": _("To improve")},
}
