"""Audit trail. `from muster import audit; audit.record(...)` inside an action's transaction."""

from __future__ import annotations

from typing import Any


def record(action: str, **kwargs: Any) -> Any:
    from muster.audit.chain import record as _record

    return _record(action, **kwargs)


def record_read(action: str, **kwargs: Any) -> None:
    from muster.audit.chain import record_read as _record_read

    _record_read(action, **kwargs)


def record_reads(action: str, **kwargs: Any) -> None:
    from muster.audit.chain import record_reads as _record_reads

    _record_reads(action, **kwargs)
