"""The call-up order as a printable A4 PDF (Lệnh gọi công dân nhập ngũ), one page per order.

Layout follows the statutory form of the order (MSL Art. 33–34; forms of Decree 13/2016 and
Circular 148/2018 as amended): national header, issuing authority and number, title, legal
basis, the citizen, when and where to report, duties, place and date, the chairman's signature
block. A QR code carries the public verification address; the code is printed beside it for
anyone who types it in.
"""

from __future__ import annotations

import io
from datetime import date

import segno
from django.conf import settings
from fpdf import FPDF

from muster.conscription.models import CallupOrder, OrderBatch
from muster.core.collation import vi
from muster.core.formats import date_text
from muster.core.pdf import FONT, pdf_bytes, pdf_document

LEGAL_BASIS = (
    "Căn cứ Luật Nghĩa vụ quân sự năm 2015 (sửa đổi, bổ sung năm 2019, 2025), Điều 33, Điều 34;\n"
    "Căn cứ Quyết định giao chỉ tiêu gọi công dân nhập ngũ năm {year} của Ủy ban nhân dân "
    "{province};"
)
DUTIES = (
    "Công dân có tên trên phải có mặt đúng thời gian, địa điểm ghi trong lệnh; mang theo lệnh "
    "này và giấy tờ tùy thân. Công dân không chấp hành lệnh gọi nhập ngũ mà không có lý do "
    "chính đáng sẽ bị xử lý theo quy định của pháp luật."
)


def verify_url(code: str, base: str | None = None) -> str:
    """The public verification address of a code. `base` is the site's origin as the request
    saw it; without one, the first allowed host over HTTPS."""
    origin = (base or f"https://{settings.ALLOWED_HOSTS[0]}").rstrip("/")
    return f"{origin}/verify/{code}/"


def _day(value: date | None) -> str:
    return date_text(value)


def _qr_png(url: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return buffer


def _header(pdf: FPDF, authority: str, number: str) -> None:
    top = pdf.get_y()
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(
        80, 5, f"ỦY BAN NHÂN DÂN\n{authority.upper()}", align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.cell(80, 6, f"Số: {number or '(chưa cấp số)'}", align="C")
    pdf.set_xy(95, top)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(
        100, 5, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc", align="C"
    )
    pdf.set_y(top + 22)


def _order_page(pdf: FPDF, order: CallupOrder, base: str | None) -> None:
    batch, person, cycle = order.batch, order.person, order.cycle
    commune, province = batch.commune, cycle.province
    pdf.add_page()
    _header(pdf, commune.name, order.number)
    pdf.set_font(FONT, "B", 15)
    pdf.cell(0, 10, "LỆNH GỌI CÔNG DÂN NHẬP NGŨ", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.cell(0, 6, f"CHỦ TỊCH ỦY BAN NHÂN DÂN {commune.name.upper()}", align="C")
    pdf.ln(10)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(0, 5, LEGAL_BASIS.format(year=cycle.year, province=province.name))
    pdf.ln(3)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(0, 7, f"Gọi công dân: {person.full_name}", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    lines = (
        f"Sinh ngày: {_day(person.birth_date)}",
        f"Số định danh cá nhân: {person.personal_id}",
        f"Nơi cư trú: {', '.join(filter(None, [person.address, commune.name, province.name]))}",
    )
    for line in lines:
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.multi_cell(
        0,
        6,
        f"Có mặt lúc {batch.report_time:%H} giờ {batch.report_time:%M}, ngày "
        f"{_day(batch.report_on)} tại {batch.report_place} để nhập ngũ.",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(2)
    pdf.multi_cell(0, 5, DUTIES, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    issued = order.issued_on
    when = f"ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}" if issued else ""
    signature_top = pdf.get_y()
    pdf.set_xy(100, signature_top)
    pdf.set_font(FONT, "", 10)
    pdf.multi_cell(95, 5, f"{commune.name}, {when}", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(100)
    pdf.set_font(FONT, "B", 10)
    pdf.multi_cell(95, 5, "CHỦ TỊCH\n(Ký, ghi rõ họ tên và đóng dấu)", align="C")
    code = order.verification_code
    pdf.set_xy(15, signature_top)
    if code:
        pdf.image(_qr_png(verify_url(code, base)), x=15, y=signature_top, w=32, h=32)
        pdf.set_xy(15, signature_top + 33)
        pdf.set_font(FONT, "", 8)
        pdf.multi_cell(
            80, 4, f"Mã xác thực: {code}\nKiểm tra tại: {verify_url(code, base)}", align="L"
        )
    else:
        pdf.set_font(FONT, "B", 10)
        pdf.cell(80, 6, "DỰ THẢO - chưa được phê duyệt")


def _orders(orders: list[CallupOrder], title: str, base: str | None) -> bytes:
    pdf = pdf_document(title=title)
    pdf.set_margins(15, 15, 15)
    for order in orders:
        _order_page(pdf, order, base)
    return pdf_bytes(pdf)


def order_pdf(order: CallupOrder, *, base: str | None = None) -> bytes:
    """One call-up order on an A4 page."""
    return _orders([order], f"Lệnh gọi nhập ngũ {order.number}", base)


def batch_pdf(batch: OrderBatch, *, base: str | None = None) -> bytes:
    """Every order of a batch, one per page, in the order numbers were given (by name)."""
    orders = list(
        batch.orders.filter(revoked_at__isnull=True)
        .select_related("person", "batch__commune", "cycle__province")
        .order_by(vi("person__full_name"), "pk")
    )
    return _orders(orders, f"Lệnh gọi nhập ngũ - đợt {batch.pk}", base)
