"""Search by any part of a name or alias: trigram (pg_trgm) GIN indexes on PostgreSQL, which
``ILIKE '%part%'`` uses. SQLite (the embedded demo) has no such index and keeps a plain scan."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("cohorts_nominal_surname_trgm", "cohorts_nominal", "surname"),
    ("cohorts_nominal_first_names_trgm", "cohorts_nominal", "first_names"),
    ("cohorts_alias_surname_trgm", "cohorts_alias", "surname"),
    ("cohorts_alias_first_names_trgm", "cohorts_alias", "first_names"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0009_tasks")]

    operations = [
        TrigramExtension(),  # does nothing on a database other than PostgreSQL
        migrations.RunPython(create_indexes, drop_indexes),
    ]
