"""The statutory lists and the annual report as Excel workbooks and PDF documents.

Labels follow the active language (Vietnamese by default); the PDFs carry the national
heading the statutory forms open with.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook

from muster.conscription.reports.statutory import LISTS, CommuneCounts, ListRow, Report
from muster.conscription.rules.callup import Status
from muster.core.pdf import FONT, pdf_bytes, pdf_document

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def _list_header() -> list[str]:
    return [
        _("No."), _("Full name"), _("Date of birth"), _("Personal ID"), _("Commune"),
        _("Residence"), _("Occupation"), _("Reason"),
    ]  # fmt: skip


def _list_values(row: ListRow) -> list[object]:
    return [
        row.number, row.full_name, row.birth_date, row.personal_id, row.commune,
        row.address, row.occupation, row.reason,
    ]  # fmt: skip


def _annual_header() -> list[str]:
    return [
        _("Commune"), _("Men 17–27"), _("Eligible"), _("Deferred"), _("Not fit"), _("Exempt"),
        _("Already served"), _("Out of age"), _("Unregistered"), _("Not examined"), _("Quota"),
        _("Orders issued"), _("Served orders"), _("Reported"), _("Failed to report"),
    ]  # fmt: skip


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
        "date": date_format(report.reference, "SHORT_DATE_FORMAT"),
    }


# ── Excel ──────────────────────────────────────────────────────────────────────────────────


def list_xlsx(report: Report, kind: str, rows: Sequence[ListRow]) -> bytes:
    return _workbook(
        str(LISTS[kind].title), _caption(report), _list_header(), (_list_values(r) for r in rows)
    )


def annual_xlsx(report: Report, counts: Sequence[CommuneCounts]) -> bytes:
    values = [_annual_values(c) for c in counts]
    total: list[int | str] = [_("Total")] + [
        sum(int(v[i]) for v in values) for i in range(1, len(_annual_header()))
    ]
    return _workbook(str(report.title), _caption(report), _annual_header(), [*values, total])


def _workbook(title: str, caption: str, header: list[str], rows: object) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31])
    sheet.append([title])
    sheet.append([caption])
    sheet.append([])
    sheet.append(header)
    for row in rows:  # type: ignore[attr-defined]
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# ── PDF ────────────────────────────────────────────────────────────────────────────────────


def list_pdf(report: Report, kind: str, rows: Sequence[ListRow]) -> bytes:
    spec = LISTS[kind]
    pdf = _landscape(str(spec.title), _caption(report), spec.basis)
    widths = (10, 45, 22, 28, 35, 55, 30, 52)
    _table(pdf, _list_header(), [[str(v) for v in _list_values(r)] for r in rows], widths)
    return pdf_bytes(pdf)


def annual_pdf(report: Report, counts: Sequence[CommuneCounts]) -> bytes:
    pdf = _landscape(str(report.title), _caption(report), "Luật NVQS 2015, Điều 34, 37, 39")
    rows = [[str(v) for v in _annual_values(c)] for c in counts]
    widths = (47, *([16] * 14))
    _table(pdf, _annual_header(), rows, widths)
    return pdf_bytes(pdf)


def _landscape(title: str, caption: str, basis: str) -> FPDF:
    pdf = pdf_document(title=title, orientation="landscape")
    pdf.add_page()
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 6, NATION, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.cell(0, 6, MOTTO, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "B", 13)
    pdf.cell(0, 8, title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.cell(0, 5, caption, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.cell(0, 5, _("Legal basis: %(basis)s") % {"basis": basis}, align="C",
             new_x="LMARGIN", new_y="NEXT")  # fmt: skip
    pdf.ln(3)
    return pdf


def _table(pdf: FPDF, header: list[str], rows: list[list[str]], widths: Sequence[int]) -> None:
    pdf.set_font(FONT, "", 7)
    with pdf.table(
        col_widths=widths,
        headings_style=FontFace(emphasis="BOLD"),
        line_height=4,
        repeat_headings=1,
    ) as table:
        table.row(header)
        for values in rows:
            table.row(values)
    if not rows:
        pdf.ln(2)
        pdf.cell(0, 6, _("No one is on this list."), new_x="LMARGIN", new_y="NEXT")
