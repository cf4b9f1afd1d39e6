"""Every table Muster hands out as a file goes through here, so each one is safe and looks the
same: XLSX (real date cells shown dd/mm/yyyy, numbers as numbers, a styled and frozen header
row, column widths, the statutory heading and signature blocks on reports), CSV for Excel
(UTF-8 with a BOM, dates dd/mm/yyyy) for the pages' downloads, PDF through `core.pdf`, and the
machine CSV of the CLI (ISO dates, codes, no BOM).

Every text cell that a spreadsheet would read as a formula (starting with = + - @, a tab or a
carriage return) is neutralised in every format: a leading apostrophe in CSV, the cell's
quotePrefix style in XLSX (OWASP "CSV injection"). Numbers and dates are never text, so they
stay as they are, and so do ISO dates and codes in the machine formats.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from muster.core import formats

if TYPE_CHECKING:
    import polars as pl
    from _typeshed import SupportsWrite

T = TypeVar("T")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NEUTRAL_PREFIX = "'"
ColumnKind = Literal["text", "date", "datetime", "int", "decimal"]
ExportFormat = Literal["xlsx", "csv", "pdf"]
CONTENT_TYPES: dict[str, str] = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}
EXPORT_PARAMETER = "export"
# A page's download holds at most this many rows (a list people work through, not a dump of the
# registry: that is the extract's job); the file says so when it is cut.
EXPORT_ROW_LIMIT = 10_000
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
_WIDTH_SAMPLE = 500  # rows looked at to size a column
_MIN_WIDTH, _MAX_WIDTH = 6, 60


def neutralise(text: str) -> str:
    """`text` as a spreadsheet shows it, never runs it: a leading apostrophe before = + - @,
    a tab or a carriage return."""
    return NEUTRAL_PREFIX + text if text.startswith(FORMULA_STARTS) else text


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


@dataclass(frozen=True)
class Column:
    """A column's header in the reader's language and the kind of its values: `date` cells
    hold `date`s, `datetime` aware or local `datetime`s, `int` and `decimal` numbers (with
    `places` decimals shown), `text` anything else (shown with `str`)."""

    label: str
    kind: ColumnKind = "text"
    places: int = 0
    width: int | None = None  # characters; sized from the values when None


@dataclass(frozen=True)
class Heading:
    """The statutory heading block of an administrative document (Decree 30/2020/NĐ-CP on
    clerical work, Art. 8 and Appendix I): the body above the issuer and the issuing body
    (left, with the number), the national name and motto (right) with place and date, then
    the title. An empty number or place leaves dotted space to fill in by hand."""

    title: str
    issuing_body: str = ""
    parent_body: str = ""
    number: str = ""
    place: str = ""
    day: date | None = None
    subtitle: str = ""  # what the document covers: period, place, reference date
    basis: str = ""  # legal basis line

    def number_line(self) -> str:
        return f"Số: {self.number or '………/………'}"

    def place_date_line(self) -> str:
        day = formats.long_date_text(self.day) if self.day else "……/……/………"
        return f"{self.place or '…………'}, {day}"


@dataclass(frozen=True)
class Signature:
    """Who signs (Decree 30/2020/NĐ-CP, Appendix I, item 7): the position as signed, a note
    on how, and the holder's name (blank to write by hand when no one holds it)."""

    position: str
    name: str = ""
    note: str = "(Ký, ghi rõ họ tên)"


@dataclass
class Table:
    """A table to export: columns, rows of values in column order, and a file name stem. A
    report also carries its heading and signature blocks (XLSX and PDF; CSV holds the table
    alone so it can be filtered and re-read)."""

    title: str
    columns: Sequence[Column]
    rows: Sequence[Sequence[object]]
    filename: str
    heading: Heading | None = None
    signature: Signature | None = None
    sheet_title: str = ""
    pdf_widths: Sequence[float] = field(default_factory=tuple)  # mm, for PDF only
    note: str = ""  # a line under the rows (XLSX, PDF), e.g. that the list was cut

    @property
    def is_report(self) -> bool:
        return self.heading is not None


# ── cells ──────────────────────────────────────────────────────────────────────────────────


def _number(value: object) -> int | float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    return None


def display_text(value: object, column: Column) -> str:
    """A value as people read it (pages' CSV, PDF): dd/mm/yyyy, 1.234,5."""
    if value is None:
        return ""
    if column.kind == "date" and isinstance(value, date):
        return formats.date_text(value)
    if column.kind == "datetime" and isinstance(value, datetime):
        return formats.datetime_text(value)
    if column.kind in ("int", "decimal"):
        number = _number(value)
        if number is not None:
            return formats.number_text(number, column.places if column.kind == "decimal" else 0)
    return str(value)


def _excel_csv_cell(value: object, column: Column) -> str:
    if column.kind in ("int", "decimal"):
        number = _number(value)
        if number is not None:
            # Numbers stay numbers: no grouping, a decimal comma as Vietnamese Excel reads it.
            if column.kind == "int" or isinstance(number, int):
                return str(number)
            return f"{number:.{column.places}f}".replace(".", formats.DECIMAL_SEPARATOR)
    return neutralise(display_text(value, column))


