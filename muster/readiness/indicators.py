"""The readiness indicators in the order pages, reports and the map show them: each a figure
of a snapshot (`models.FIGURES`) or a share of two (`summary.SHARES`), with its words."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Indicator:
    name: str
    label: Promise
    share: bool = False  # a percentage, not a count


INDICATORS = (
    Indicator("people", _("People")),
    Indicator("men_registered", _("Men registered for military service")),
    Indicator("men_call_up_age", _("Men of call-up age (18–27)")),
    Indicator("callup_quota", _("Call-up quota")),
    Indicator("callup_issued", _("Call-up orders issued")),
    Indicator("callup_issued_share", _("Orders issued of the quota (%)"), share=True),
    Indicator("callup_reported", _("Reported at the handover")),
    Indicator("militia_members", _("Militia members")),
    Indicator("militia_target", _("Militia target")),
    Indicator("militia_share", _("Militia of its target (%)"), share=True),
    Indicator("militia_training_days", _("Militia training days this year")),
    Indicator("reservists", _("Reservists")),
    Indicator("reservists_assigned", _("Reservists assigned to reserve units")),
    Indicator("reservists_assigned_share", _("Reservists assigned (%)"), share=True),
    Indicator("reservists_exact", _("Assigned with the exact specialty")),
    Indicator("positions", _("Command positions")),
    Indicator("positions_filled", _("Positions filled")),
    Indicator("positions_filled_share", _("Positions filled (%)"), share=True),
    Indicator("positions_qualified", _("Positions held by qualified cadres")),
    Indicator("positions_qualified_share", _("Positions qualified (%)"), share=True),
    Indicator("training_targets", _("Cadre training targets this year")),
    Indicator("training_targets_met", _("Training targets met")),
    Indicator("cadres_assessed", _("Cadres assessed")),
    Indicator("cadres_good", _("Cadres graded excellent or good")),
    Indicator("units_assessed", _("Units assessed")),
    Indicator("units_good", _("Units graded excellent or good")),
)
BY_NAME = {i.name: i for i in INDICATORS}
# The columns of the units-below table on a page (the report has every indicator).
TABLE = (
    "people",
    "men_call_up_age",
    "callup_issued_share",
    "militia_share",
    "reservists_assigned_share",
    "positions_filled_share",
    "positions_qualified_share",
    "training_targets_met",
)
