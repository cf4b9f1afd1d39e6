"""The worklists app's codes in words (see `core.labels`)."""

from __future__ import annotations

from muster.core.labels import Table
from muster.worklists.models import WorkKind, WorkSource

LABELS: dict[str, Table] = {
    "work_kind": dict(WorkKind.choices),
    "work_source": dict(WorkSource.choices),
}
