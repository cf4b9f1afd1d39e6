"""What reserve records mean to the worklists (registered from `apps.ReserveConfig.ready`):
the reserve is a register (a reservist's move or death is the commune's work), and a reservist
has long done his first registration (MSL Art. 16, 24)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from muster.core.validity import valid_on
from muster.reserve.models import ReserveMembership
from muster.worklists import hooks


def on_register(*, day: date) -> QuerySet[Any]:
    """Persons in the reserve on `day`."""
    return ReserveMembership.objects.filter(valid_on(day)).values("person_id")


def ever_in_reserve(*, day: date) -> QuerySet[Any]:
    """Persons who entered the reserve on or before `day`."""
    return ReserveMembership.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day)
    ).values("person_id")


def register() -> None:
    hooks.register_roll("reserve", on_register)
    hooks.register_first_registration("reserve", ever_in_reserve)
