"""The migrated-schema template: only a new SQLite database starts from it."""

from __future__ import annotations

from pathlib import Path

import pytest

from muster.demo import schema_template


@pytest.mark.django_db
def test_a_database_holding_tables_is_migrated_as_before(tmp_path: Path) -> None:
    assert schema_template.migrate(tmp_path) == "plain"
    assert not list(tmp_path.iterdir())  # no template made from a database in use


def test_the_digest_names_the_migrations_django_and_sqlite() -> None:
    key = schema_template.digest()
    assert len(key) == 32
    assert key == schema_template.digest()
