"""The reserve unit pages' tables for `core.exports` (`?export=xlsx|csv`): provinces, a
province's units, a unit's holders on a day, and the what-if's per-unit figures. Codes stay in
their own columns; words beside them come from `core.labels`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext as _

from muster.core.exports import Column, Table
from muster.core.labels import label
from muster.reserve.models_units import ReserveAssignment, ReserveUnit
from muster.reserve.unit_queries import Province, UnitRow
from muster.reserve.whatif import WhatIf


def provinces_table(rows: Sequence[tuple[Province, int, int, int]], *, day: date) -> Table:
    return Table(
        title=str(_("Reserve units")),
        columns=[
            Column(_("Province")),
            Column(_("Code")),
            Column(_("Reserve units"), "int"),
            Column(_("Seats"), "int"),
            Column(_("Assigned"), "int"),
        ],
        rows=[(p.area.name, p.area.code, n, seats, held) for p, n, seats, held in rows],
        filename=f"reserve-units-{day.isoformat()}",
    )


def units_table(province: Province, rows: Sequence[UnitRow], *, day: date) -> Table:
    return Table(
        title=str(_("Reserve units of %(province)s") % {"province": province.area.name}),
        columns=[
            Column(_("Code")),
            Column(_("Reserve unit")),
            Column(_("Force")),
            Column(_("Role")),
            Column(_("Recruitment area")),
            Column(_("Spare margin (%)"), "int"),
            Column(_("Seats"), "int"),
            Column(_("Assigned"), "int"),
        ],
        rows=[
            (
                r.unit.code,
                r.unit.name,
                label("reserve_force", r.unit.force),
                label("reserve_role", r.unit.role),
                r.unit.area.name if r.unit.area else "",
                r.unit.spare_percent,
                r.seats,
                r.assigned,
            )
            for r in rows
        ],
        filename=f"reserve-units-{province.area.code}-{day.isoformat()}",
    )


def holders_table(unit: ReserveUnit, holders: Sequence[ReserveAssignment], *, day: date) -> Table:
    return Table(
        title=f"{unit.code} {unit.name}",
        columns=[
            Column(_("Position")),
            Column(_("Specialty")),
            Column(_("Full name")),
            Column(_("Personal ID number")),
            Column(_("Specialty match")),
            Column(_("Spare seat")),
            Column(_("From"), "date"),
        ],
        rows=[
            (
                a.post.position,
                a.post.specialty,
                a.person.full_name,
                a.person.personal_id,
                label("reserve_match", a.match),
                _("yes") if a.spare else "",
                a.valid_from,
            )
            for a in holders
        ],
        filename=f"reserve-unit-{unit.code}-{day.isoformat()}",
    )


def whatif_table(found: WhatIf) -> Table:
    return Table(
        title=str(_("Assignment what-if")),
        columns=[
            Column(_("Code")),
            Column(_("Reserve unit")),
            Column(_("Seats"), "int"),
            Column(_("Filled"), "int"),
            Column(_("Staffing rate (%)"), "decimal", places=1),
            Column(_("Spare seats filled"), "int"),
            Column(_("Exact specialty (%)"), "decimal", places=1),
            Column(_("Category 1 (%)"), "decimal", places=1),
            Column(_("Moving in"), "int"),
            Column(_("Moving out"), "int"),
        ],
        rows=[
            (
                unit.code,
                unit.name,
                f.seats,
                f.filled,
                round(100 * f.staffing_rate, 1),
                f.spare_filled,
                round(100 * f.exact_rate, 1),
                round(100 * f.category_1_share, 1),
                f.moves_in,
                f.moves_out,
            )
            for unit, f in found.units
        ],
        filename=f"reserve-whatif-{found.province.area.code}-{found.day.isoformat()}",
    )
