"""`muster backup` and `muster restore` (issue #13, finding 12): an encrypted backup carrying
the keys, audit checkpoints and sealed files, restored into an empty database of the same
kind, after which `muster audit verify` passes and every table's row count matches."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from config.env import parse_database_url
from muster import audit
from muster.accounts.models import Role
from muster.accounts.tests.factories import build_world
from muster.conscription.actions.records import evidence_attach, ground_decision_record
from muster.core.backup_format import CHUNK, BackupError, BackupWriter, entries
from muster.core.management.backups import Target, _pg_tables, _table_counts, _target_counts
from muster.people.tests.factories import make_person

pytestmark = pytest.mark.django_db(transaction=True)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MUSTER = str(Path(sys.executable).with_name("muster"))


@pytest.fixture
def places(settings, tmp_path: Path) -> dict[str, Path]:
    settings.MUSTER_KEY_DIR = tmp_path / "source" / "keys"
    settings.MUSTER_AUDIT_CHECKPOINTS = tmp_path / "source" / "audit" / "checkpoints.jsonl"
    settings.MEDIA_ROOT = tmp_path / "source" / "media"
    call_command("keys", "backup-key", str(tmp_path / "backup.key"), stdout=StringIO())
    return {
        "key": tmp_path / "backup.key",
        "out": tmp_path / "muster.backup",
        "var": tmp_path / "target",
    }


def _some_records() -> None:
    world = build_world()
    staff = world.user("staff1", Role.COMMUNE_STAFF, world.commune_commands[0])
    man = make_person(world.communes[0], "Trần Văn Nam", birth_date=date(2007, 6, 1))
    decision = ground_decision_record(
        person=man, kind="deferral", ground_code="NR_SENTENCE", decided_on=date(2025, 9, 1),
        valid_until=None, decided_by="", note="Án treo", acting_user=staff,
    )  # fmt: skip
    evidence_attach(
        decision=decision, uploaded_file=SimpleUploadedFile("a.pdf", PDF), acting_user=staff
    )
    audit.record_read("people.person.viewed", actor=staff, target=man, channel="web")
    with transaction.atomic():
        audit.record("geo.unit.updated", actor=staff, target=("geo.adminunit", "1"))


@pytest.fixture
def target_url(tmp_path: Path) -> Iterator[str]:
    """An empty database of the kind under test: a new SQLite path, or a PostgreSQL database
    created for the test and dropped after it."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"muster_restore_{uuid.uuid4().hex[:10]}"
    admin: dict[str, Any] = {
        "dbname": "postgres", "user": db["USER"] or None, "password": db["PASSWORD"] or None,
        "host": db["HOST"] or None, "port": db["PORT"] or None, "autocommit": True,
    }  # fmt: skip
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    try:
        yield f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(**admin) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _source_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
            )
            tables = [row[0] for row in cursor.fetchall()]
        else:
            tables = _pg_tables(cursor)
        return _table_counts(cursor, tables, connection.ops.quote_name)


def _muster(*args: str, url: str, var: Path) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("MUSTER_", "DJANGO_"))}
    environment |= {"DATABASE_URL": url, "MUSTER_VAR_DIR": str(var)}
    return subprocess.run(
        [MUSTER, *args], env=environment, capture_output=True, text=True, timeout=120, check=False
    )


def test_backup_then_restore_into_an_empty_database_verifies_with_equal_counts(places, target_url):
    _some_records()
    before = _source_counts()
    out = StringIO()
    call_command(
        "backup", "--out", str(places["out"]), "--key-file", str(places["key"]), stdout=out
    )
    assert "backup written" in out.getvalue()
    data = places["out"].read_bytes()
    assert data.startswith(b"MUSTERBK\x01")
    for clear in (b"SQLite format", b"PGDMP", "Trần".encode(), b"audit_mac", b"%PDF"):
        assert clear not in data
    assert places["out"].stat().st_mode & 0o777 == 0o600

    restored = StringIO()
    call_command("restore", str(places["out"]), "--key-file", str(places["key"]), "--db", target_url,
                 "--var-dir", str(places["var"]), stdout=restored)  # fmt: skip
    assert "every count as in the backup" in restored.getvalue()
    assert (places["var"] / "keys" / "audit_mac.key").stat().st_mode & 0o777 == 0o600
    assert list((places["var"] / "media" / "evidence").rglob("*.pdf"))

    verify = _muster("audit", "verify", url=target_url, var=places["var"])
    assert verify.returncode == 0, verify.stdout + verify.stderr
    assert "intact:" in verify.stdout
    # Every table's row count as in the source (the backup's own event came after the dump).

    parsed = parse_database_url(target_url)
    after = _target_counts(
        Target(parsed.vendor, parsed.settings, places["var"], places["var"], places["var"])
    )
    assert after == before

    # Into a database that is no longer empty: refused, naming why.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(places["out"]), "--key-file", str(places["key"]), "--db", target_url,
                     "--var-dir", str(places["var"] / "again"), stdout=StringIO())  # fmt: skip


def test_restore_refuses_a_wrong_key_and_a_damaged_file(places, tmp_path):
    _some_records()
    call_command(
        "backup", "--out", str(places["out"]), "--key-file", str(places["key"]), stdout=StringIO()
    )
    other = tmp_path / "other.key"
    call_command("keys", "backup-key", str(other), stdout=StringIO())
    url = (
        f"sqlite:///{tmp_path / 'x.sqlite3'}"
        if connection.vendor == "sqlite"
        else "postgres://postgres@127.0.0.1:5432/none"
    )
    with pytest.raises(CommandError, match="wrong backup key"):
        call_command("restore", str(places["out"]), "--key-file", str(other), "--db", url,
                     "--var-dir", str(tmp_path / "v1"), stdout=StringIO())  # fmt: skip
    damaged = tmp_path / "damaged.backup"
    data = bytearray(places["out"].read_bytes())
    data[40] ^= 1
    damaged.write_bytes(bytes(data))
    with pytest.raises(CommandError, match="changed"):
        call_command("restore", str(damaged), "--key-file", str(places["key"]), "--db", url,
                     "--var-dir", str(tmp_path / "v2"), stdout=StringIO())  # fmt: skip
    assert not (tmp_path / "v1" / "keys").exists()


def test_the_stream_refuses_truncation_and_reordering(tmp_path):
    key = os.urandom(32)
    path = tmp_path / "b"
    with path.open("wb") as handle:
        writer = BackupWriter(handle, key)
        writer.add("big", [os.urandom(CHUNK), os.urandom(CHUNK)])
        writer.close()
    whole = path.read_bytes()
    with path.open("rb") as handle:
        assert [name for name, _ in entries(handle, key)] == ["big"]
    path.write_bytes(whole[: len(whole) - 100])
    with path.open("rb") as handle, pytest.raises(BackupError):
        list(entries(handle, key))
    first_chunk_end = 17 + 4 + int.from_bytes(whole[17:21], "big")
    path.write_bytes(whole[:first_chunk_end])  # a whole chunk dropped: no last chunk
    with path.open("rb") as handle, pytest.raises(BackupError, match="truncated"):
        list(entries(handle, key))
