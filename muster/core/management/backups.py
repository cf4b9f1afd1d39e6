"""What `muster backup` puts in the encrypted file and how `muster restore` lays it out again
(docs/backup.md). The file format is `core.backup_format`.

Order inside a backup: `manifest.json` (vendor, row count of every table, the audit identity),
the keys (`keys/…`), the audit checkpoints (`audit/checkpoints.jsonl`, copied before the
database snapshot, so every checkpoint names an event the snapshot holds), the database
(`database/db.sqlite3` by SQLite's online backup API, or `database/db.pgdump`, `pg_dump`'s
custom format of one exported snapshot, the counts read in the same snapshot), then the sealed
files (`media/…`). Restore checks the manifest and the target first, so it refuses before
writing anything.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import psycopg
from django.conf import settings
from django.db import connection
from django.utils import timezone

from muster.core.backup_format import CHUNK, BackupError, BackupWriter, entries
from muster.core.keys import KEY_FILES, create_private_file, data_keyring, key_dir
from muster.core.rotation import sealed_file_paths

MANIFEST_VERSION = 1


# ── Backup ─────────────────────────────────────────────────────────────────────────────────


def _pg_args(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _pg_connect(db: dict[str, Any]) -> psycopg.Connection[Any]:
    return psycopg.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
    )


def _table_counts(cursor: Any, tables: list[str], quote: Any) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = int(cursor.fetchone()[0])
    return counts


def _pg_tables(cursor: Any) -> list[str]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return [row[0] for row in cursor.fetchall()]


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    return [row[0] for row in rows]


def _quote_sqlite(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@dataclass
class Written:
    counts: dict[str, int]
    files: int
    vendor: str


def backup_write(out: BinaryIO, key: bytes, *, identity: str | None) -> Written:
    """Write the whole backup to `out` (see the module docstring for the order)."""
    writer = BackupWriter(out, key)
    checkpoints = Path(settings.MUSTER_AUDIT_CHECKPOINTS)
    checkpoint_text = checkpoints.read_bytes() if checkpoints.exists() else b""
    with tempfile.TemporaryDirectory(prefix="muster-backup-") as scratch:
        if connection.vendor == "sqlite":
            dump, counts = _sqlite_snapshot(Path(scratch))
            name = "database/db.sqlite3"
        else:
            dump, counts = _pg_snapshot(Path(scratch))
            name = "database/db.pgdump"
        manifest = {
            "version": MANIFEST_VERSION,
            "created_at": timezone.now().isoformat(timespec="seconds"),
            "vendor": connection.vendor,
            "database": name,
            "audit_identity": identity,
            "counts": counts,
        }
        writer.add("manifest.json", [json.dumps(manifest, indent=1).encode()])
        for file_name in KEY_FILES:
            path = key_dir() / file_name
            if file_name == "data.keys" and settings.MUSTER_DATA_KEYS:
                ring = data_keyring()
                text = "".join(f"{k.kid} {_b64(k.secret)}\n" for k in ring.keys)
                writer.add(f"keys/{file_name}", [text.encode()])
            elif path.exists():
                writer.add_file(f"keys/{file_name}", path)
        writer.add("audit/checkpoints.jsonl", [checkpoint_text])
        writer.add_file(name, dump)
        dump.unlink()
    media = Path(settings.MEDIA_ROOT)
    files = 0
    for path in sealed_file_paths():
        if path.exists():
            writer.add_file(f"media/{path.relative_to(media).as_posix()}", path)
            files += 1
    writer.close()
    return Written(counts, files, connection.vendor)


def _b64(secret: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(secret).decode("ascii")


def _sqlite_snapshot(scratch: Path) -> tuple[Path, dict[str, int]]:
    """SQLite's online backup API: a consistent copy while the server keeps writing."""
    connection.ensure_connection()
    source = connection.connection
    target_path = scratch / "db.sqlite3"
    target = sqlite3.connect(target_path)
    try:
        source.backup(target)
        counts = _table_counts(target.cursor(), _sqlite_tables(target), _quote_sqlite)
    finally:
        target.close()
    return target_path, counts


