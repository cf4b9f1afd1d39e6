"""The orgs app's codes in words (see `core.labels`)."""

from __future__ import annotations

from muster.core.labels import Table
from muster.orgs.models import Designation, OrgKind, PositionKind

LABELS: dict[str, Table] = {
    "org_kind": dict(OrgKind.choices),
    "position_kind": dict(PositionKind.choices),
    "designation": dict(Designation.choices),
}
