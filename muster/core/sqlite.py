"""SQLite journal modes: WAL for everyday work, a rollback journal for a fresh bulk load.

WAL lets readers work beside a writer, but a bulk load writes every page twice: into the WAL,
then into the database when the commit checkpoints it (and index builds read spilled pages
back through the WAL). In rollback-journal mode, pages appended to the database need no
journal at all: a fresh million-row load runs about a fifth faster. Its price is that other
connections wait for the load, readers included, so only a load into an empty registry uses
it, and only when no other connection has the database open.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Any


def journal_mode(db: sqlite3.Connection) -> str:
    return str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower()


def journal_mode_try(db: sqlite3.Connection, mode: str) -> bool:
    """Switch `db` (outside a transaction) to journal `mode`; False when another connection
    stands in the way. SQLite says so at once ("database is locked"), not after the busy
    timeout, so trying costs nothing."""
    try:
        row = db.execute(f"PRAGMA journal_mode = {mode}").fetchone()
    except sqlite3.OperationalError as error:
        if "locked" not in str(error):
            raise
        return False
    return str(row[0]).lower() == mode.lower()


@contextlib.contextmanager
def rollback_journal(db: sqlite3.Connection) -> Iterator[bool]:
    """`db` in rollback-journal mode inside the block when it was in WAL mode and could switch
    (yields whether it did), back in WAL mode after. Enter and leave outside transactions.

    If the process dies inside the block, the next connection rolls the hot journal back and
    `wal_on_connect` puts the database back into WAL mode.
    """
    if journal_mode(db) != "wal" or not journal_mode_try(db, "DELETE"):
        yield False
        return
    # NORMAL is safe with WAL only: a rollback journal needs every sync to survive a power cut.
    synchronous = db.execute("PRAGMA synchronous").fetchone()[0]
    db.execute("PRAGMA synchronous = FULL")
    try:
        yield True
    finally:
        db.execute(f"PRAGMA synchronous = {int(synchronous)}")
        # Fails only while another connection has opened the database meanwhile; that one,
        # or the next, switches it back (wal_on_connect).
        journal_mode_try(db, "WAL")


def wal_on_connect(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: every SQLite connection asks for WAL mode (persistent in
    the file once set). While a fresh load holds the database in rollback mode the switch
    is refused; the connection then simply waits for the load like any reader."""
    if connection.vendor == "sqlite":
        journal_mode_try(connection.connection, "WAL")
