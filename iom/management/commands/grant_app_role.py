"""``manage.py grant_app_role ROLE``: give the application's database role what it needs, no more.

Migrations run as the role that owns the tables; the web, worker and scheduler connect as
another role, which this command grants (again after every migration, for new tables):

- SELECT, INSERT, UPDATE and DELETE on every table of the schema;
- only SELECT and INSERT on the audit log, so the application can neither change nor remove
  an audit event, nor empty the table. Not owning it, it cannot alter the table or disable
  its triggers either;
- only SELECT on ``django_migrations``: it reads the migration state but never writes it;
- the sequences' USAGE and SELECT, which INSERT needs.

PostgreSQL only. Refused for a role that would not be restricted by the grants: a superuser,
the owner of the tables, or a member of the owner's role.
"""

import re

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from iom.models import AuditEvent

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
READ_ONLY_TABLES = ("django_migrations",)


class Command(BaseCommand):
    help = (
        "Grant the application's database role read and write on every table, but only "
        "SELECT and INSERT on the audit log. Run as the tables' owner, after migrate."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="The role the application connects as, e.g. iom_app.")

    def handle(self, *args, role: str, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are a PostgreSQL feature.")
        if not ROLE_NAME.match(role):
            raise CommandError("Give a role name of lower-case letters, digits and underscores.")
        audit_table = AuditEvent._meta.db_table
        with transaction.atomic(), connection.cursor() as cursor:
            self._refuse_unrestricted(cursor, role, audit_table)
            cursor.execute("SELECT current_schema()")
            schema = cursor.fetchone()[0]
            for statement in _statements(connection.ops.quote_name(role), schema, audit_table):
                cursor.execute(statement)
        self.stdout.write(
            f"Granted {role} read and write on every table, "
            f"SELECT and INSERT only on {audit_table}."
        )

    def _refuse_unrestricted(self, cursor, role: str, audit_table: str) -> None:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
        found = cursor.fetchone()
        if found is None:
            raise CommandError(f"There is no database role {role}: create it first.")
        if found[0]:
            raise CommandError(f"{role} is a superuser: no grant can restrict it.")
        cursor.execute(
            "SELECT tableowner, pg_has_role(%s, tableowner, 'MEMBER') FROM pg_tables "
            "WHERE schemaname = current_schema() AND tablename = %s",
            [role, audit_table],
        )
        owner = cursor.fetchone()
        if owner is None:
            raise CommandError(f"There is no table {audit_table}: run migrate first.")
        if owner[1]:
            raise CommandError(
                f"{role} owns {audit_table} (or is a member of its owner {owner[0]}): "
                "connect the application as a role that does not."
            )


def _statements(role: str, schema: str, audit_table: str) -> list[str]:
    quote = connection.ops.quote_name
    schema = quote(schema)
    read_only = ", ".join(quote(name) for name in READ_ONLY_TABLES)
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        # From nothing, so a grant removed from this list is removed from the role too.
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"REVOKE UPDATE, DELETE ON {quote(audit_table)} FROM {role}",
        f"REVOKE INSERT, UPDATE, DELETE ON {read_only} FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
    ]