def machine_cell(value: object) -> str | int | float:
    """A value for a machine CSV: ISO dates and times, numbers as they are, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return neutralise(str(value))


def machine_row(values: Iterable[object]) -> list[str | int | float]:
    return [machine_cell(v) for v in values]


def neutralise_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """Every text column of a frame a machine CSV is written from (polars), neutralised."""
    import polars as pl

    starts = "^[" + "".join(re.escape(c) for c in FORMULA_STARTS) + "]"
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(starts))
        .then(pl.lit(NEUTRAL_PREFIX) + pl.col(name))
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in frame.schema.items()
        if dtype == pl.String
    )


# ── CSV ────────────────────────────────────────────────────────────────────────────────────


def csv_bytes(table: Table) -> bytes:
    """CSV for Excel: UTF-8 with a BOM, the header row then the rows, dates dd/mm/yyyy."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(str(c.label)) for c in table.columns])
    for row in table.rows:
        writer.writerow(
            _excel_csv_cell(value, column) for value, column in zip(row, table.columns, strict=True)
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def machine_csv_write(
    stream: SupportsWrite[str], header: Sequence[str], rows: Iterable[Iterable[object]]
) -> None:
    """The machine CSV of the CLI: no BOM, "\\n" line ends, ISO dates, neutralised text."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(machine_row(row) for row in rows)


# ── XLSX ───────────────────────────────────────────────────────────────────────────────────

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_ITALIC = Font(italic=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7E0")
_THIN = Side(style="thin", color="999999")
_HEADER_BORDER = Border(bottom=_THIN, top=_THIN, left=_THIN, right=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_HEADER_ALIGN = Alignment(vertical="center", wrap_text=True)


def _width(column: Column, rows: Sequence[Sequence[object]], index: int) -> float:
    if column.width is not None:
        return column.width
    if column.kind == "date":
        longest = 10
    elif column.kind == "datetime":
        longest = 16
    else:
        longest = max(
            (len(display_text(row[index], column)) for row in rows[:_WIDTH_SAMPLE]), default=0
        )
    longest = max(longest, min(len(column.label), 24))
    return float(min(max(longest + 2, _MIN_WIDTH), _MAX_WIDTH))


def _xlsx_cell(sheet: WriteOnlyWorksheet, value: object, column: Column) -> Cell:
    if value is None or value == "":
        return WriteOnlyCell(sheet, value=None)
    if column.kind == "date" and isinstance(value, date):
        # A date cell: Excel keeps days as numbers; midnight of the day, shown dd/mm/yyyy.
        cell = WriteOnlyCell(sheet, value=datetime(value.year, value.month, value.day))
        cell.number_format = formats.XLSX_DATE_FORMAT
        return cell
    if column.kind == "datetime" and isinstance(value, datetime):
        local = formats.local_datetime(value).replace(tzinfo=None)
        cell = WriteOnlyCell(sheet, value=local)
        cell.number_format = formats.XLSX_DATETIME_FORMAT
        return cell
    if column.kind in ("int", "decimal"):
        number = _number(value)
        if number is not None:
            cell = WriteOnlyCell(sheet, value=number)
            if column.kind == "decimal" and column.places:
                cell.number_format = "#,##0." + "0" * column.places
            else:
                cell.number_format = "#,##0"
            return cell
    return _text_cell(sheet, str(value))


def _text_cell(
    sheet: WriteOnlyWorksheet,
    text: str,
    font: Font | None = None,
    alignment: Alignment | None = None,
) -> Cell:
    text = str(text)  # a lazily translated label, too
    cell = WriteOnlyCell(sheet, value=text)
    # openpyxl would store "=…" as a formula: keep it a string, shown as typed.
    cell.data_type = "s"
    if is_formula_like(text):
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _merge(sheet: WriteOnlyWorksheet, first: int, last: int, row: int) -> None:
    """Merge columns `first`..`last` (1-based) of `row` when they are more than one."""
    if last > first:
        ref = f"{get_column_letter(first)}{row}:{get_column_letter(last)}{row}"
        # A write-only sheet keeps merges too; the type stubs do not say so.
        cast("Any", sheet).merged_cells.add(ref)


def _halves(width: int) -> tuple[int, int]:
    """(last column of the left half, last column) of a block over a table `width` wide."""
    last = max(width, 2)
    return max(1, last // 2), last


def _block(
    sheet: WriteOnlyWorksheet,
    width: int,
    left: tuple[str, Font | None],
    right: tuple[str, Font | None],
    row: int,
) -> None:
    """One line of the heading: `left` over the left half, `right` over the right half."""
    split, last = _halves(width)
    cells: list[Cell | None] = [None] * last
    cells[0] = _text_cell(sheet, left[0], left[1], _CENTRE)
    cells[split] = _text_cell(sheet, right[0], right[1], _CENTRE)
    sheet.append(cells)
    _merge(sheet, 1, split, row)
    _merge(sheet, split + 1, last, row)


def _centred(sheet: WriteOnlyWorksheet, width: int, text: str, font: Font, row: int) -> None:
    sheet.append([_text_cell(sheet, text, font, _CENTRE)])
    _merge(sheet, 1, width, row)


def _heading_lines(heading: Heading) -> list[tuple[str, Font]]:
    return [
        (text, font)
        for text, font in (
            (heading.title.upper(), _TITLE),
            (heading.subtitle, _ITALIC),
            (heading.basis, _ITALIC),
        )
        if text
    ]


def _heading_height(heading: Heading) -> int:
    """Rows the heading block takes: three of bodies, a blank, its lines, a blank."""
    return 3 + 1 + len(_heading_lines(heading)) + 1


def _heading_rows(sheet: WriteOnlyWorksheet, heading: Heading, width: int) -> None:
    """The heading block, `_heading_height(heading)` rows."""
    _block(sheet, width, (heading.parent_body.upper(), None), (NATION, _BOLD), 1)
    _block(sheet, width, (heading.issuing_body.upper(), _BOLD), (MOTTO, _BOLD), 2)
    _block(sheet, width, (heading.number_line(), None), (heading.place_date_line(), _ITALIC), 3)
    sheet.append([])
    row = 4
    for text, font in _heading_lines(heading):
        row += 1
        _centred(sheet, width, text, font, row)
    sheet.append([])


def _signature_rows(sheet: WriteOnlyWorksheet, signature: Signature, width: int) -> None:
    split, last = _halves(width)
    sheet.append([])
    lines: list[tuple[str, Font | None]] = [
        (signature.position.upper(), _BOLD),
        (signature.note, _ITALIC),
        ("", None),
        ("", None),
        (signature.name, _BOLD),
    ]
    for text, font in lines:
        cells: list[Cell | None] = [None] * last
        cells[split] = _text_cell(sheet, text, font, _CENTRE)
        sheet.append(cells)


def xlsx_bytes(table: Table) -> bytes:
    """One worksheet: the heading block of a report, the header row (bold, filled, frozen,
    with a filter and repeated on printed pages), the rows, a report's signature block."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=_sheet_title(table.sheet_title or table.title))
    width = len(table.columns)
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(
            column, table.rows, index - 1
        )
    header_row = (_heading_height(table.heading) if table.heading else 0) + 1
    # A write-only sheet writes its view with the first row: freeze before any row.
    sheet.freeze_panes = f"A{header_row + 1}"
    if table.heading:
        _heading_rows(sheet, table.heading, width)
    header = []
    for column in table.columns:
        cell = _text_cell(sheet, column.label, _BOLD, _HEADER_ALIGN)
        cell.fill = _HEADER_FILL
        cell.border = _HEADER_BORDER
        header.append(cell)
    sheet.append(header)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    for row in table.rows:
        sheet.append(
            [
                _xlsx_cell(sheet, value, column)
                for value, column in zip(row, table.columns, strict=True)
            ]
        )
    last = header_row + len(table.rows)
    sheet.auto_filter.ref = (
        f"A{header_row}:{get_column_letter(max(width, 1))}{max(last, header_row)}"
    )
    if table.note:
        sheet.append([_text_cell(sheet, table.note, _ITALIC)])
    if table.signature is not None:
        _signature_rows(sheet, table.signature, width)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in a sheet name and more than 31 characters.
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:31] or "Muster"


