"""The technical means list as a file for `core.exports` (`?export=xlsx|csv`): codes in their
own columns (kind, capability, state, commune, unit), the words beside them from
`core.labels`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext as _

from muster.core.exports import Column, Table
from muster.core.labels import label
from muster.reserve.means_queries import MeansRow


def means_table(rows: Sequence[MeansRow], *, day: date, note: str = "") -> Table:
    return Table(
        title=str(_("Reserve technical means")),
        columns=[
            Column(_("Kind of means")),
            Column(_("Kind (code)")),
            Column(_("Registration number")),
            Column(_("Capability")),
            Column(_("Capability (code)")),
            Column(_("Capacity (load, seats, power)")),
            Column(_("Owned by")),
            Column(_("Commune")),
            Column(_("Commune code")),
            Column(_("State")),
            Column(_("Registry")),
            Column(_("Year registered"), "int"),
            Column(_("Reserve unit")),
            Column(_("Reserve unit code")),
            Column(_("Left the register on"), "date"),
            Column(_("Reason")),
        ],
        rows=[
            (
                label("reserve_means_kind", r.means.kind),
                r.means.kind,
                r.means.registration,
                label("reserve_means_capability", r.means.capability),
                r.means.capability,
                r.means.capacity,
                r.means.owner,
                r.means.commune.name,
                r.means.commune.code,
                label("reserve_means_state", r.means.state),
                r.means.registry,
                r.means.registered_year,
                r.unit_name,
                r.unit_code,
                r.means.retired_on,
                label("reserve_means_retired", r.means.retired_reason)
                if r.means.retired_reason
                else "",
            )
            for r in rows
        ],
        filename=f"reserve-means-{day.isoformat()}",
        note=note,
    )