def _pg_snapshot(scratch: Path) -> tuple[Path, dict[str, int]]:
    """`pg_dump -Fc` of one exported snapshot, the counts read in that same snapshot."""
    db = connection.settings_dict
    dump = scratch / "db.pgdump"
    args, env = _pg_args(db)
    with _pg_connect(db) as conn, conn.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]  # type: ignore[index]
        counts = _table_counts(cursor, _pg_tables(cursor), lambda n: f'"{n}"')
        result = subprocess.run(
            ["pg_dump", "-Fc", "--no-owner", f"--snapshot={snapshot}", "-f", str(dump), *args,
             str(db["NAME"])],
            env=env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        cursor.execute("COMMIT")
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return dump, counts


# ── Restore ────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Target:
    vendor: str
    settings: dict[str, Any]
    key_dir: Path
    checkpoints: Path
    media: Path


@dataclass
class Restored:
    manifest: dict[str, Any]
    counts: dict[str, int]
    files: int

    @property
    def mismatches(self) -> dict[str, tuple[int, int | None]]:
        want = self.manifest["counts"]
        return {t: (n, self.counts.get(t)) for t, n in want.items() if self.counts.get(t) != n}


def target_empty_problem(target: Target) -> str | None:
    """Why the target database cannot take a restore (it is not empty), or None."""
    if target.vendor == "sqlite":
        path = Path(target.settings["NAME"])
        if not path.exists() or path.stat().st_size == 0:
            return None
        with sqlite3.connect(path) as lite:
            tables = _sqlite_tables(lite)
    else:
        try:
            with _pg_connect(target.settings) as pg, pg.cursor() as cursor:
                tables = _pg_tables(cursor)
        except psycopg.OperationalError as exc:
            return f"cannot connect to it ({str(exc).strip().splitlines()[0]})"
    if tables:
        return f"it is not empty ({len(tables)} tables): restore only into an empty database"
    return None


def restore_read(source: BinaryIO, key: bytes, target: Target) -> Restored:
    """Lay the backup out at `target`; BackupError (before writing anything when it can) when
    the file, the key or the target is wrong."""
    stream = entries(source, key)
    name, data = next(stream, ("", iter(())))
    if name != "manifest.json":
        raise BackupError("the backup archive does not start with its manifest")
    manifest = json.loads(b"".join(data))
    if manifest.get("version") != MANIFEST_VERSION:
        raise BackupError(f"manifest version {manifest.get('version')} is not supported")
    if manifest["vendor"] != target.vendor:
        raise BackupError(
            f"the backup is of a {manifest['vendor']} database; the target is {target.vendor}"
        )
    problem = target_empty_problem(target)
    if problem:
        raise BackupError(f"the target database refuses the restore: {problem}")
    files = 0
    for name, data in stream:
        if name.startswith("keys/"):
            _key_file(target.key_dir / Path(name).name, b"".join(data))
        elif name == "audit/checkpoints.jsonl":
            _append_checkpoints(target.checkpoints, b"".join(data))
        elif name.startswith("database/"):
            _database(target, data)
        elif name.startswith("media/"):
            relative = Path(name.removeprefix("media/"))
            if relative.is_absolute() or ".." in relative.parts:
                raise BackupError(f"entry {name!r} points outside the media folder")
            _media_file(target.media / relative, data)
            files += 1
    return Restored(manifest, _target_counts(target), files)


def _key_file(path: Path, content: bytes) -> None:
    if path.exists():
        if path.read_bytes() != content:
            raise BackupError(
                f"{path} exists with another key: restore into a fresh key folder (--var-dir)"
            )
        return
    create_private_file(path, content)


def _append_checkpoints(path: Path, content: bytes) -> None:
    if not content:
        return
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    try:
        os.write(fd, content)
    finally:
        os.close(fd)


def _database(target: Target, data: Iterator[bytes]) -> None:
    if target.vendor == "sqlite":
        path = Path(target.settings["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.restoring")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            for chunk in data:
                handle.write(chunk)
        os.replace(partial, path)
        return
    args, env = _pg_args(target.settings)
    process = subprocess.Popen(
        ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "-d",
         str(target.settings["NAME"]), *args],
        stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    assert process.stdin is not None
    assert process.stderr is not None
    try:
        for chunk in data:
            process.stdin.write(chunk)
    except BrokenPipeError:
        pass  # pg_restore stopped: its message says why
    finally:
        with suppress(BrokenPipeError):
            process.stdin.close()
    errors = process.stderr.read()
    if process.wait() != 0:
        raise BackupError(f"pg_restore failed: {errors.decode(errors='replace').strip()}")


def _media_file(path: Path, data: Iterator[bytes]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        for chunk in data:
            handle.write(chunk)


def _target_counts(target: Target) -> dict[str, int]:
    if target.vendor == "sqlite":
        with sqlite3.connect(target.settings["NAME"]) as lite:
            return _table_counts(lite.cursor(), _sqlite_tables(lite), _quote_sqlite)
    with _pg_connect(target.settings) as pg, pg.cursor() as cursor:
        return _table_counts(cursor, _pg_tables(cursor), lambda n: f'"{n}"')


@contextmanager
def opened(path: Path, mode: str) -> Iterator[BinaryIO]:
    """The backup file, created 0600 when written."""
    if "w" in mode:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb", buffering=CHUNK) as handle:
            yield handle
    else:
        with path.open("rb", buffering=CHUNK) as handle:
            yield handle
