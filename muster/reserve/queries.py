"""Reads of the reserve for other apps.

`assigned_reserve_unit_on` answers the militia's selection rule: a reservist already assigned
to a reserve unit is exempt from militia duty and may not be selected (DQTV Art. 10, Art. 11(2);
domain-rules §0.9 `MEX_RESERVIST_ASSIGNED`). `person_reserve_summary` is the person page's
reserve section (the register's own reads are in `register_queries`).
"""

from __future__ import annotations

from datetime import date

from muster.reserve.models_units import ReserveAssignment
from muster.reserve.register_queries import ReserveSummary, person_reserve_summary

__all__ = ["ReserveSummary", "assigned_reserve_unit_on", "person_reserve_summary"]


def assigned_reserve_unit_on(person_id: int, day: date) -> str | None:
    """The reserve unit (its code) the person is assigned to on `day`, or None: read from the
    assignment history, so any day is answered as it was (LLDBĐV Art. 17)."""
    found = (
        ReserveAssignment.objects.as_of(day)
        .filter(person_id=person_id)
        .values_list("post__unit__code", flat=True)
        .first()
    )
    return found
