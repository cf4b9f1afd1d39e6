"""A new SQLite demo database starts from a copy of an already migrated one.

Running the ~100 migrations on an empty SQLite file is ~18 s of CPU (most of it Django
rendering model states and remaking tables); copying a file migrated before is a fraction of a
second. The template is kept under var/cache, named by a digest of every installed app's
migration files, Django's version and SQLite's, so a new or changed migration makes a new
template. A fresh migrate holds nothing else (no personal data, no audit events, no keys): the
schema, the applied migrations, content types and permissions. `migrate` still runs after the
copy and applies whatever the template lacks. PostgreSQL and databases already holding tables
are migrated as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import tempfile
from pathlib import Path

import django
from django.apps import apps
from django.core.management import call_command
from django.db import connection

from muster.core.sqlite import journal_mode, journal_mode_try

PREFIX = "schema-"


def default_directory() -> Path:
    from config import env

    return env.VAR_DIR / "cache"


def digest() -> str:
    """What a freshly migrated database depends on: the migrations, Django and SQLite."""
    h = hashlib.sha256()
    h.update(f"{django.__version__}\0{sqlite3.sqlite_version}\0".encode())
    for app in sorted(apps.get_app_configs(), key=lambda a: a.label):
        folder = Path(app.path) / "migrations"
        for path in sorted(folder.glob("*.py")) if folder.is_dir() else []:
            h.update(f"{app.label}/{path.name}\0".encode())
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()[:32]


def _raw() -> sqlite3.Connection:
    connection.ensure_connection()
    raw = connection.connection
    assert isinstance(raw, sqlite3.Connection)
    return raw


def _restore(template: Path) -> bool:
    raw = _raw()
    mode = journal_mode(raw)
    try:
        source = sqlite3.connect(f"file:{template}?mode=ro", uri=True)
        try:
            source.backup(raw)
        finally:
            source.close()
    except sqlite3.Error:
        return False
    journal_mode_try(raw, mode)  # the copy brings the template's rollback journal
    return True


def _save(directory: Path, template: Path) -> None:
    tmp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".sqlite3")
        os.close(fd)
        target = sqlite3.connect(tmp)
        try:
            _raw().backup(target)
            # A rollback journal: the template is only ever read, and leaves no -wal/-shm.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        os.replace(tmp, template)
        tmp = None
        for stale in directory.glob(f"{PREFIX}*.sqlite3"):
            if stale != template:
                stale.unlink(missing_ok=True)
    except (OSError, sqlite3.Error):
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def migrate(directory: Path | None = None) -> str:
    """Migrate the default database; returns "template", "saved" or "plain" (what happened)."""
    if connection.vendor != "sqlite" or connection.introspection.table_names():
        call_command("migrate", verbosity=0, interactive=False)
        return "plain"
    directory = directory or default_directory()
    template = directory / f"{PREFIX}{digest()}.sqlite3"
    restored = template.is_file() and _restore(template)
    call_command("migrate", verbosity=0, interactive=False)
    if restored:
        return "template"
    _save(directory, template)
    return "saved"
