"""The tables of the web app's list pages as `core.exports` tables (XLSX and CSV downloads).

Each is built from the rows the page's own scoped query gives (the views pass them), with the
page's filters and without its paging, so a download shows exactly what the page lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from muster.core.exports import Column, Table
from muster.core.formats import iso_dates_as_text
from muster.core.labels import label
from muster.people.models import Person

if TYPE_CHECKING:
    from muster.web.views import CommuneRow
    from muster.web.views_audit import EventRow, ReadRow


def _stem(name: str, day: date | None = None) -> str:
    return f"{name}-{(day or timezone.localdate()).isoformat()}"


def persons_table(rows: Sequence[tuple[Person, str]], *, note: str = "") -> Table:
    """Search results: the page's columns."""
    return Table(
        title=str(_("Citizen search")),
        columns=[
            Column(_("Full name")),
            Column(_("Personal ID number")),
            Column(_("Sex")),
            Column(_("Date of birth"), "date"),
            Column(_("Commune of residence")),
            Column(_("Date of death"), "date"),  # empty for the living, as on the page's mark
        ],
        rows=[
            (p.full_name, p.personal_id, p.get_sex_display(), p.birth_date, commune, p.died_on)
            for p, commune in rows
        ],
        filename=_stem("citizens"),
        note=note,
    )


def communes_table(rows: Sequence[CommuneRow]) -> Table:
    return Table(
        title=str(_("Communes in my jurisdiction")),
        columns=[
            Column(_("Name")),
            Column(_("Code")),
            Column(_("People"), "int"),
            Column(_("Men 18–27"), "int"),
            Column(_("Area (km²)"), "decimal", places=1),
            Column(_("Density (people per km²)"), "decimal", places=1),
        ],
        rows=[
            (
                row.unit.name,
                row.unit.code,
                row.figures.people,
                row.figures.military_age_men,
                row.figures.area_km2,
                row.figures.density,
            )
            for row in rows
        ],
        filename=_stem("communes"),
    )


def id_warnings_table(rows: Sequence[tuple[Person, list[str]]], *, note: str) -> Table:
    """The warnings in words, their codes in a column of their own."""
    return Table(
        title=str(_("Citizens with ID data-quality warnings")),
        columns=[
            Column(_("Full name")),
            Column(_("Personal ID number")),
            Column(_("Commune of residence")),
            Column(_("Warnings"), width=60),
            Column(_("Codes")),
        ],
        rows=[
            (
                person.full_name,
                person.personal_id,
                person.residence_commune.name,
                "; ".join(label("id_warning", code) for code in warnings),
                "; ".join(warnings),
            )
            for person, warnings in rows
        ],
        filename=_stem("id-warnings"),
        note=note,
    )


def audit_events_table(rows: Sequence[EventRow], *, note: str) -> Table:
    return Table(
        title=str(_("Audit log")),
        columns=[
            Column(_("Event"), "int"),
            Column(_("Time"), "datetime"),
            Column(_("Action")),
            Column(_("Action code")),
            Column(_("User")),
            Column(pgettext("audit log column: the record that changed", "Record")),
            Column(_("Record code")),
            Column(_("Commune")),
            Column(_("Details"), width=60),
        ],
        rows=[
            (
                row.event.pk,
                row.event.at,
                row.label,
                row.event.action,
                label("audit_actor", row.event.actor_label),
                row.target,
                f"{row.event.target_type} {row.event.target_id}",
                row.event.commune_code,
                iso_dates_as_text(row.data),
            )
            for row in rows
        ],
        filename=_stem("audit-log"),
        note=note,
    )


def audit_reads_table(rows: Sequence[ReadRow], *, note: str) -> Table:
    return Table(
        title=str(_("Views of personal data")),
        columns=[
            Column(_("Time"), "datetime"),
            Column(_("User")),
            Column(_("Citizen")),
            Column(_("Personal ID number")),
            Column(_("Channel")),
        ],
        rows=[
            (
                row.read.at,
                row.read.actor.username if row.read.actor else "",
                row.person.full_name if row.person else "",
                row.person.personal_id if row.person else row.read.target_id,
                row.read.channel,
            )
            for row in rows
        ],
        filename=_stem("audit-reads"),
        note=note,
    )
