"""Reports read from a PostgreSQL streaming replica when one is configured.

`DATABASE_REPLICA_URL` (config.env) adds the database alias `replica`. Only code that runs inside
`reporting()` — the report pages and downloads, through `report_view` — reads from it; everything
else, and every write, stays on `default`. Reads that decide a write (locks, the audit chain's
head, sessions and logins) never go to the replica: a standby lags and refuses writes, so the
router keeps the apps whose reads feed writes on the primary even inside a report.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db import connections
from django.db.models import Model
from django.http import HttpRequest
from django.http.response import HttpResponseBase

REPLICA = "replica"
PRIMARY = "default"

# Reads of these apps feed a write in the same request (the read log's chain head, the
# signed-in user, the lockout counters, background jobs): always the primary.
PRIMARY_ONLY_APPS = frozenset(
    {"audit", "accounts", "auth", "sessions", "contenttypes", "axes", "otp_totp", "otp_static"}
    | {"django_tasks_database", "django_tasks_db"}
)

_reporting: ContextVar[bool] = ContextVar("muster_reporting", default=False)

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextlib.contextmanager
def reporting() -> Iterator[None]:
    """Within this block, reads of record tables go to the replica (when there is one)."""
    token = _reporting.set(True)
    try:
        yield
    finally:
        _reporting.reset(token)


def in_report() -> bool:
    return _reporting.get()


def report_view(view: View) -> View:
    """A page or download that only reads (its read log aside): served from the replica."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with reporting():
            return view(request, *args, **kwargs)

    return cast(View, wrapper)


class ReplicaRouter:
    """Django database router: `default` for writes and ordinary reads, `replica` for report
    reads. The replica is never migrated: it is a byte copy of the primary."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if (
            _reporting.get()
            and replica_configured()
            and model._meta.app_label not in PRIMARY_ONLY_APPS
        ):
            return REPLICA
        return PRIMARY

    def db_for_write(self, model: type[Model], **hints: Any) -> str | None:
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The same rows on both sides: an object read from the replica may point at one
        # written on the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db == PRIMARY


@dataclass(frozen=True)
class ReplicaLag:
    """How far the replica's figures are behind the primary, for the reports it serves."""

    seconds: float | None  # None: the replica has replayed nothing yet
    paused: bool


def replica_lag() -> ReplicaLag | None:
    """None when reports read the primary itself (no replica configured)."""
    if not replica_configured():
        return None
    with connections[REPLICA].cursor() as cursor:
        # Idle primaries send nothing to replay: a replica that has received everything is
        # current even when its last replayed transaction is old.
        cursor.execute(
            "SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
            " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END,"
            " pg_is_wal_replay_paused()"
        )
        seconds, paused = cursor.fetchone()
    return ReplicaLag(seconds=None if seconds is None else float(seconds), paused=bool(paused))


def read_alias() -> str:
    """The database alias record reads of the current context use, for code that runs its own
    SQL (the ORM asks the router): the replica inside `reporting()`, else the primary."""
    return REPLICA if _reporting.get() and replica_configured() else PRIMARY
