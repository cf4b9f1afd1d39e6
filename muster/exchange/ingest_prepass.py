"""The set-based pre-pass of an ingest: CSV rows and duplicate personal_ids over the whole file.

Run as `python -m muster.exchange.ingest_prepass FILE FORMAT COLUMN…` (by ingest_file, in a
child process): DuckDB streams the file with a memory limit and spills to disk past it. Prints
{"rows": N, "identical": {ID: copies}, "conflicting": {ID: copies}} as JSON; exit code 3 with
the message on stdout when the file is not well-formed. No Django here.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from muster.people.extract_format import EXTRACT_COLUMNS

DUCKDB_MEMORY = "300MB"
DUCKDB_THREADS = 2
MALFORMED = 3


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


def prepass(path: Path, fmt: str, columns: tuple[str, ...]) -> dict[str, Any]:
    """Data rows and duplicate personal_ids over the whole file, with bounded memory."""
    # Column names were checked against EXTRACT_COLUMNS, so quoting them here is safe.
    values = ", ".join(f'coalesce(CAST("{c}" AS VARCHAR), chr(0))' for c in EXTRACT_COLUMNS)
    with tempfile.TemporaryDirectory(prefix="muster-ingest-") as spill:
        con = duckdb.connect()
        try:
            con.execute(f"SET memory_limit = '{DUCKDB_MEMORY}'")
            con.execute("SET temp_directory = '{}'".format(spill.replace("'", "''")))
            con.execute("SET preserve_insertion_order = false")
            con.execute(f"SET threads = {DUCKDB_THREADS}")
            source = _duckdb_source(path, fmt, columns)
            pid = "trim(CAST(personal_id AS VARCHAR))"
            # One scan: rows and the repeated IDs (the aggregate holds one count per ID and
            # spills to disk past the memory limit).
            con.execute(
                f"CREATE TEMP TABLE repeated AS SELECT {pid} AS pid, count(*) AS copies "
                f"FROM {source} GROUP BY ALL HAVING count(*) > 1",
                [str(path)],
            )
            counted = con.execute(f"SELECT count(*) FROM {source}", [str(path)]).fetchone()
            rows = int(counted[0]) if counted else 0
            # Only rows of repeated IDs are hashed: min/max of a row hash tells identical
            # copies from conflicting ones with two numbers per ID.
            found = con.execute(
                "SELECT r.pid, r.copies, low <> high FROM repeated r JOIN (SELECT "
                f"{pid} AS pid, min(hash({values})) AS low, max(hash({values})) AS high "
                f"FROM {source} WHERE {pid} IN (SELECT pid FROM repeated) GROUP BY ALL) h "
                "ON h.pid = r.pid WHERE regexp_full_match(r.pid, '[0-9]{12}')",
                [str(path)],
            ).fetchall()
            repeated = found
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
        "identical": {pid: int(n) for pid, n, differ in repeated if not differ},
        "conflicting": {pid: int(n) for pid, n, differ in repeated if differ},
    }


def main(argv: list[str]) -> int:
    path, fmt, *columns = argv
    unknown = [c for c in columns if c not in EXTRACT_COLUMNS]
    if unknown or fmt not in ("csv", "parquet"):
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
