"""On PostgreSQL, the database refuses TRUNCATE of the audit log too.

Row triggers (0002) do not fire on TRUNCATE, so a statement trigger refuses it for every
role but a superuser. A superuser could drop the trigger anyway, so refusing it would protect
nothing, and the test suite's flush between tests runs as one. The application's own role in
production is neither a superuser nor the table's owner (see docker-compose.yml).
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION iom_audit_event_refuses_truncate() RETURNS trigger AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'The audit log is append-only: TRUNCATE on iom_auditevent is refused'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER iom_audit_event_no_truncate
    BEFORE TRUNCATE ON iom_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION iom_audit_event_refuses_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS iom_audit_event_no_truncate ON iom_auditevent;
DROP FUNCTION IF EXISTS iom_audit_event_refuses_truncate();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("iom", "0003_sharing_by_team_and_agreement")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
