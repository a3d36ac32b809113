"""The application's database role: it reads and writes every table, but may only add to and
read the audit log. Checked on PostgreSQL itself, as that role (SET ROLE)."""

import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from cohorts.models import Nominal
from iom import audit
from iom.models import AuditAction, AuditEvent
from tests import factories

pytestmark = pytest.mark.postgres

INSUFFICIENT_PRIVILEGE = "42501"


@pytest.fixture
def app_role(db):
    """A new role, created inside the test's transaction (so it goes when the test ends)."""
    if connection.vendor != "postgresql":
        pytest.skip("Database roles are a PostgreSQL feature (set DATABASE_URL).")
    role = f"iom_app_test_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
    return role


def _as(role: str):
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {role}")


def _refused(statement: str, params=()) -> str:
    """The SQLSTATE of the error the statement ends with (it must end with one)."""
    with (
        pytest.raises(DatabaseError) as raised,
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, params)
    return raised.value.__cause__.pgcode


@pytest.fixture
def event(officer, nominal):
    return audit.record(officer, AuditAction.CONSULTATION, nominal, nominal=nominal)


def test_the_role_can_write_audit_events_and_read_them(app_role, officer, nominal):
    call_command("grant_app_role", app_role)
    _as(app_role)
    event = audit.record(officer, AuditAction.CONSULTATION, nominal, nominal=nominal)
    assert AuditEvent.objects.get(pk=event.pk).person_id == nominal.pk


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE iom_auditevent SET description = 'tampered' WHERE id = %s",
        "DELETE FROM iom_auditevent WHERE id = %s",
        "TRUNCATE iom_auditevent",
        "ALTER TABLE iom_auditevent ADD COLUMN note text",
        "ALTER TABLE iom_auditevent DISABLE TRIGGER ALL",
        "ALTER TABLE iom_auditevent DISABLE TRIGGER iom_audit_event_no_update_or_delete",
        "DROP TABLE iom_auditevent",
    ],
)
def test_the_role_cannot_change_empty_or_alter_the_audit_log(app_role, event, statement):
    call_command("grant_app_role", app_role)
    _as(app_role)
    params = [event.pk] if "%s" in statement else []
    assert _refused(statement, params) == INSUFFICIENT_PRIVILEGE
    with connection.cursor() as cursor:
        cursor.execute("RESET ROLE")
    assert AuditEvent.objects.get(pk=event.pk).description == event.description


def test_the_role_reads_and_writes_ordinary_tables(app_role, officer):
    call_command("grant_app_role", app_role)
    _as(app_role)
    nominal = factories.NominalFactory(surname="Before")
    Nominal.objects.filter(pk=nominal.pk).update(surname="After")
    assert Nominal.objects.get(pk=nominal.pk).surname == "After"
    Nominal.objects.filter(pk=nominal.pk).delete()
    assert not Nominal.objects.filter(pk=nominal.pk).exists()


def test_the_role_reads_but_never_writes_the_migration_state(app_role):
    call_command("grant_app_role", app_role)
    _as(app_role)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM django_migrations")
        assert cursor.fetchone()[0] > 0
    assert _refused("DELETE FROM django_migrations") == INSUFFICIENT_PRIVILEGE


def test_without_the_grants_the_role_can_read_nothing(app_role, nominal):
    _as(app_role)
    assert _refused("SELECT * FROM cohorts_nominal") == INSUFFICIENT_PRIVILEGE


def test_granting_again_keeps_the_audit_log_append_only(app_role, event):
    call_command("grant_app_role", app_role)
    call_command("grant_app_role", app_role)
    _as(app_role)
    assert _refused("DELETE FROM iom_auditevent") == INSUFFICIENT_PRIVILEGE


def test_a_superuser_is_refused_as_the_application_role(app_role):
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER ROLE {app_role} SUPERUSER")
    with pytest.raises(CommandError, match="superuser"):
        call_command("grant_app_role", app_role)


def test_a_member_of_the_tables_owner_is_refused_as_the_application_role(app_role):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'iom_auditevent'")
        owner = cursor.fetchone()[0]
        cursor.execute(f'GRANT "{owner}" TO {app_role}')
    with pytest.raises(CommandError, match="owns iom_auditevent"):
        call_command("grant_app_role", app_role)


def test_a_role_that_does_not_exist_is_refused(db):
    if connection.vendor != "postgresql":
        pytest.skip("Database roles are a PostgreSQL feature (set DATABASE_URL).")
    with pytest.raises(CommandError, match="no database role"):
        call_command("grant_app_role", "iom_app_nobody_" + uuid.uuid4().hex[:8])
