"""The set-based pre-pass of an ingest: CSV rows and duplicate personal_ids over the whole file.

Run as `python -m muster.exchange.ingest_prepass FILE FORMAT COLUMN…` (by ingest_file, in a
child process): DuckDB streams the file with a memory limit and spills to disk past it. Prints
{"rows": N, "identical": {ID: copies}, "conflicting": {ID: copies}} as JSON; exit code 3 with
the message on stdout when the file is not well-formed. No Django here.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb

DUCKDB_MEMORY = "300MB"
DUCKDB_THREADS = 2
MALFORMED = 3
_IDENTIFIER = re.compile(r"[a-z_]{1,40}")


class Malformed(ValueError):
    """DuckDB could not read the file as the format it claims to be."""


def _duckdb_source(path: Path, fmt: str, columns: tuple[str, ...]) -> str:
    """A DuckDB table expression for the file with every column as text (path is bound as $1)."""
    if fmt == "parquet":
        return "(SELECT * FROM read_parquet($1))"
    spec = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in columns) + "}"
    return (
        "read_csv($1, header = true, auto_detect = false, delim = ',', quote = '\"', "
        f"escape = '\"', strict_mode = true, columns = {spec})"
    )


def _counts(con: duckdb.DuckDBPyConnection, source: str, pid: str, path: Path) -> tuple[int, int]:
    """(data rows, IDs that occur more than once) in one scan of the file."""
    found = con.execute(
        "SELECT coalesce(sum(copies), 0), count(*) FILTER (WHERE copies > 1) FROM "
        f"(SELECT {pid} AS pid, count(*) AS copies FROM {source} GROUP BY ALL)",
        [str(path)],
    ).fetchone()
    return (int(found[0]), int(found[1])) if found else (0, 0)


def _repeated(
    con: duckdb.DuckDBPyConnection, source: str, pid: str, path: Path, columns: tuple[str, ...]
) -> list[tuple[str, int, bool]]:
    """(ID, copies, copies differ) of every well-formed ID that occurs more than once."""
    # Only rows of repeated IDs are hashed: min/max of a row hash tells identical copies from
    # conflicting ones with two numbers per ID.
    values = ", ".join(f'coalesce(CAST("{c}" AS VARCHAR), chr(0))' for c in columns)
    con.execute(
        f"CREATE TEMP TABLE repeated AS SELECT {pid} AS pid, count(*) AS copies "
        f"FROM {source} GROUP BY ALL HAVING count(*) > 1",
        [str(path)],
    )
    return [
        (str(p), int(n), bool(differ))
        for p, n, differ in con.execute(
            "SELECT r.pid, r.copies, low <> high FROM repeated r JOIN (SELECT "
            f"{pid} AS pid, min(hash({values})) AS low, max(hash({values})) AS high "
            f"FROM {source} WHERE {pid} IN (SELECT pid FROM repeated) GROUP BY ALL) h "
            "ON h.pid = r.pid WHERE regexp_full_match(r.pid, '[0-9]{12}')",
            [str(path)],
        ).fetchall()
    ]


def prepass(path: Path, fmt: str, columns: tuple[str, ...]) -> dict[str, Any]:
    """Data rows and duplicate personal_ids over the whole file, with bounded memory: one scan
    for a file without repeated IDs (the usual extract), two more to sort out repeats."""
    with tempfile.TemporaryDirectory(prefix="muster-ingest-") as spill:
        con = duckdb.connect()
        try:
            con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
            con.execute("SET temp_directory = '{}'".format(spill.replace("'", "''")))
            con.execute("SET preserve_insertion_order = false")
            con.execute(f"SET threads = {DUCKDB_THREADS}")
            source = _duckdb_source(path, fmt, columns)
            pid = "trim(CAST(personal_id AS VARCHAR))"
            # The aggregate holds one count per ID and spills to disk past the memory limit.
            rows, repeats = _counts(con, source, pid, path)
            repeated = _repeated(con, source, pid, path, columns) if repeats else []
        except (duckdb.InvalidInputException, duckdb.ConversionException) as exc:
            first = str(exc).strip().splitlines()
            raise Malformed(
                f"format: the file is not a well-formed {fmt.upper()} extract: "
                f"{' '.join(first[:2])}"
            ) from exc
        finally:
            con.close()
    return {
        "rows": rows,
        "identical": {pid: n for pid, n, differ in repeated if not differ},
        "conflicting": {pid: n for pid, n, differ in repeated if differ},
    }


def main(argv: list[str]) -> int:
    path, fmt, *columns = argv
    # The parent checked the columns against the extract format; names stay plain identifiers
    # here because they are quoted into SQL (polars, which the format module imports, would
    # add a fifth of a second to this child's start).
    unknown = [c for c in columns if not _IDENTIFIER.fullmatch(c)]
    if unknown or "personal_id" not in columns or fmt not in ("csv", "parquet"):
        print(f"format: bad pre-pass arguments {fmt!r} {unknown!r}")
        return MALFORMED
    try:
        found = prepass(Path(path), fmt, tuple(columns))
    except Malformed as exc:
        print(str(exc))
        return MALFORMED
    print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
