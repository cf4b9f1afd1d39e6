"""Positions moved to another org unit as a block: a militia unit's leader follows the unit
when a restructuring hands the unit to the successor command (the militia's participant calls
this). Each position takes the next free ordinal of its new unit, so the unit's positions keep
their unique ordinals (orgs_position_ordinal); appointments stay with their position."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Max

from muster import audit
from muster.orgs.models import Position


def positions_repoint(moves: Sequence[tuple[int, int]], *, acting_user: Any) -> int:
    """Move each (position id, org unit id) to that unit; returns the positions moved. One
    audit event for the block; nothing written when nothing moves."""
    moved = 0
    for position_id, unit_id in sorted(moves):
        position = Position.objects.select_for_update().get(pk=position_id)
        if position.org_unit_id == unit_id:
            continue
        last = Position.objects.filter(org_unit_id=unit_id).aggregate(n=Max("ordinal"))["n"]
        position.org_unit_id = unit_id
        position.ordinal = (last or 0) + 1
        position.save(update_fields=["org_unit", "ordinal"])
        moved += 1
    if moved:
        audit.record(
            "orgs.position.moved",
            actor=acting_user,
            target=("orgs.position", ",".join(str(p) for p, _u in sorted(moves))[:200]),
            data={"moves": [[p, u] for p, u in sorted(moves)], "moved": moved},
        )
    return moved
