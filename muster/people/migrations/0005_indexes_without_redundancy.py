"""Drop indexes that a composite index already serves or that nothing uses.

- residence_commune (person) and commune (residence period): the composite indexes
  person_commune_sex_birth and (commune, valid_from) lead with the same column;
- id_warnings: nearly every row has none; person_id_warned indexes the warned rows only,
  in the order the data-quality list reads them;
- household_id: looked up by equality only, so a plain index without PostgreSQL's LIKE twin.

The indexes are dropped by name (SeparateDatabaseAndState), not through AlterField, which on
SQLite would copy the whole person table once per field.
"""

import django.db.models.deletion
from django.db import migrations, models

# (table, index, column, PostgreSQL also has a varchar_pattern_ops "_like" twin)
REDUNDANT = (
    ("people_person", "people_person_residence_commune_id_2c69ec34", "residence_commune_id", False),
    ("people_person", "people_person_id_warnings_16d6561f", "id_warnings", True),
    ("people_person", "people_person_household_id_5312f7c5", "household_id", True),
    ("people_residenceperiod", "people_residenceperiod_commune_id_60b0d30d", "commune_id", False),
)


def drop_redundant(apps, schema_editor):
    for _table, name, _column, like in REDUNDANT:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')
        if like:
            schema_editor.execute(f'DROP INDEX IF EXISTS "{name}_like"')


def restore_redundant(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for table, name, column, like in REDUNDANT:
        schema_editor.execute(f'CREATE INDEX "{name}" ON "{table}" ("{column}")')
        if like and postgresql:
            schema_editor.execute(
                f'CREATE INDEX "{name}_like" ON "{table}" ("{column}" varchar_pattern_ops)'
            )


class Migration(migrations.Migration):
    dependencies = [
        ("geo", "0001_initial"),
        ("people", "0004_person_callup_men"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="person",
                    name="id_warnings",
                    field=models.CharField(blank=True, max_length=100),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="household_id",
                    field=models.CharField(blank=True, max_length=20),
                ),
                migrations.AlterField(
                    model_name="person",
                    name="residence_commune",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="residents",
                        to="geo.adminunit",
                    ),
                ),
                migrations.AlterField(
                    model_name="residenceperiod",
                    name="commune",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="geo.adminunit",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_redundant, restore_redundant)],
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["household_id"], name="person_household"),
        ),
        migrations.AddIndex(
            model_name="person",
            index=models.Index(
                condition=models.Q(("id_warnings", ""), _negated=True),
                fields=["search_key", "id"],
                name="person_id_warned",
            ),
        ),
    ]
