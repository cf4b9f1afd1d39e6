"""PDF documents with a font that covers Vietnamese, so every printed form looks the same on
any machine (the font ships with Muster, nothing is looked up on the host)."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "DejaVu"


def pdf_document(*, title: str, orientation: str = "portrait") -> FPDF:
    """An A4 document with DejaVu Sans registered as `FONT` (regular "" and bold "B")."""
    pdf = FPDF(orientation="P" if orientation == "portrait" else "L", unit="mm", format="A4")
    pdf.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_creator("Muster")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_font(FONT, size=11)
    return pdf


def pdf_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
