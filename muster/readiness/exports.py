"""The readiness report of a unit (`?export=xlsx|pdf|csv`): the unit's figures and those of
each unit below it (or each commune, for a commune command), every indicator a column, under
the statutory heading of the unit and above its commander's signature (Decree 30/2020/NĐ-CP,
Appendix I)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from muster.core.exports import Column, Table
from muster.core.formats import date_text, datetime_text
from muster.orgs.documents import document_heading, document_signature
from muster.orgs.models import OrgUnit
from muster.readiness.indicators import INDICATORS
from muster.readiness.models import UnitSnapshot
from muster.readiness.summary import Row, indicator


def report_table(
    unit: OrgUnit | None,
    snapshot: UnitSnapshot | None,
    rows: list[Row],
    *,
    day: date,
    today: date,
) -> Table:
    title = str(_("Readiness report"))
    name = unit.name if unit is not None else str(_("Whole country"))
    subtitle = _("%(unit)s · figures as of %(day)s") % {"unit": name, "day": date_text(day)}
    if snapshot is not None:
        subtitle += " · " + _("computed at %(at)s") % {"at": datetime_text(snapshot.computed_at)}
    columns = [Column(str(_("Unit"))), Column(str(_("Code"))), Column(str(_("Figures of")), "date")]
    columns += [
        Column(str(i.label), "decimal" if i.share else "int", places=1 if i.share else 0)
        for i in INDICATORS
    ]
    table_rows: list[list[object]] = []
    everything = [Row(unit.code, unit.name, snapshot, unit)] if unit is not None else []
    for row in everything + rows:
        snap = row.snapshot
        values: list[object] = [row.name, row.code, snap.as_of if snap is not None else None]
        values += [indicator(snap, i.name) if snap is not None else None for i in INDICATORS]
        table_rows.append(values)
    return Table(
        title=title,
        columns=columns,
        rows=table_rows,
        filename=f"readiness-{unit.code if unit is not None else 'country'}-{day.isoformat()}",
        heading=document_heading(unit, title=title, day=today, subtitle=subtitle),
        signature=document_signature(unit, day=today),
    )
