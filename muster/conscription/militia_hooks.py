"""What military-service records mean to the militia (registered from `apps.ready`): a man in
active service is not selected for the militia (DQTV Art. 10; called up, a member is released,
Art. 12(1)(d))."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from muster.conscription.models import ServiceRecord
from muster.militia import hooks


def serving(*, day: date) -> QuerySet[Any]:
    """Persons in active service on `day`: enlisted on or before it, not discharged before it
    (the discharge day is the last day of service)."""
    return (
        ServiceRecord.objects.filter(enlisted_on__lte=day)
        .filter(Q(discharged_on__isnull=True) | Q(discharged_on__gte=day))
        .values("person_id")
    )


def register() -> None:
    hooks.register_in_service("active_service", serving)
