"""The `vi_icu` collation on PostgreSQL: Vietnamese alphabetical order from ICU (CLDR `vi`).

SQLite gets a collation of the same name on every connection (core.collation), so queries
ordering by `Collate(field, "vi_icu")` or saying `COLLATE vi_icu` run unchanged on both.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations


def create(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE COLLATION IF NOT EXISTS vi_icu (provider = icu, locale = 'vi-VN')"
        )


def drop(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP COLLATION IF EXISTS vi_icu")


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []
    operations = [migrations.RunPython(create, drop)]
