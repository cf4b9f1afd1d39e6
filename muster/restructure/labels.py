"""The restructure app's codes in words (see `core.labels`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from muster.core.labels import Table

GAP_KINDS: Table = {
    "commune_without_command": _("New communes without a commune military command"),
    "command_without_commander": _("Commands without a commander"),
    "jurisdiction_lost": _("Users whose jurisdiction ends"),
    "militia_below_target": _("Militia below its target size"),
}

LABELS: dict[str, Table] = {
    # compute.Move.record_type: what a plan moves from an old unit to its successor.
    "plan_record": {
        "person": _("Persons"),
        "user": _("User accounts"),
        "territory": _("Territories of commands"),
        "militia": _("Militia members"),
        "reserve": _("Reserve units"),
        "res_area": _("Reserve units' recruitment areas"),
        "res_means": _("Reserve technical means"),
        "civildef": _("Civil-defence records"),
    },
    # A succession row's unit_type.
    "plan_unit_type": {"admin": _("Administrative unit"), "org": _("Organisation unit")},
    "plan_gap": GAP_KINDS,
}
