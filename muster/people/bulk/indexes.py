"""Person and ResidencePeriod indexes, unique constraints, foreign keys and primary keys:
dropped for a fresh load, rebuilt from the model (the same SQL and names the migrations made)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import Model
from psycopg import sql

from muster.people.bulk.shared import _ident
from muster.people.models import Person, ResidencePeriod


def _models() -> tuple[type[Model], ...]:
    return (Person, ResidencePeriod)


def _quoted(name: Any) -> str:
    return str(name).strip('"')


def _unique_fields(model: type[Model]) -> list[str]:
    return [f.column for f in model._meta.local_fields if f.unique and not f.primary_key]


def _foreign_keys(model: type[Model]) -> list[Any]:
    return [
        f
        for f in model._meta.local_fields
        if f.remote_field is not None and getattr(f, "db_constraint", False)
    ]


def _primary_key_name(table: str) -> str:
    return f"{table}_pkey"  # PostgreSQL's own name, the one the migrations got


def _lacks_primary_key(constraints: dict[str, Any]) -> bool:
    """Whether a table, by its introspected constraints, has no primary key."""
    return not any(info["primary_key"] for info in constraints.values())


def _unreferenced(table: str) -> bool:
    """PostgreSQL: no foreign key points at `table` (its primary key can be dropped)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT EXISTS (SELECT FROM pg_constraint WHERE confrelid = %s::regclass)", [table]
        )
        return bool(cursor.fetchone()[0])


def loaded_tables_indexes_drop() -> None:
    """Drop what a fresh load would otherwise maintain row by row (call inside its transaction).

    Secondary indexes on both tables; on PostgreSQL also the unique constraint on personal_id,
    the foreign keys (deferred FK checks queue one trigger event per row) and the primary key
    of a table no foreign key points at (residence periods: their INSERT … SELECT 1.5 → 1.1 s
    for a million rows, the key built afterwards included). SQLite keeps its inline UNIQUE
    and FOREIGN KEY clauses. `indexes_repair` brings everything back.
    """
    # Private helpers of the schema editor: the same SQL and names the migrations produced.
    editor: Any = connection.schema_editor()
    with connection.cursor() as cursor:
        for model in _models():
            table = model._meta.db_table
            existing = connection.introspection.get_constraints(cursor, table)
            if connection.vendor == "postgresql":
                for field in _foreign_keys(model):
                    name = _quoted(
                        editor._create_fk_sql(model, field, "_fk_%(to_table)s_%(to_column)s").parts[
                            "name"
                        ]
                    )
                    if name in existing:
                        cursor.execute(
                            sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                                sql.Identifier(table), sql.Identifier(name)
                            )
                        )
                for column in _unique_fields(model):
                    for name, info in existing.items():
                        if (
                            info["unique"]
                            and not info["primary_key"]
                            and info["columns"] == [column]
                        ):
                            cursor.execute(
                                sql.SQL("ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}").format(
                                    sql.Identifier(table), sql.Identifier(name)
                                )
                            )
                if _primary_key_name(table) in existing and _unreferenced(table):
                    cursor.execute(
                        sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                            sql.Identifier(table), sql.Identifier(_primary_key_name(table))
                        )
                    )
            for statement in editor._model_indexes_sql(model):
                name = _quoted(statement.parts["name"])
                if name in existing:
                    cursor.execute(f"DROP INDEX IF EXISTS {_ident(name)}")


def indexes_repair() -> list[str]:
    """Create whatever index, unique constraint or foreign key of Person and ResidencePeriod
    is missing (after a fresh load, or a load killed between its SQLite batches); names built.
    """
    # Private helpers of the schema editor: the same SQL and names the migrations produced.
    editor: Any = connection.schema_editor()
    built: list[str] = []
    with connection.cursor() as cursor:
        for model in _models():
            table = model._meta.db_table
            existing = connection.introspection.get_constraints(cursor, table)
            for statement in editor._model_indexes_sql(model):
                name = _quoted(statement.parts["name"])
                if name not in existing:
                    cursor.execute(str(statement))
                    built.append(name)
            if connection.vendor != "postgresql":
                continue
            if _lacks_primary_key(existing):
                name = _primary_key_name(table)
                cursor.execute(
                    sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY ({})").format(
                        sql.Identifier(table),
                        sql.Identifier(name),
                        sql.Identifier(model._meta.pk.column),
                    )
                )
                built.append(name)
            for column in _unique_fields(model):
                if not any(
                    info["unique"] and info["columns"] == [column] for info in existing.values()
                ):
                    name = f"{table}_{column}_key"
                    cursor.execute(
                        sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} UNIQUE ({})").format(
                            sql.Identifier(table), sql.Identifier(name), sql.Identifier(column)
                        )
                    )
                    built.append(name)
            for field in _foreign_keys(model):
                statement = editor._create_fk_sql(model, field, "_fk_%(to_table)s_%(to_column)s")
                name = _quoted(statement.parts["name"])
                if name not in existing:
                    cursor.execute(str(statement))
                    built.append(name)
    return built


def indexes_missing() -> list[str]:
    """Names of Person/ResidencePeriod indexes (or primary keys) the model declares but the
    database lacks."""
    # Private helpers of the schema editor: the same SQL and names the migrations produced.
    editor: Any = connection.schema_editor()
    missing: list[str] = []
    with connection.cursor() as cursor:
        for model in _models():
            table = model._meta.db_table
            existing = connection.introspection.get_constraints(cursor, table)
            missing += [
                _quoted(s.parts["name"])
                for s in editor._model_indexes_sql(model)
                if _quoted(s.parts["name"]) not in existing
            ]
            if _lacks_primary_key(existing):
                missing.append(_primary_key_name(table))
    return missing
