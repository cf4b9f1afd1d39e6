"""The reserve's codes in words (see `core.labels`): bases of MSL Art. 24, uncategorised
reasons, kinds, statuses, reasons for leaving, specialties and ranks (named in both languages
in `specialties`), excuses and activity kinds; reserve units' force and role, how a specialty
matches, technical means' kinds, capabilities, states and reasons for leaving the register."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from muster.core.labels import Table
from muster.reserve import means_rules, rules
from muster.reserve.models import (
    ActivityKind,
    AttendanceStatus,
    LeftReason,
    ReserveCategory,
    ReserveKind,
)
from muster.reserve.models_units import (
    Force,
    MatchKind,
    MeansKind,
    MeansRetired,
    MeansState,
    UnitRole,
)
from muster.reserve.specialties import RANK_LABELS, SPECIALTY_LABELS

LABELS: dict[str, Table] = {
    "reserve_basis": {
        **{code: basis.words for code, basis in rules.BASES.items()},
        **rules.UNCATEGORISED,
        rules.OFFICER_BASIS: _("Reserve officer (Officers Law)"),
    },
    "reserve_category": {str(value): words for value, words in ReserveCategory.choices},
    "reserve_kind": dict(ReserveKind.choices),
    "reserve_status": {
        rules.IN_RESERVE: _("In the reserve"),
        rules.AGED_OUT: _("Out at the age limit or unfit"),
        rules.LEFT: _("Left the reserve"),
    },
    "reserve_left_reason": dict(LeftReason.choices),
    "reserve_activity_kind": dict(ActivityKind.choices),
    "reserve_attendance": dict(AttendanceStatus.choices),
    "reserve_excuse": rules.EXCUSES,
    "reserve_specialty": SPECIALTY_LABELS,
    "reserve_rank": RANK_LABELS,
    "reserve_force": dict(Force.choices),
    "reserve_role": dict(UnitRole.choices),
    "reserve_match": dict(MatchKind.choices),
    "reserve_means_kind": dict(MeansKind.choices),
    "reserve_means_state": dict(MeansState.choices),
    "reserve_means_capability": means_rules.CAPABILITY_LABELS,
    "reserve_means_retired": dict(MeansRetired.choices),
}