# ── the pages' downloads ───────────────────────────────────────────────────────────────────


def limited(rows: Iterable[T], limit: int = EXPORT_ROW_LIMIT) -> tuple[list[T], str]:
    """At most `limit` rows, and the note a file carries when there were more."""
    kept: list[T] = []
    for row in rows:
        if len(kept) == limit:
            return kept, limit_note(limit)
        kept.append(row)
    return kept, ""


def limit_note(limit: int = EXPORT_ROW_LIMIT) -> str:
    return _("Only the first %(n)s rows; narrow the filters to get the rest.") % {
        "n": formats.number_text(limit)
    }


def export_format(request: HttpRequest, allowed: Sequence[str] = ("xlsx", "csv")) -> str | None:
    """The format `?export=` asks for (None: show the page); 404 for one the page lacks."""
    asked = request.GET.get(EXPORT_PARAMETER, "")
    if not asked:
        return None
    if asked not in allowed:
        raise Http404(f"no {asked!r} export of this page")
    return asked


def file_bytes(table: Table, fmt: str) -> bytes:
    if fmt == "xlsx":
        return xlsx_bytes(table)
    if fmt == "csv":
        return csv_bytes(table)
    if fmt == "pdf":
        from muster.core.pdf import table_pdf

        return table_pdf(table)
    raise ValueError(f"unknown export format {fmt!r}")


def export_response(table: Table, fmt: str) -> HttpResponse:
    """The table as a download in `fmt` (xlsx, csv or pdf)."""
    response = HttpResponse(file_bytes(table, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{_ascii(table.filename)}.{fmt}"'
    return response


def _ascii(stem: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in stem)
