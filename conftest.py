"""Test-wide set-up: which database this run uses, and a clear skip when PostgreSQL is absent."""

from __future__ import annotations

import pytest
from django.conf import settings


def _postgres_reachable() -> str | None:
    """None if the configured PostgreSQL answers, else the reason it does not."""
    import psycopg

    db = settings.DATABASES["default"]
    try:
        with psycopg.connect(
            dbname="postgres",
            user=db["USER"] or None,
            password=db["PASSWORD"] or None,
            host=db["HOST"] or None,
            port=db["PORT"] or None,
            connect_timeout=3,
        ):
            return None
    except psycopg.OperationalError as exc:
        return str(exc).strip().splitlines()[0]


def pytest_report_header(config: pytest.Config) -> str:
    return f"muster database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    if vendor == "postgresql":
        reason = _postgres_reachable()
        if reason:
            skip = pytest.mark.skip(
                reason=f"PostgreSQL not reachable ({reason}): start it with "
                "pg_ctlcluster --skip-systemctl-redirect 15 main start"
            )
            for item in items:
                item.add_marker(skip)
    else:
        skip_pg = pytest.mark.skip(reason="needs PostgreSQL; runs in the PostgreSQL pass")
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip_pg)


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Cached scopes must not leak between tests (ids are reused after a rollback)."""
    from django.core.cache import cache

    cache.clear()
