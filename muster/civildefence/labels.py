"""The civil-defence app's codes in words (see `core.labels`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from muster.civildefence.models import (
    HazardKind,
    Issuer,
    LevelKind,
    MeansKind,
    PlanStatus,
    ResourceKind,
    ShelterKind,
    TaskKind,
    TravelMethod,
)
from muster.core.labels import Table

LABELS: dict[str, Table] = {
    "hazard_kind": dict(HazardKind.choices),
    "shelter_kind": dict(ShelterKind.choices),
    "cd_means_kind": dict(MeansKind.choices),
    "level_kind": dict(LevelKind.choices),
    "cd_issuer": dict(Issuer.choices),
    "cd_plan_status": dict(PlanStatus.choices),
    "cd_task_kind": dict(TaskKind.choices),
    "cd_resource_kind": dict(ResourceKind.choices),
    "travel_method": dict(TravelMethod.choices),
    "cd_revision": {
        "restructured": _("A unit of the plan changed in a restructuring"),
        "hazard_changed": _("The hazard zone was imported again"),
    },
    "cd_role": {
        "rescue_means": _("the operator of a rescue means"),
        "militia": _("a militia member"),
        "reservist": _("a reservist"),
    },
}
