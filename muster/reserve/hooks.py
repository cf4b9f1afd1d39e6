"""What higher apps tell the reserve about a person's other obligations.

A soldier in active service is not a reservist (MSL Art. 4, 24): the reserve cannot read the
service records (conscription sits above it, docs/architecture.md), so conscription registers,
from its AppConfig.ready(), whether a person is in active service on a day:

    register_active_service("conscription", in_service)

and `in_active_service` asks every registered app.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol


class ActiveService(Protocol):
    def __call__(self, *, person_id: int, day: date) -> bool: ...


_ACTIVE_SERVICE: dict[str, ActiveService] = {}


def register_active_service(name: str, check: ActiveService) -> None:
    """Add (or replace, so a reloaded app does not register twice) the check called `name`."""
    _ACTIVE_SERVICE[name] = check


def in_active_service(person_id: int, day: date) -> bool:
    """Whether any app's records put the person in active service on `day`."""
    return any(check(person_id=person_id, day=day) for check in _ACTIVE_SERVICE.values())
