"""The table swap the fast path uses lives in `muster.core.tableswap`, where each app can rewrite
its own tables with it; its names are re-exported here for the engine's callers and tests."""

from __future__ import annotations

from muster.core.tableswap import (
    ForeignKey,
    OwnedSequence,
    Shape,
    Steps,
    SwapRefused,
    TableSwap,
    foreign_keys,
    staging_name,
    tables_lock,
    unsupported,
)

__all__ = [
    "ForeignKey",
    "OwnedSequence",
    "Shape",
    "Steps",
    "SwapRefused",
    "TableSwap",
    "foreign_keys",
    "staging_name",
    "tables_lock",
    "unsupported",
]
