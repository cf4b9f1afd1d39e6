"""Military-service documents: `statutory` (the statutory lists and the annual counts), `files`
(their tables for core.exports: Excel, CSV, PDF), `order_pdf` (the statutory call-up order
with a QR code; its `order_pdf` function is not re-exported, the name being the submodule's).
The names other apps and tests use are re-exported here."""

from __future__ import annotations

from muster.conscription.reports.files import (
    annual_file,
    annual_table,
    list_file,
    list_table,
)
from muster.conscription.reports.order_pdf import (
    batch_pdf,
    verify_url,
)
from muster.conscription.reports.statutory import (
    LISTS,
    CommuneCounts,
    ListRow,
    Report,
    annual_counts,
    report_for,
    statutory_list,
    statutory_list_read,
)

__all__ = [
    "LISTS",
    "CommuneCounts",
    "ListRow",
    "Report",
    "annual_counts",
    "annual_file",
    "annual_table",
    "batch_pdf",
    "list_file",
    "list_table",
    "report_for",
    "statutory_list",
    "statutory_list_read",
    "verify_url",
]
