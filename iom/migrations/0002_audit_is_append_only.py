"""On PostgreSQL, the database itself refuses UPDATE and DELETE on the audit log.

The application has no way to edit it either (the model and its queryset refuse), but the
trigger also holds against a database console or a bug. Row triggers do not fire on TRUNCATE:
0004 adds a statement trigger that refuses it.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION iom_audit_event_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'The audit log is append-only: % on iom_auditevent is refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER iom_audit_event_no_update_or_delete
    BEFORE UPDATE OR DELETE ON iom_auditevent
    FOR EACH ROW EXECUTE FUNCTION iom_audit_event_is_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS iom_audit_event_no_update_or_delete ON iom_auditevent;
DROP FUNCTION IF EXISTS iom_audit_event_is_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("iom", "0001_initial")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
