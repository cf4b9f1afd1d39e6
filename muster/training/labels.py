"""The training app's codes in words (see `core.labels`): none of its own; forces are the
militia's `force_kind`."""

from __future__ import annotations

from muster.core.labels import Table

LABELS: dict[str, Table] = {}
