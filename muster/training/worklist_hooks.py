"""What training records mean to the worklists (registered from `apps.TrainingConfig.ready`):
a member short of the year's training days, counting the sessions still planned, is work for
the command from `rules.WORKLIST_FROM_MONTH` (DQTV Art. 28(1)). The same source opens the item
and, once attendance or a planned session covers the days (or the member leaves the roster),
closes it."""

from __future__ import annotations

from datetime import date

from muster.militia.models import MilitiaMembership
from muster.training import rules
from muster.training.queries import year_figures
from muster.worklists import hooks
from muster.worklists.rules import Kind

CLOSED = "Training days now attended or planned, or no longer on a roster (closed by the system)."


def training_short(*, today: date, narrow: hooks.Narrow) -> list[hooks.Due]:
    """Members on a roster today who are short of this year's training days."""
    if today.month < rules.WORKLIST_FROM_MONTH:
        return []
    members = MilitiaMembership.objects.as_of(today)
    if narrow.person_ids is not None:
        members = members.filter(person_id__in_array=narrow.person_ids)
    if narrow.commune_ids is not None:
        members = members.filter(person__residence_commune_id__in_array=narrow.commune_ids)
    chosen = list(members.select_related("person", "unit"))
    return [
        hooks.Due(
            kind=Kind.MILITIA_TRAINING_SHORT,
            commune_id=f.membership.person.residence_commune_id,
            key=str(today.year),
            person_id=f.membership.person_id,
            year=today.year,
            due_on=date(today.year, 12, 31),
            detail={
                "unit_name": f.membership.unit.name,
                "force_kind": f.membership.force_kind,
                "required": f.required,
                "attended": f.attended,
                "planned": f.planned,
            },
        )
        for f in year_figures(chosen, year=today.year, today=today)
        if rules.on_worklist(today, f.short)
    ]


def register() -> None:
    hooks.register_item_source(
        "training_short", (Kind.MILITIA_TRAINING_SHORT,), training_short, note=CLOSED
    )
