"""Military-service documents: `statutory` (the statutory lists and the annual counts), `files`
(their Excel and PDF renderings), `order_pdf` (the statutory call-up order with a QR code; its `order_pdf` function is
not re-exported, the name being the submodule's). The names other apps and tests use are
re-exported here."""

from __future__ import annotations

from muster.conscription.reports.files import (
    annual_pdf,
    annual_xlsx,
    list_pdf,
    list_xlsx,
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
)

__all__ = [
    "LISTS",
    "CommuneCounts",
    "ListRow",
    "Report",
    "annual_counts",
    "annual_pdf",
    "annual_xlsx",
    "batch_pdf",
    "list_pdf",
    "list_xlsx",
    "report_for",
    "statutory_list",
    "verify_url",
]
