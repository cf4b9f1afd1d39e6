"""The statutory lists and the annual report as tables for `core.exports`: Excel, CSV and PDF
under the statutory heading block of the issuing command and above its commander's signature
block (Decree 30/2020/NĐ-CP, Appendix I).

Labels follow the active language (Vietnamese by default); the national name and motto, the
number and signature lines are the statutory form's own words.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from muster.conscription.reports.statutory import LISTS, CommuneCounts, ListRow, Report
from muster.conscription.rules.callup import Status
from muster.core import formats
from muster.core.exports import Column, Table, file_bytes
from muster.orgs.documents import document_heading, document_signature
from muster.orgs.models import OrgUnit

ANNUAL_BASIS = "Luật NVQS 2015, Điều 34, 37, 39"
LIST_PDF_WIDTHS = (10, 45, 22, 28, 35, 55, 30, 48)
ANNUAL_PDF_WIDTHS = (45, *([15.5] * 14))


def _list_columns() -> list[Column]:
    return [
        Column(_("No."), "int", width=6), Column(_("Full name")),
        Column(_("Date of birth"), "date"), Column(_("Personal ID")), Column(_("Commune")),
        Column(_("Residence")), Column(_("Occupation")), Column(_("Reason"), width=60),
    ]  # fmt: skip


def _list_values(row: ListRow) -> list[object]:
    return [
        row.number, row.full_name, row.birth_date, row.personal_id, row.commune,
        row.address, row.occupation, row.reason,
    ]  # fmt: skip


def _annual_columns() -> list[Column]:
    labels = [
        _("Men 17–27"), _("Eligible"), _("Deferred"), _("Not fit"), _("Exempt"),
        _("Already served"), _("Out of age"), _("Unregistered"), _("Not examined"), _("Quota"),
        _("Orders issued"), _("Served orders"), _("Reported"), _("Failed to report"),
    ]  # fmt: skip
    return [Column(_("Commune")), *(Column(label, "int") for label in labels)]


def _annual_values(c: CommuneCounts) -> list[int | str]:
    s, o = c.statuses, c.orders
    return [
        c.commune_name, c.listed, s[Status.ELIGIBLE], s[Status.DEFERRED], s[Status.NOT_FIT],
        s[Status.EXEMPT], s[Status.ALREADY_SERVED], s[Status.OUT_OF_AGE], s[Status.UNREGISTERED],
        c.health["HEALTH_PENDING"], c.quota, o["issued"], o["served"], o["reported"],
        o["failed_to_report"],
    ]  # fmt: skip


def _caption(report: Report) -> str:
    return _("Call-up %(year)s · %(place)s · reference date %(date)s") % {
        "year": report.cycle.year,
        "place": report.place,
        "date": formats.date_text(report.reference),
    }


def _report_table(
    report: Report,
    *,
    title: str,
    basis: str,
    columns: list[Column],
    rows: Sequence[Sequence[object]],
    filename: str,
    issuer: OrgUnit | None,
    pdf_widths: Sequence[float],
) -> Table:
    today = timezone.localdate()
    heading = document_heading(
        issuer,
        title=title,
        day=today,
        subtitle=_caption(report),
        basis=_("Legal basis: %(basis)s") % {"basis": basis},
    )
    return Table(
        title=title,
        columns=columns,
        rows=rows,
        filename=filename,
        heading=heading,
        signature=document_signature(issuer, day=today),
        pdf_widths=pdf_widths,
    )


def list_table(
    report: Report, kind: str, rows: Sequence[ListRow], *, issuer: OrgUnit | None
) -> Table:
    """A statutory list (MSL Art. 40(6), 41(4)) issued by `issuer`'s command."""
    spec = LISTS[kind]
    return _report_table(
        report,
        title=str(spec.title),
        basis=spec.basis,
        columns=_list_columns(),
        rows=[_list_values(r) for r in rows],
        filename=f"{kind}-{report.cycle.year}",
        issuer=issuer,
        pdf_widths=LIST_PDF_WIDTHS,
    )


def annual_table(
    report: Report, counts: Sequence[CommuneCounts], *, issuer: OrgUnit | None
) -> Table:
    """The annual call-up report per commune with a total line."""
    values = [_annual_values(c) for c in counts]
    total: list[int | str] = [_("Total")] + [
        sum(int(v[i]) for v in values) for i in range(1, len(_annual_columns()))
    ]
    return _report_table(
        report,
        title=str(report.title),
        basis=ANNUAL_BASIS,
        columns=_annual_columns(),
        rows=[*values, total],
        filename=f"annual-{report.cycle.year}",
        issuer=issuer,
        pdf_widths=ANNUAL_PDF_WIDTHS,
    )


def list_file(
    report: Report, kind: str, rows: Sequence[ListRow], fmt: str, *, issuer: OrgUnit | None
) -> bytes:
    return file_bytes(list_table(report, kind, rows, issuer=issuer), fmt)


def annual_file(
    report: Report, counts: Sequence[CommuneCounts], fmt: str, *, issuer: OrgUnit | None
) -> bytes:
    return file_bytes(annual_table(report, counts, issuer=issuer), fmt)
