"""Writes to the militia: the roster (`roster.py`: join, leave, extend, target, death),
transfers and duty decisions (`decisions.py`), units and the communes' defence flags
(`structure.py`). Each is atomic, asks `accounts.permissions`, and records its audit event in
the same transaction; the decision maker, number and date go in `MilitiaDecision`.

`acting_user=None` is the system (the demo, the change feed, the operator's CLI).
"""

from muster.militia.actions.common import Decision
from muster.militia.actions.decisions import militia_duty_decide, militia_transfer
from muster.militia.actions.roster import (
    militia_close_for_death,
    militia_join,
    militia_leave,
    militia_target_set,
    militia_term_extend,
)
from muster.militia.actions.selfdefence import self_defence_found
from muster.militia.actions.structure import (
    defence_commune_set,
    defence_communes_configure,
    militia_unit_close,
    militia_unit_create,
    militia_unit_leader_appoint,
)

__all__ = [
    "Decision",
    "defence_commune_set",
    "defence_communes_configure",
    "militia_close_for_death",
    "militia_duty_decide",
    "militia_join",
    "militia_leave",
    "militia_target_set",
    "militia_term_extend",
    "militia_transfer",
    "militia_unit_close",
    "militia_unit_create",
    "militia_unit_leader_appoint",
    "self_defence_found",
]
