"""A worklist tab as a `core.exports` table: the page's rows (its kind and commune filter,
every page), with the details in words as the page shows them and the rule each item cites."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from django.utils import timezone
from django.utils.translation import gettext as _

from muster.core.exports import Column, Table
from muster.core.formats import date_text, number_text
from muster.core.labels import label, label_html
from muster.worklists import rules
from muster.worklists.models import WorkItem
from muster.worklists.rules import Kind

MILITIA_KINDS = frozenset(Kind.ALL[Kind.ALL.index(Kind.MILITIA_TERM_ENDING) :])


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


def _day(value: object) -> str:
    try:
        return date_text(date.fromisoformat(value)) if isinstance(value, str) else ""
    except ValueError:
        return ""


def militia_lines(item: WorkItem, *, html: bool = True) -> list[str]:
    """The facts a militia item was opened on, in words (the page's Details and the file's).
    `html`: codes as hover labels on the page, words alone in a file."""
    d = item.detail
    words = label_html if html else label
    kind = item.kind
    lines: list[str] = []
    if d.get("unit_name"):
        lines.append(_("Command: %(name)s") % {"name": d["unit_name"]})
    if d.get("force_kind"):
        lines.append(words("militia_force", d["force_kind"]))
    if kind == Kind.MILITIA_TERM_ENDING:
        lines.append(_("Term ends on %(day)s") % {"day": _day(d.get("term_ends_on"))})
    elif kind == Kind.MILITIA_AGE_LIMIT:
        lines.append(_("Age limit reached after %(day)s") % {"day": _day(d.get("age_ends_on"))})
    elif kind == Kind.MILITIA_BELOW_TARGET:
        lines.append(
            _("%(members)s members, target %(target)s")
            % {
                "members": number_text(d.get("members", 0)),
                "target": number_text(d.get("target", 0)),
            }
        )
    elif kind == Kind.MILITIA_TRAINING_SHORT:
        lines.append(
            _("%(year)s: %(required)s days required, %(attended)s attended, %(planned)s planned")
            % {
                "year": item.year,
                "required": number_text(d.get("required", 0)),
                "attended": number_text(d.get("attended", 0)),
                "planned": number_text(d.get("planned", 0)),
            }
        )
    elif kind == Kind.MILITIA_ABSENCE:
        lines.append(
            _("Absent from %(start)s to %(end)s")
            % {"start": _day(d.get("absent_from")), "end": _day(d.get("absent_until"))}
        )
    elif kind == Kind.MILITIA_REGISTRATION:
        lines.append(_("Turns 18 in %(year)s") % {"year": item.year})
    elif kind in (Kind.STANDING_DEFERRAL_PROPOSED, Kind.STANDING_COMPLETION_PROPOSED):
        lines.append(_("In the standing militia since %(day)s") % {"day": _day(d.get("joined_on"))})
        lines.append(words("reason", d.get("ground_code", "")))
    elif kind == Kind.STANDING_DEFERRAL_MISMATCH:
        lines.append(
            _("Deferral decided on %(day)s, no standing-militia membership")
            % {"day": _day(d.get("decided_on"))}
        )
    return lines


def _unit_name(item: WorkItem) -> str:
    return item.org_unit.name if item.org_unit else ""


def details_text(row: ExportRow) -> str:
    """What the page's Details column says, as one line."""
    item = row.item
    if item.kind in MILITIA_KINDS:
        return "; ".join(militia_lines(item, html=False))
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
            Column(_("Full name or unit")),
            Column(_("Personal ID number")),
            Column(_("Date of birth"), "date"),
            Column(_("Commune")),
            Column(_("Details"), width=50),
            Column(_("Due by"), "date"),
            Column(_("Legal basis")),
        ],
        rows=[
            (
                row.item.person.full_name if row.item.person else _unit_name(row.item),
                row.item.person.personal_id if row.item.person else "",
                row.item.person.birth_date if row.item.person else None,
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
