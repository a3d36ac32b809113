"""The audit log names the person an event concerns by a typed reference (``subject_type``,
``subject_id``) instead of a foreign key to ``cohorts.Nominal``.

The core then knows no domain app (its migrations no longer depend on ``cohorts``), and a
person's record can be erased under a decision while the trail of what was done with it
stays. ``0001`` has been rewritten without the foreign key; a database migrated before that
still has the ``nominal_id`` column, whose values this migration copies into the new
reference before dropping it. The copy is the only UPDATE the audit table ever takes: the
append-only trigger is set aside for it, inside this migration's transaction.
"""

from django.db import migrations, models

NO_UPDATE_TRIGGER = "iom_audit_event_no_update_or_delete"


def _columns(schema_editor) -> set[str]:
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, "iom_auditevent")
    return {column.name for column in description}


def _update(schema_editor, sql: str) -> None:
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute(f"ALTER TABLE iom_auditevent DISABLE TRIGGER {NO_UPDATE_TRIGGER}")
    schema_editor.execute(sql)
    if postgres:
        # The update queued the deferred foreign-key checks of its rows; run them now, as the
        # table cannot be altered again while they are pending.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute(f"ALTER TABLE iom_auditevent ENABLE TRIGGER {NO_UPDATE_TRIGGER}")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def copy_the_foreign_key(apps, schema_editor):
    """Before anything rebuilds the table (SQLite does, to add a column with a default)."""
    if "nominal_id" not in _columns(schema_editor):
        return
    _update(
        schema_editor,
        "UPDATE iom_auditevent SET subject_id = nominal_id WHERE nominal_id IS NOT NULL",
    )
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "iom_auditevent")
    for name, constraint in constraints.items():
        if "nominal_id" in constraint["columns"] and constraint["index"]:
            schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")
    schema_editor.execute("ALTER TABLE iom_auditevent DROP COLUMN nominal_id")


def name_the_kind(apps, schema_editor):
    AuditEvent = apps.get_model("iom", "AuditEvent")
    if AuditEvent.objects.filter(subject_id__isnull=False).exists():
        _update(
            schema_editor,
            "UPDATE iom_auditevent SET subject_type = 'person' WHERE subject_id IS NOT NULL",
        )


class Migration(migrations.Migration):
    dependencies = [("iom", "0005_agreement_covers_contacts")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="subject_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(copy_the_foreign_key, migrations.RunPython.noop, elidable=True),
        migrations.AddField(
            model_name="auditevent",
            name="subject_type",
            field=models.CharField(
                blank=True,
                choices=[("person", "Person")],
                db_default="",
                default="",
                max_length=20,
            ),
        ),
        migrations.RunPython(name_the_kind, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                fields=["subject_type", "subject_id", "-at", "-id"], name="audit_subject_at"
            ),
        ),
    ]
