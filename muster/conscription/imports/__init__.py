"""Validated CSV imports of military-service records with a rejects report: `file` (file-level
checks, streaming, the rejects report), `records` (`muster import registrations|health|deferrals`:
row checks and the set-based load). The names other apps and tests use are re-exported here."""

from __future__ import annotations

from muster.conscription.imports.file import (
    CellError,
    CheckedFile,
    ImportRefused,
    Rejects,
    cell_date,
    cell_int,
    cell_number,
    cell_yes_no,
    check_file,
    read_rows,
)
from muster.conscription.imports.records import (
    DeferralSpec,
    HealthSpec,
    RegistrationSpec,
    cli_arguments,
    cli_import,
    records_import,
)

__all__ = [
    "CellError",
    "CheckedFile",
    "DeferralSpec",
    "HealthSpec",
    "ImportRefused",
    "RegistrationSpec",
    "Rejects",
    "cell_date",
    "cell_int",
    "cell_number",
    "cell_yes_no",
    "check_file",
    "cli_arguments",
    "cli_import",
    "read_rows",
    "records_import",
]
