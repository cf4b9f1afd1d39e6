"""A version number for geography and organisation, so caches derived from them (jurisdiction
scopes) go stale the moment a territory or unit changes.

The version lives in Django's cache: with the default per-process cache, a change made by another
process is seen when the cached entries expire (`STRUCTURE_CACHE_SECONDS`); configure a shared
cache (e.g. Redis) to make it immediate across processes.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "muster:structure-version"
STRUCTURE_CACHE_SECONDS = 60


def structure_version() -> int:
    cache.add(VERSION_KEY, 1, timeout=None)
    return int(cache.get(VERSION_KEY, 1))


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # evicted: any value other than the old one will do
        cache.set(VERSION_KEY, structure_version() + 1, timeout=None)


def structure_changed() -> None:
    """Call from any write that changes units, territories or the org tree.

    Bumps after commit, so no reader can cache the old structure under the new version.
    """
    transaction.on_commit(_bump)
