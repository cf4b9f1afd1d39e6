"""PostgreSQL only: search keys in the "C" collation so prefix search and ordering use one index.

The database collation (e.g. C.UTF-8 / en_US.UTF-8) stops a plain btree from serving
`LIKE 'nguyen%'`; text_pattern_ops would serve LIKE but not ORDER BY search_key. With COLLATE
"C" the existing (search_key, id) and (given_key) indexes serve both. The keys are folded,
lower-case text, so byte order is also the order people expect. SQLite needs nothing: its
BINARY collation plus PRAGMA case_sensitive_like=ON already lets LIKE use the index.
"""

from django.db import migrations

FORWARD = [
    'ALTER TABLE people_person ALTER COLUMN search_key TYPE varchar(120) COLLATE "C"',
    'ALTER TABLE people_person ALTER COLUMN given_key TYPE varchar(120) COLLATE "C"',
]
BACKWARD = [
    "ALTER TABLE people_person ALTER COLUMN search_key TYPE varchar(120) COLLATE \"default\"",
    "ALTER TABLE people_person ALTER COLUMN given_key TYPE varchar(120) COLLATE \"default\"",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
