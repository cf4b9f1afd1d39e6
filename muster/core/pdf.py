"""PDF documents with a font that covers Vietnamese, so every printed form looks the same on
any machine (the font ships with Muster, nothing is looked up on the host). A report's table
is printed under the statutory heading block and above the signature block (`core.exports`
holds both; Decree 30/2020/NĐ-CP, Appendix I gives their layout)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from muster.core.exports import MOTTO, NATION, Heading, Signature, Table, display_text

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"
LINE = 5  # mm


def pdf_document(*, title: str, orientation: str = "portrait") -> FPDF:
    """An A4 document with DejaVu Sans registered as `FONT` (regular "", bold "B", oblique
    "I")."""
    pdf = FPDF(orientation="P" if orientation == "portrait" else "L", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.add_font(FONT, "I", str(FONT_DIR / "DejaVuSans-Oblique.ttf"))
    pdf.set_title(title)
    pdf.set_creator("Muster")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_font(FONT, size=11)
    return pdf


def pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())


def heading_block(pdf: FPDF, heading: Heading) -> None:
    """The issuing body and number on the left, the national name, motto, place and date on
    the right, then the title, what it covers and its legal basis, centred."""
    width = pdf.epw
    left_w = width * 0.42
    top = pdf.get_y()
    pdf.set_font(FONT, "", 10)
    if heading.parent_body:
        pdf.multi_cell(
            left_w, LINE, heading.parent_body.upper(), align="C", new_x="LMARGIN", new_y="NEXT"
        )
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(
        left_w,
        LINE,
        heading.issuing_body.upper() or "…………",
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        left_w, LINE + 1, heading.number_line(), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    left_bottom = pdf.get_y()
    pdf.set_xy(pdf.l_margin + left_w, top)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(
        width - left_w, LINE, f"{NATION}\n{MOTTO}", align="C", new_x="LEFT", new_y="NEXT"
    )
    pdf.set_font(FONT, "I", 10)
    pdf.multi_cell(
        width - left_w,
        LINE + 1,
        heading.place_date_line(),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_y(max(left_bottom, pdf.get_y()) + 4)
    pdf.set_font(FONT, "B", 13)
    pdf.multi_cell(0, 7, heading.title.upper(), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    for line in (heading.subtitle, heading.basis):
        if line:
            pdf.multi_cell(0, LINE, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def signature_block(pdf: FPDF, signature: Signature) -> None:
    """The signer's position, how to sign, room for the signature and the name, on the right
    half; kept together on one page."""
    needed = LINE * 7
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(6)
    half = pdf.epw / 2
    x = pdf.l_margin + half
    pdf.set_x(x)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(half, LINE, signature.position.upper(), align="C", new_x="LEFT", new_y="NEXT")
    pdf.set_font(FONT, "I", 9)
    pdf.multi_cell(half, LINE, signature.note, align="C", new_x="LEFT", new_y="NEXT")
    pdf.ln(LINE * 3)
    pdf.set_x(x)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(half, LINE, signature.name or " ", align="C", new_x="LMARGIN", new_y="NEXT")


def table_rows(
    pdf: FPDF, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float] = ()
) -> None:
    """A table whose header repeats on every page; a line saying so when there are no rows."""
    pdf.set_font(FONT, "", 7)
    with pdf.table(
        col_widths=tuple(widths) or None,
        headings_style=FontFace(emphasis="BOLD"),
        line_height=4,
        repeat_headings=1,
    ) as table:
        table.row(list(header))
        for values in rows:
            table.row(list(values))
    if not rows:
        pdf.ln(2)
        pdf.set_font(FONT, "", 9)
        pdf.cell(0, 6, _("Nothing to list."), new_x="LMARGIN", new_y="NEXT")


def table_pdf(table: Table, *, orientation: str = "landscape") -> bytes:
    """A `core.exports.Table` on A4: its heading block, the rows as people read them
    (dd/mm/yyyy, 1.234), its signature block."""
    pdf = pdf_document(title=table.title, orientation=orientation)
    pdf.set_margins(12, 12, 12)
    pdf.add_page()
    heading_block(pdf, table.heading or Heading(title=table.title))
    rows = [
        [display_text(value, column) for value, column in zip(row, table.columns, strict=True)]
        for row in table.rows
    ]
    table_rows(pdf, [str(c.label) for c in table.columns], rows, table.pdf_widths)
    if table.note:
        pdf.set_font(FONT, "I", 8)
        pdf.multi_cell(0, LINE, table.note, new_x="LMARGIN", new_y="NEXT")
    if table.signature is not None:
        signature_block(pdf, table.signature)
    return pdf_bytes(pdf)
