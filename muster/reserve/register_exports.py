"""The reserve register as a file (`core.exports`): the page's download (XLSX with the
statutory heading of the user's command and its commander's signature block — the reservist
register is a form of Decree 13/2016 Art. 3(2) —, CSV for Excel) and the CLI's contract file
(`muster reserve list`: the columns of `CONTRACT_COLUMNS`, codes and ISO dates)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext as _

from muster.core.exports import Column, Table
from muster.core.formats import date_text
from muster.core.labels import label
from muster.geo.models import AdminUnit
from muster.orgs.documents import document_heading, document_signature
from muster.orgs.models import OrgUnit
from muster.reserve.register_queries import ReservistRow

BASIS = "Luật NVQS 2015, Điều 24–26; Nghị định 13/2016/NĐ-CP, Điều 3"
CONTRACT_COLUMNS = (
    "personal_id", "full_name", "sex", "birth_date", "category", "group", "basis", "rank",
    "specialty", "unit", "status",
)  # fmt: skip


def contract_row(row: ReservistRow) -> tuple[object, ...]:
    """A row of the CLI's file: codes as stored, the category/group/status of its day."""
    m, person = row.membership, row.person
    return (
        person.personal_id, person.full_name, person.sex, person.birth_date,
        "" if row.category is None else row.category, row.group, m.basis_code, m.rank,
        m.specialty, row.unit, row.status,
    )  # fmt: skip


def contract_table(rows: Sequence[ReservistRow], *, area: AdminUnit, day: date) -> Table:
    """The CLI's XLSX: the contract's columns, no heading (a file for other systems)."""
    return Table(
        title="reserve",
        columns=[
            Column(name, "date" if name == "birth_date" else "text") for name in CONTRACT_COLUMNS
        ],
        rows=[contract_row(row) for row in rows],
        filename=f"reserve-{area.code}-{day.isoformat()}",
    )


def register_table(
    rows: Sequence[ReservistRow],
    *,
    area: AdminUnit,
    day: date,
    issuer: OrgUnit | None,
    today: date,
    note: str = "",
) -> Table:
    """The register page's download: numbered, in words, under the heading of `issuer`."""
    title = str(_("Reservist register"))
    subtitle = f"{area.name} · " + _("Register on %(day)s") % {"day": date_text(day)}
    return Table(
        title=title,
        columns=[
            Column(_("No."), "int", width=6),
            Column(_("Full name")),
            Column(_("Personal ID number")),
            Column(_("Sex")),
            Column(_("Date of birth"), "date"),
            Column(_("Category")),
            Column(_("Group")),
            Column(_("Basis (MSL Art. 24)")),
            Column(_("Rank")),
            Column(_("Military specialty")),
            Column(_("Reserve unit")),
            Column(_("Status")),
            Column(_("In the reserve since"), "date"),
        ],
        rows=[
            (
                number,
                row.person.full_name,
                row.person.personal_id,
                row.person.get_sex_display(),
                row.person.birth_date,
                label("reserve_category", row.category) if row.category else _("Uncategorised"),
                row.group,
                label("reserve_basis", row.membership.basis_code),
                label("reserve_rank", row.membership.rank),
                label("reserve_specialty", row.membership.specialty),
                row.unit,
                label("reserve_status", row.status),
                row.membership.valid_from,
            )
            for number, row in enumerate(rows, start=1)
        ],
        filename=f"reserve-register-{area.code}-{day.isoformat()}",
        heading=document_heading(
            issuer,
            title=title,
            day=today,
            subtitle=subtitle,
            basis=_("Legal basis: %(basis)s") % {"basis": BASIS},
        ),
        signature=document_signature(issuer, day=today),
        note=note,
    )
