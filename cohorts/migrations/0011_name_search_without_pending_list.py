"""The name-search indexes take each new row straight into the index (``fastupdate = off``).

With GIN's default fast update, rows inserted since the last vacuum wait in a pending list that
every search reads in full: after a bulk import of people, a search took 70 ms instead of 2 ms
until autovacuum came round. People are added a few at a time in normal work, so writing the
index at once costs nothing an officer notices. The list already pending is flushed here.
"""

from django.db import migrations

INDEXES = [
    "cohorts_nominal_surname_trgm",
    "cohorts_nominal_first_names_trgm",
    "cohorts_alias_surname_trgm",
    "cohorts_alias_first_names_trgm",
]


def write_at_once(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
        schema_editor.execute("SELECT gin_clean_pending_list(%s::regclass)", [name])


def pend_again(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("cohorts", "0010_name_search_trigram_indexes")]

    operations = [migrations.RunPython(write_at_once, pend_again)]
