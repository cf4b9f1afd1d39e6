"""The militia pages' tables for `core.exports`: the commands with their counts against target,
and a command's roster — a paper form kept by the commune command (Law on Militia and
Self-Defence Forces 2019, Art. 6, 8, 15), so it prints as a PDF under the statutory heading of
the user's command and above its commander's signature block."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from django.utils.translation import gettext as _

from muster.core.exports import Column, Table
from muster.core.formats import date_text
from muster.militia.models import ForceKind, MilitiaMembership
from muster.militia.queries import CommandCount, Roster, roster_values
from muster.orgs.documents import document_heading, document_signature
from muster.orgs.models import OrgUnit

BASIS = "Luật Dân quân tự vệ 2019, Điều 6, 8, 15"
ROSTER_PDF_WIDTHS = (10, 50, 28, 14, 12, 70, 44, 44)


class Member(Protocol):
    """A member of the roster page (views.Member)."""

    @property
    def membership(self) -> MilitiaMembership: ...
    @property
    def age(self) -> int: ...


def commands_table(rows: Sequence[CommandCount], *, day: date) -> Table:
    kinds = list(ForceKind.choices)
    return Table(
        title=str(_("Militia")),
        columns=[
            Column(_("Commune military command")),
            Column(_("Code")),
            Column(_("Members"), "int"),
            Column(_("Target"), "int"),
            Column(_("Short of target"), "int"),
            *(Column(str(label), "int") for _kind, label in kinds),
        ],
        rows=[
            (
                row.command.name,
                row.command.code,
                row.members,
                row.target,
                row.shortfall,
                *(row.by_kind.get(kind, 0) for kind, _label in kinds),
            )
            for row in rows
        ],
        filename=f"militia-{day.isoformat()}",
    )


def roster_table(
    roster: Roster, members: Sequence[Member], *, issuer: OrgUnit | None, today: date
) -> Table:
    """The roster on its day, numbered, with the heading of `issuer` (the user's command)."""
    title = str(_("Militia roster"))
    subtitle = f"{roster.command.name} · " + _("Roster on %(day)s") % {"day": date_text(roster.day)}
    return Table(
        title=title,
        columns=[
            Column(_("No."), "int", width=6),
            Column(_("Full name")),
            Column(_("Personal ID number")),
            Column(_("Sex")),
            Column(_("Age"), "int"),
            Column(_("Force")),
            Column(_("Joined on"), "date"),
            Column(_("Term ends on"), "date"),
        ],
        rows=[
            (
                number,
                m.membership.person.full_name,
                m.membership.person.personal_id,
                m.membership.person.get_sex_display(),
                m.age,
                _force(m.membership),
                m.membership.joined_on,
                m.membership.term_ends_on,
            )
            for number, m in enumerate(members, start=1)
        ],
        filename=f"militia-roster-{roster.command.code}-{roster.day.isoformat()}",
        heading=document_heading(
            issuer,
            title=title,
            day=today,
            subtitle=subtitle,
            basis=_("Legal basis: %(basis)s") % {"basis": BASIS},
        ),
        signature=document_signature(issuer, day=today),
        pdf_widths=ROSTER_PDF_WIDTHS,
    )


def _force(membership: MilitiaMembership) -> str:
    text = str(membership.get_force_kind_display())
    if membership.specialty:
        text += f" — {membership.get_specialty_display()}"
    return text


def roster_file_table(roster: Roster, *, today: date) -> Table:
    """The roster of `muster militia roster --format xlsx`: the contract's columns in the
    statutory roster layout, under the heading of the command that keeps it and above its
    commander's signature (Decree 30/2020, Appendix I); dates dd/mm/yyyy as date cells."""
    title = str(_("Militia roster"))
    subtitle = f"{roster.command.name} · " + _("Roster on %(day)s") % {"day": date_text(roster.day)}
    return Table(
        title=title,
        columns=[
            Column("personal_id"),
            Column("full_name"),
            Column("force_kind"),
            Column("specialty"),
            Column("unit"),
            Column("joined_on", "date"),
            Column("term_ends_on", "date"),
            Column("status"),
        ],
        rows=[roster_values(m, roster.day) for m in roster.members],
        filename=f"militia-roster-{roster.command.code}-{roster.day.isoformat()}",
        heading=document_heading(
            roster.command,
            title=title,
            day=today,
            subtitle=subtitle,
            basis=_("Legal basis: %(basis)s") % {"basis": BASIS},
        ),
        signature=document_signature(roster.command, day=today),
    )
