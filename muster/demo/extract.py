"""Population-register extract files (CSV or Parquet), as described in docs/extract-format.md."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import polars as pl

from muster.people.extract_format import EXTRACT_COLUMNS, EXTRACT_SCHEMA

# Re-exported: callers of the writer find the columns here too.
__all__ = ["EXTRACT_COLUMNS", "EXTRACT_SCHEMA", "ExtractFile", "file_sha256", "write_extract"]


@dataclass(frozen=True)
class ExtractFile:
    """A written extract: file name, data rows (header excluded) and SHA-256 of the bytes."""

    name: str
    rows: int
    sha256: str


def write_extract(
    frame: pl.DataFrame, path: Path, *, fmt: Literal["csv", "parquet"]
) -> ExtractFile:
    """Write the extract columns of ``frame`` to ``path`` atomically and describe the file.

    Extra columns (such as ``phone``) are left out. The file appears complete or not at all: it is
    written to a temporary file in the same directory, flushed to disk, then renamed.
    """
    missing = [name for name in EXTRACT_COLUMNS if name not in frame.columns]
    if missing:
        raise ValueError(f"frame lacks extract columns: {', '.join(missing)}")
    extract = frame.select(pl.col(name).cast(dtype) for name, dtype in EXTRACT_SCHEMA.items())
    _check(extract)

    path = Path(path)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as out:
            if fmt == "csv":
                # Polars writes UTF-8 without a BOM; nulls (died_on of the living) as empty fields.
                extract.write_csv(out, date_format="%Y-%m-%d", null_value="")
            elif fmt == "parquet":
                extract.write_parquet(out)
            else:
                raise ValueError(f"unknown extract format {fmt!r}")
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return ExtractFile(name=path.name, rows=extract.height, sha256=file_sha256(path))


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes, read in 1 MiB chunks."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as source:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _check(extract: pl.DataFrame) -> None:
    """Refuse frames that break the format's rules rather than write a bad extract."""
    problems = extract.select(
        (~pl.col("personal_id").str.contains(r"^\d{12}$")).sum().alias("personal_id"),
        (~pl.col("sex").is_in(["M", "F"])).sum().alias("sex"),
        (~pl.col("life_status").is_in(["alive", "dead"])).sum().alias("life_status"),
        ((pl.col("life_status") == "alive") & pl.col("died_on").is_not_null())
        .sum()
        .alias("died_on"),
        pl.col("birth_date").is_null().sum().alias("birth_date"),
    ).row(0, named=True)
    bad = [f"{name} ({count} rows)" for name, count in problems.items() if count]
    if bad:
        raise ValueError(f"invalid extract values: {', '.join(bad)}")
