"""Vietnamese alphabetical order in the database and in Python, from one place.

Both databases know a collation named `vi_icu`: PostgreSQL as an ICU collation (locale
`vi-VN`, created by core's migration 0001), SQLite as a collation function registered on every
connection, comparing `core.text.vi_sort_key` (the same order, checked against ICU by
`core/tests/test_collation.py`). So the ORM code is the same on both:

    Commune.objects.order_by(vi("name"), "code")
    sorted(rows, key=vi_key(lambda r: r.name))      # lists built in Python

Raw SQL says `COLLATE vi_icu`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Expression, F
from django.db.models.functions import Collate

from muster.core.text import vi_sort_key

VI_COLLATION = "vi_icu"
T = TypeVar("T")


def vi(field: str | Expression | F) -> Collate:
    """`field` (a name or an expression) in Vietnamese alphabetical order, for `order_by`."""
    return Collate(F(field) if isinstance(field, str) else field, VI_COLLATION)


def vi_key(text_of: Callable[[T], str]) -> Callable[[T], str]:
    """A `sorted` key: the Vietnamese sort key of `text_of(item)`."""
    return lambda item: vi_sort_key(text_of(item) or "")


def vi_sorted(items: Iterable[T], text_of: Callable[[T], str] = str) -> list[T]:
    """`items` in Vietnamese alphabetical order of `text_of(item)` (stable on ties)."""
    return sorted(items, key=vi_key(text_of))


@lru_cache(maxsize=65_536)
def _cached_key(text: str) -> str:
    return vi_sort_key(text)


def _compare(left: str, right: str) -> int:
    a, b = _cached_key(left), _cached_key(right)
    if a == b:  # ICU is deterministic too: equal keys fall back to the code points
        return (left > right) - (left < right)
    return 1 if a > b else -1


def sqlite_collation_on_connect(
    sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    """`connection_created` receiver: teach a new SQLite connection the `vi_icu` collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VI_COLLATION, _compare)
