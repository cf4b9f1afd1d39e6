"""What reserve records mean to the worklists (registered from `apps.ReserveConfig.ready`):
the reserve is a register (a reservist's move or death is the commune's work), a reservist
has long done his first registration (MSL Art. 16, 24), and the reserve's own items close
when its records settle them: reporting after discharge (MSL Art. 45), removal decided."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from muster.core.validity import valid_on
from muster.reserve.actions import reserve_removals_propose
from muster.reserve.models import ReserveMembership
from muster.worklists import hooks
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind


def on_register(*, day: date) -> QuerySet[Any]:
    """Persons in the reserve on `day`."""
    return ReserveMembership.objects.filter(valid_on(day)).values("person_id")


def ever_in_reserve(*, day: date) -> QuerySet[Any]:
    """Persons who entered the reserve on or before `day`."""
    return ReserveMembership.objects.filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=day)
    ).values("person_id")


def settled_items(*, items: QuerySet[WorkItem], today: date) -> dict[int, str]:
    """A `reserve_report` item (key: the period's id) closes once the soldier reported or the
    period ended; a `reserve_removal` item once the period ended (removal recorded, death)."""
    notes: dict[int, str] = {}
    keyed = {
        int(key): (item_id, kind)
        for item_id, kind, key in items.values_list("id", "kind", "key")
        if key.isdigit()
    }
    periods = ReserveMembership.objects.filter(pk__in=list(keyed)).values_list(
        "pk", "reported_on", "valid_to"
    )
    for pk, reported_on, valid_to in periods:
        item_id, kind = keyed[pk]
        if kind == Kind.RESERVE_REPORT and reported_on is not None:
            notes[item_id] = (
                f"Reported for reserve registration on {reported_on.isoformat()} "
                "(closed by the system)."
            )
        elif valid_to is not None:
            notes[item_id] = (
                f"Reserve period ended on {valid_to.isoformat()} (closed by the system)."
            )
    return notes


def removals_due(*, today: date, commune_ids: list[int] | None) -> int:
    """The refresh's removal proposals: soldiers past the age limit or unfit (MSL Art. 24)."""
    return reserve_removals_propose(day=today, acting_user=None, commune_ids=commune_ids)


def register() -> None:
    hooks.register_refresher("reserve_removals", removals_due)
    hooks.register_roll("reserve", on_register)
    hooks.register_first_registration("reserve", ever_in_reserve)
    hooks.register_item_closer(
        "reserve", (Kind.RESERVE_REPORT, Kind.RESERVE_REMOVAL), settled_items
    )
