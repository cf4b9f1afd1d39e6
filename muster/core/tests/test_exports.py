"""core.exports: every file Muster hands out is formula-safe (issue #13, finding 7) and in the
people's style (issue #14); reports carry the statutory heading and signature blocks."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from django.http import Http404
from django.test import RequestFactory
from openpyxl import load_workbook
from pypdf import PdfReader

from muster.core import exports
from muster.core.exports import Column, Heading, Signature, Table

# OWASP "CSV injection": a cell a spreadsheet would run starts with = + - @, a tab or a CR.
NEUTRALISED = [
    ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\tcmd", "'\tcmd"),
    ("\rcmd", "'\rcmd"),
    ("Nguyễn Văn An", "Nguyễn Văn An"),
    ("a=b", "a=b"),
    ("2026-03-05", "2026-03-05"),  # an ISO date in a machine format stays as it is
    ("DEF_STUDENT", "DEF_STUDENT"),
    ("", ""),
]


@pytest.mark.parametrize(("text", "expected"), NEUTRALISED)
def test_neutralise(text: str, expected: str) -> None:
    assert exports.neutralise(text) == expected


def _table(**extra: object) -> Table:
    return Table(
        title="Danh sách",
        columns=[
            Column("Họ và tên"),
            Column("Ngày sinh", "date"),
            Column("Số người", "int"),
            Column("Xác suất", "decimal", places=3),
            Column("Lúc", "datetime"),
        ],
        rows=[
            (
                '=HYPERLINK("http://evil.example","x")',
                date(2000, 5, 1),
                -3,
                0.8734,
                datetime(2026, 3, 5, 1, 2, tzinfo=UTC),
            ),
            ("Trần Thị Bình", None, 1234567, None, None),
        ],
        filename="danh-sách 2026",
        **extra,  # type: ignore[arg-type]
    )


def test_csv_for_excel() -> None:
    body = exports.csv_bytes(_table())
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["Họ và tên", "Ngày sinh", "Số người", "Xác suất", "Lúc"]
    assert rows[1] == [
        '\'=HYPERLINK("http://evil.example","x")',
        "01/05/2000",
        "-3",
        "0,873",
        "05/03/2026 08:02",
    ]
    # Numbers stay numbers (no grouping, nothing added before a minus sign).
    assert rows[2] == ["Trần Thị Bình", "", "1234567", "", ""]


def test_machine_csv_keeps_iso_and_codes_and_neutralises_text() -> None:
    out = io.StringIO()
    exports.machine_csv_write(
        out,
        ["personal_id", "full_name", "birth_date", "status", "n"],
        [("099205000001", "=cmd|' /C calc'!A0", date(2005, 6, 1), "eligible", -1)],
    )
    assert out.getvalue() == (
        "personal_id,full_name,birth_date,status,n\n"
        "099205000001,'=cmd|' /C calc'!A0,2005-06-01,eligible,-1\n"
    )


def test_xlsx_cells() -> None:
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(_table()))).worksheets[0]
    header, first, second = list(sheet.iter_rows())[:3]
    assert [c.value for c in header] == ["Họ và tên", "Ngày sinh", "Số người", "Xác suất", "Lúc"]
    assert all(c.font.bold for c in header)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"
    # Text that looks like a formula is stored as text, shown as typed, never run.
    name = first[0]
    assert name.data_type == "s"
    assert name.quotePrefix
    assert name.value == '=HYPERLINK("http://evil.example","x")'
    assert not second[0].quotePrefix
    # A date is a date cell shown day-first; numbers are numbers, negative ones too.
    assert first[1].value == datetime(2000, 5, 1)
    assert first[1].number_format == "dd/mm/yyyy"
    assert first[2].value == -3
    assert first[2].data_type == "n"
    assert first[3].value == 0.8734
    assert first[3].number_format == "#,##0.000"
    assert first[4].value == datetime(2026, 3, 5, 8, 2)  # local time, no zone
    assert first[4].number_format == "dd/mm/yyyy hh:mm"
    assert second[2].value == 1234567
    assert second[1].value is None
    assert sheet.column_dimensions["A"].width >= len(str(name.value))


def _report() -> Table:
    return _table(
        heading=Heading(
            title="Danh sách công dân",
            issuing_body="Ban Chỉ huy Quân sự xã Một",
            parent_body="Bộ Chỉ huy Quân sự tỉnh Thử",
            place="Một",
            day=date(2026, 3, 5),
            subtitle="Năm 2027",
            basis="Căn cứ pháp lý: Luật NVQS 2015",
        ),
        signature=Signature(position="Chỉ huy trưởng", name="Đỗ Văn Hùng"),
        note="Chỉ gồm 2 dòng đầu",
    )


def test_xlsx_report_has_the_heading_and_signature_blocks() -> None:
    sheet = load_workbook(io.BytesIO(exports.xlsx_bytes(_report()))).worksheets[0]
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["BỘ CHỈ HUY QUÂN SỰ TỈNH THỬ", exports.NATION]
    assert rows[1] == ["BAN CHỈ HUY QUÂN SỰ XÃ MỘT", exports.MOTTO]
    assert rows[2][0] == "Số: ………/………"
    assert str(rows[2][1]).startswith("Một, ")
    assert ["DANH SÁCH CÔNG DÂN"] in rows
    assert ["Năm 2027"] in rows
    header = rows.index(["Họ và tên", "Ngày sinh", "Số người", "Xác suất", "Lúc"])
    assert sheet.freeze_panes == f"A{header + 2}"
    assert rows[-5:] == [["CHỈ HUY TRƯỞNG"], ["(Ký, ghi rõ họ tên)"], [], [], ["Đỗ Văn Hùng"]]
    assert ["Chỉ gồm 2 dòng đầu"] in rows


def test_pdf_report() -> None:
    body = exports.file_bytes(_report(), "pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    for expected in (
        "BỘ CHỈ HUY QUÂN SỰ TỈNH THỬ\nBAN CHỈ HUY QUÂN SỰ XÃ MỘT\nSố: ………/………",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        "DANH SÁCH CÔNG DÂN",
        "01/05/2000",
        "1.234.567",
        "CHỈ HUY TRƯỞNG\n(Ký, ghi rõ họ tên)\nĐỗ Văn Hùng",
    ):
        assert expected in text


def test_the_export_parameter() -> None:
    factory = RequestFactory()
    assert exports.export_format(factory.get("/x/")) is None
    assert exports.export_format(factory.get("/x/?export=csv")) == "csv"
    with pytest.raises(Http404):
        exports.export_format(factory.get("/x/?export=pdf"))
    assert exports.export_format(factory.get("/x/?export=pdf"), ("pdf",)) == "pdf"


def test_download_response() -> None:
    response = exports.export_response(_table(), "xlsx")
    assert response["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    assert response["Content-Disposition"] == 'attachment; filename="danh-s-ch-2026.xlsx"'


def test_limited_says_when_rows_were_cut() -> None:
    assert exports.limited(range(3), limit=5) == ([0, 1, 2], "")
    rows, note = exports.limited(range(10), limit=5)
    assert rows == [0, 1, 2, 3, 4]
    assert note
