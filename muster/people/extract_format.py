"""The population register's extract columns (docs/extract-format.md): one definition for the
generator, the extract writer, the bulk loader and the exchange ingest."""

from __future__ import annotations

import polars as pl

# In file order, with their types in Parquet (dates are YYYY-MM-DD text in CSV).
EXTRACT_SCHEMA: dict[str, pl.DataType] = {
    "personal_id": pl.Utf8(),
    "full_name": pl.Utf8(),
    "sex": pl.Utf8(),
    "birth_date": pl.Date(),
    "ethnicity": pl.Utf8(),
    "residence_commune_code": pl.Utf8(),
    "address": pl.Utf8(),
    "household_id": pl.Utf8(),
    "life_status": pl.Utf8(),
    "died_on": pl.Date(),
}
EXTRACT_COLUMNS: tuple[str, ...] = tuple(EXTRACT_SCHEMA)
