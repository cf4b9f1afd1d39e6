"""Journal modes for SQLite bulk loads (core.sqlite), on real database files."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from types import SimpleNamespace

import pytest

from muster.core.sqlite import journal_mode, journal_mode_try, rollback_journal, wal_on_connect


def _open(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None, timeout=0.2)


@pytest.fixture
def wal_file(tmp_path: Path) -> Path:
    path = tmp_path / "db.sqlite3"
    db = _open(path)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("CREATE TABLE t (x INTEGER)")
    db.close()
    return path


def test_a_lone_connection_loads_in_rollback_mode_and_returns_to_wal(wal_file):
    db = _open(wal_file)
    db.execute("PRAGMA synchronous = NORMAL")
    with rollback_journal(db) as switched:
        assert switched
        assert journal_mode(db) == "delete"
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        db.execute("INSERT INTO t VALUES (1)")
    assert journal_mode(db) == "wal"
    assert db.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL again
    assert _open(wal_file).execute("SELECT x FROM t").fetchall() == [(1,)]


def test_another_open_connection_keeps_wal_mode(wal_file):
    db, other = _open(wal_file), _open(wal_file)
    other.execute("SELECT count(*) FROM t").fetchall()
    with rollback_journal(db) as switched:
        assert not switched
        assert journal_mode(db) == "wal"
    assert journal_mode(other) == "wal"


def test_a_connection_opened_during_the_load_waits_instead_of_failing(wal_file):
    db = _open(wal_file)
    with rollback_journal(db):
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t VALUES (1)")
        late = _open(wal_file)
        # Its WAL request is refused at once (no exception), as wal_on_connect sees it.
        wal_on_connect(None, connection=SimpleNamespace(vendor="sqlite", connection=late))
        assert journal_mode(late) == "delete"
        db.execute("COMMIT")
        assert late.execute("SELECT x FROM t").fetchall() == [(1,)]
        late.close()
    assert journal_mode(db) == "wal"


def test_wal_on_connect_puts_a_database_left_in_rollback_mode_back(tmp_path):
    # As after a load killed inside rollback_journal.
    db = _open(tmp_path / "left.sqlite3")
    assert journal_mode(db) == "delete"
    wal_on_connect(None, connection=SimpleNamespace(vendor="sqlite", connection=db))
    assert journal_mode(db) == "wal"


def test_an_in_memory_database_is_left_alone():
    db = sqlite3.connect(":memory:", isolation_level=None)
    with rollback_journal(db) as switched:
        assert not switched
    assert journal_mode(db) == "memory"
    assert not journal_mode_try(db, "WAL")


def test_other_errors_are_not_taken_for_a_refusal(tmp_path):
    db = _open(tmp_path / "x.sqlite3")
    db.close()
    with pytest.raises(sqlite3.ProgrammingError):
        journal_mode_try(db, "WAL")
