"""What higher apps tell the militia: who is in active military service on a day.

The militia sits below conscription (docs/architecture.md), so it cannot read service records
itself. Conscription registers, from its AppConfig.ready(), the persons serving on a day
(`register_in_service`); `in_active_service` asks every registered source. A soldier in active
service is not selected for the militia (DQTV Art. 10; a member called up is released,
Art. 12(1)(d)).
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from django.db.models import QuerySet


class PersonSet(Protocol):
    """The persons in the set on `day`: a queryset of one column, `person_id`."""

    def __call__(self, *, day: date) -> QuerySet[Any]: ...


_IN_SERVICE: dict[str, PersonSet] = {}


def register_in_service(name: str, persons_on: PersonSet) -> None:
    """Add (or replace, so a reloaded app does not register twice) a source of serving men."""
    _IN_SERVICE[name] = persons_on


def in_active_service(person_id: int, day: date) -> bool:
    """Whether any registered source has the person in active service on `day`."""
    return any(
        persons_on(day=day).filter(person_id=person_id).exists()
        for _name, persons_on in sorted(_IN_SERVICE.items())
    )
