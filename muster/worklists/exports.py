"""A worklist tab as a `core.exports` table: the page's rows (its kind and commune filter,
every page), with the details in words as the page shows them and the rule each item cites."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from django.utils import timezone
from django.utils.translation import gettext as _

from muster.core.exports import Column, Table
from muster.core.formats import date_text
from muster.worklists import rules
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind


class ExportRow(Protocol):
    """A row of the worklist page (views.Row)."""

    @property
    def item(self) -> WorkItem: ...
    @property
    def changes(self) -> list[tuple[str, str, str]]: ...
    @property
    def moved_on(self) -> date | None: ...
    @property
    def died_on(self) -> date | None: ...


def details_text(row: ExportRow) -> str:
    """What the page's Details column says, as one line."""
    item = row.item
    where = item.detail.get("from" if item.kind == Kind.TRANSFER_IN else "to") or {}
    if item.kind == Kind.DUE_FIRST_REGISTRATION:
        return _("Turns 17 in %(year)s") % {"year": item.year}
    if item.kind in (Kind.TRANSFER_IN, Kind.TRANSFER_OUT):
        text = (
            _("Moved here from %(name)s (%(code)s)")
            if item.kind == Kind.TRANSFER_IN
            else _("Moved away to %(name)s (%(code)s)")
        ) % {"name": where.get("name", ""), "code": where.get("code", "")}
        return f"{text}, {date_text(row.moved_on)}" if row.moved_on else text
    if item.kind == Kind.DECEASED:
        return _("Died on %(day)s") % {"day": date_text(row.died_on)} if row.died_on else ""
    return "; ".join(f"{label}: {before} → {after}" for label, before, after in row.changes)


def worklist_table(
    rows: Sequence[ExportRow], *, kind: str, kind_label: str, note: str = ""
) -> Table:
    reason = rules.reason(kind)
    return Table(
        title=f"{_('Worklists')} – {kind_label}",
        sheet_title=kind_label,
        columns=[
            Column(_("Full name")),
            Column(_("Personal ID number")),
            Column(_("Date of birth"), "date"),
            Column(_("Commune")),
            Column(_("Details"), width=50),
            Column(_("Due by"), "date"),
            Column(_("Legal basis")),
        ],
        rows=[
            (
                row.item.person.full_name,
                row.item.person.personal_id,
                row.item.person.birth_date,
                row.item.commune.name,
                details_text(row),
                row.item.due_on,
                reason.basis,
            )
            for row in rows
        ],
        filename=f"worklist-{kind}-{timezone.localdate().isoformat()}",
        note=note,
    )
