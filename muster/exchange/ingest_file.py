"""File-level checks of an extract and streaming its rows (docs/exchange.md, issue #3 "Ingest").

Every check here runs before anything is written; the first that fails raises `ExtractRefused`
whose message starts with the check's name: manifest, signature, listed, hash, encoding,
columns, format, rows. Rows are then read in batches of text columns, so memory stays bounded
whatever the file size.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Literal

import polars as pl
import pyarrow.parquet as pq

from muster.exchange import ingest_prepass
from muster.exchange import manifest as mf
from muster.exchange.actions import trusted_pems
from muster.people.extract_format import EXTRACT_COLUMNS

BOM = codecs.BOM_UTF8
PARQUET_MAGIC = b"PAR1"


class ExtractRefused(ValueError):
    """A file-level check failed; nothing was changed. The message names the check."""


@dataclass(frozen=True)
class Duplicates:
    """personal_ids that occur more than once: identical copies (one is loaded) or conflicting
    copies (all are rejected), with how many times each occurs."""

    identical: dict[str, int]
    conflicting: dict[str, int]


@dataclass(frozen=True)
class CheckedExtract:
    path: Path
    fmt: Literal["csv", "parquet"]
    producer: str
    fingerprint: str  # of the trusted key that signed the manifest
    sha256: str
    rows: int
    columns: tuple[str, ...]  # in file order
    duplicates: Duplicates


def detect_format(path: Path) -> Literal["csv", "parquet"]:
    """Parquet by its magic bytes (or extension), else CSV."""
    with path.open("rb") as handle:
        head = handle.read(4)
    if head == PARQUET_MAGIC or path.suffix.lower() in {".parquet", ".pq"}:
        return "parquet"
    return "csv"


def _hash_and_decode(path: Path, *, check_utf8: bool) -> tuple[str, str | None, int]:
    """(SHA-256, the encoding problem or None, lines) in one streaming pass over the bytes."""
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder("utf-8")()
    problem: str | None = None
    offset = lines = newlines = 0
    last = b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
            newlines += block.count(b"\n")
            last = block[-1:]
            if check_utf8 and problem is None:
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as exc:
                    at = offset + exc.start
                    line = lines + block.count(b"\n", 0, exc.start) + 1
                    problem = (
                        f"encoding: byte 0x{block[exc.start]:02X} at offset {at} (line {line}) "
                        "is not UTF-8; extracts must be UTF-8 (a BOM is allowed)"
                    )
                lines += block.count(b"\n")
            offset += len(block)
    if check_utf8 and problem is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            problem = "encoding: the file ends inside a UTF-8 character (truncated?)"
    return digest.hexdigest(), problem, newlines + (1 if last not in (b"", b"\n") else 0)


def _csv_header(path: Path) -> tuple[str, ...]:
    import csv

    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
    if not first:
        raise ExtractRefused("columns: the file is empty (no header line)")
    return tuple(name.strip() for name in next(csv.reader([first])))


def _check_columns(columns: tuple[str, ...]) -> None:
    missing = [c for c in EXTRACT_COLUMNS if c not in columns]
    extra = [c for c in columns if c not in EXTRACT_COLUMNS]
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    problems = []
    if missing:
        problems.append(f"missing {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected {', '.join(extra)}")
    if repeated:
        problems.append(f"repeated {', '.join(repeated)}")
    if problems:
        raise ExtractRefused(
            f"columns: {'; '.join(problems)} (expected exactly: {', '.join(EXTRACT_COLUMNS)})"
        )


def _start_prepass(path: Path, fmt: str, columns: tuple[str, ...]) -> subprocess.Popen[str]:
    """The pre-pass (ingest_prepass) in a child process, so DuckDB's memory is returned when it
    ends instead of adding to ours."""
    return subprocess.Popen(
        [sys.executable, "-m", "muster.exchange.ingest_prepass", str(path), fmt, *columns],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _prepass_result(child: subprocess.Popen[str]) -> tuple[int, Duplicates]:
    """Data rows and duplicate personal_ids over the whole file, once the pre-pass ends."""
    out, err = child.communicate()
    if child.returncode == ingest_prepass.MALFORMED:
        raise ExtractRefused(out.strip())
    if child.returncode != 0:
        raise RuntimeError(f"the duplicate-ID pre-pass failed: {err.strip()}")
    found = json.loads(out)
    return int(found["rows"]), Duplicates(
        identical=dict(found["identical"]), conflicting=dict(found["conflicting"])
    )


def _columns(path: Path, fmt: str) -> tuple[str, ...]:
    if fmt == "csv":
        return _csv_header(path)
    try:
        return tuple(pq.read_schema(path).names)
    except Exception as exc:  # pyarrow raises several kinds for a bad footer
        raise ExtractRefused(f"format: not a readable Parquet file: {exc}") from exc


def _early_prepass(path: Path, fmt: str) -> subprocess.Popen[str] | None:
    """The pre-pass started before the file is hashed, so both run at once (2 cores), when the
    columns can already be read and are right; None otherwise (the checks then report the
    problem in their order)."""
    try:
        columns = _columns(path, fmt)
        _check_columns(columns)
    except Exception:  # any problem is reported by the checks below, in their order
        return None
    return _start_prepass(path, fmt, columns)


def check_extract(path: Path, manifest_path: Path | None = None) -> CheckedExtract:
    """Run every file-level check, in order; ExtractRefused names the first that fails."""
    if not path.is_file():
        raise ExtractRefused(f"file: no such extract {path}")
    try:
        manifest = mf.read_manifest(manifest_path or mf.manifest_path_for(path))
        fingerprint = mf.verify_signature(manifest, trusted_pems(manifest.producer))
        entry = mf.entry_for(manifest, path)
    except mf.ManifestError as exc:
        message = str(exc)
        if message.startswith("the manifest does not list"):
            message = f"listed: {message}"
        elif not message.startswith(("signature", "hash")):
            message = f"manifest: {message}"
        raise ExtractRefused(message) from exc

    fmt = detect_format(path)
    early = _early_prepass(path, fmt)
    try:
        sha256, encoding_problem, lines = _hash_and_decode(path, check_utf8=fmt == "csv")
        if sha256 != entry.sha256:
            raise ExtractRefused(
                f"hash: {path.name} has SHA-256 {sha256}, the manifest says {entry.sha256} "
                "(a truncated or altered file)"
            )
        if encoding_problem:
            raise ExtractRefused(encoding_problem)
        columns = _columns(path, fmt)
        _check_columns(columns)
        rows, duplicates = _prepass_result(early or _start_prepass(path, fmt, columns))
    finally:
        if early is not None and early.poll() is None:
            early.kill()
            early.communicate()
    if fmt == "csv" and rows != lines - 1:
        raise ExtractRefused(
            f"format: {path.name} has {lines - 1} lines after the header but {rows} CSV rows: "
            "extracts must not contain line breaks inside fields or blank lines"
        )
    if rows != entry.rows:
        raise ExtractRefused(
            f"rows: {path.name} has {rows} data rows, the manifest says {entry.rows}"
        )
    return CheckedExtract(
        path=path,
        fmt=fmt,
        producer=manifest.producer,
        fingerprint=fingerprint,
        sha256=sha256,
        rows=rows,
        columns=columns,
        duplicates=duplicates,
    )


def read_batches(extract: CheckedExtract, *, batch_rows: int) -> Iterator[pl.DataFrame]:
    """The rows in file order as text columns plus `_row`: the file line (header = line 1) of a
    CSV row, the row number (from 1) of a Parquet row.

    CSV is cut into batches of whole lines and each batch parsed by polars; this keeps memory
    flat whatever the file size (polars' own batched scan reads ahead without bound). The
    pre-pass has made sure that lines and CSV rows coincide.
    """
    columns = ["_row", *EXTRACT_COLUMNS]
    if extract.fmt == "parquet":
        row = 1
        parquet = pq.ParquetFile(extract.path)
        for record_batch in parquet.iter_batches(batch_size=batch_rows):
            raw = pl.from_arrow(record_batch)
            assert isinstance(raw, pl.DataFrame)
            frame = raw.select(pl.col(c).cast(pl.String) for c in EXTRACT_COLUMNS)
            yield frame.with_columns(
                _row=pl.int_range(row, row + frame.height, dtype=pl.Int64)
            ).select(columns)
            row += frame.height
        return
    schema = dict.fromkeys(extract.columns, pl.String)
    header = (",".join(extract.columns) + "\n").encode()
    row = 2
    with extract.path.open("rb") as handle:
        handle.readline()
        while lines := list(islice(handle, batch_rows)):
            frame = pl.read_csv(
                io.BytesIO(header + b"".join(lines)), schema=schema, has_header=True
            )
            yield frame.with_columns(
                _row=pl.int_range(row, row + frame.height, dtype=pl.Int64)
            ).select(columns)
            row += len(lines)
