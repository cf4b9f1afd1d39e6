"""What militia records mean to the worklists (registered from `apps.MilitiaConfig.ready`):
the militia roster is a register, so a member's move or death is the commune's work (DQTV
Art. 9(2)(b), Art. 12(2))."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from muster.militia.models import MilitiaMembership
from muster.worklists import hooks


def on_register(*, day: date) -> QuerySet[Any]:
    """Persons on a militia roster on `day`."""
    return MilitiaMembership.objects.as_of(day).values("person_id")


def register() -> None:
    hooks.register_roll("militia", on_register)
