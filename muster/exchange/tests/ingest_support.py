"""Building signed extract files for the ingest tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from muster.exchange import manifest
from muster.people.extract_format import EXTRACT_COLUMNS
from muster.people.tests.factories import register_frame

PRODUCER = "popreg-test"
CODES = ["00001", "00002", "00003"]


def text_frame(n: int, *, seed: int = 1) -> pl.DataFrame:
    """`n` valid register rows with every column as text (so tests can write bad values)."""
    frame = register_frame(n, CODES, seed=seed)
    return frame.select(pl.col(c).cast(pl.String) for c in EXTRACT_COLUMNS)


def set_cell(frame: pl.DataFrame, index: int, **values: str | None) -> pl.DataFrame:
    """The frame with row `index` (0-based) given new text values."""
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == index)
        .then(pl.lit(value, dtype=pl.String))
        .otherwise(pl.col(name))
        .alias(name)
        for name, value in values.items()
    )


def csv_bytes(frame: pl.DataFrame) -> bytes:
    return frame.write_csv(null_value="").encode()


def signed_extract(
    directory: Path,
    content: bytes,
    *,
    key: Ed25519PrivateKey,
    rows: int,
    name: str = "extract.csv",
    producer: str = PRODUCER,
) -> Path:
    """Write `content` as an extract with a manifest signed by `key` (hash of these bytes)."""
    path = directory / name
    path.write_bytes(content)
    manifest.write_manifest(
        path,
        rows=rows,
        producer=producer,
        key=key,
        generated_at=datetime(2026, 11, 1, tzinfo=UTC),
    )
    return path
