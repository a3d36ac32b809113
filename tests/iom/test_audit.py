"""The audit log: written for every collection, alteration, consultation and disclosure, and
never changed afterwards."""

import uuid

import pytest
from django.db import DatabaseError, connection, transaction

from cohorts.services import update_nominal
from iom import audit
from iom.models import AuditAction, AuditEvent, SharingAgreement
from tests import factories
from tests.sharing import ensure_agreement


def test_changing_a_nominal_writes_an_alteration_with_old_and_new_values(officer, nominal):
    update_nominal(nominal.pk, by=officer, version=nominal.version, changes={"surname": "Newname"})
    event = AuditEvent.objects.about(nominal).get(action=AuditAction.ALTERATION)
    assert event.username == officer.username
    assert event.agency_name == officer.agency.name
    assert event.changes["surname"][1] == "Newname"


def test_audit_event_cannot_be_changed_through_the_application(officer, nominal):
    event = audit.record(officer, AuditAction.CONSULTATION, nominal, nominal=nominal)
    event.description = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(description="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE iom_auditevent SET description = 'tampered' WHERE id = %s",
        "DELETE FROM iom_auditevent WHERE id = %s",
    ],
)
def test_database_refuses_update_and_delete_of_audit_rows(officer, nominal, statement):
    if connection.vendor != "postgresql":
        pytest.skip("The append-only trigger is a PostgreSQL feature.")
    event = audit.record(officer, AuditAction.CONSULTATION, nominal, nominal=nominal)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).description == event.description


def test_bulk_disclosures_write_one_row_per_person_in_one_query(officer, django_assert_num_queries):
    nominals = factories.NominalFactory.create_batch(4)
    with django_assert_num_queries(1):
        audit.record_disclosures(
            officer, nominals, disclosure_format="csv", recipient="Board", description="Export"
        )
    assert AuditEvent.objects.filter(action=AuditAction.DISCLOSURE).count() == 4


def test_each_bulk_disclosure_holds_what_one_disclosure_event_would(officer):
    people = factories.NominalFactory.create_batch(2)
    actor = audit.Actor(user=officer, ip_address="10.1.2.3", path="/api/nominals/")
    wrote = audit.record_disclosures(
        actor, people, disclosure_format="json", recipient="A system", description="Listed"
    )
    assert wrote == 2
    events = list(AuditEvent.objects.order_by("id"))
    single = audit.record(
        actor,
        AuditAction.DISCLOSURE,
        people[0],
        nominal=people[0],
        description="Listed",
        disclosure_format="json",
        recipient="A system",
    )
    compared = ("user_id", "username", "agency_name", "action", "subject_type", "object_type",
                "path", "ip_address", "agreement_id", "changes", "description",
                "disclosure_format", "recipient", "reason")  # fmt: skip
    for event, person in zip(events, people, strict=True):
        assert event.person_id == person.pk and event.object_id == str(person.pk)
        assert AuditEvent.objects.about(person).filter(pk=event.pk).exists()
        assert {name: getattr(event, name) for name in compared} == {
            name: getattr(single, name) for name in compared
        }


def test_a_listing_writes_each_person_consulted_as_one_event_would(
    officer, django_assert_num_queries
):
    """The rows of one INSERT hold what ``record`` writes for a consultation of each person,
    with the search that listed them first."""
    people = factories.NominalFactory.create_batch(3)
    actor = audit.Actor(user=officer, ip_address="10.1.2.3", path="/cohort/?q=smith")
    ids = [person.pk for person in reversed(people)] + [people[0].pk]  # any order, repeated
    with django_assert_num_queries(4):  # the search, the people, and the transaction
        listed = audit.record_consultations(
            actor, ids, description="Listed on the cohort list", search="Searched for smith"
        )
    assert listed == 3
    events = list(AuditEvent.objects.order_by("id"))
    assert [e.action for e in events] == [AuditAction.SEARCH] + [AuditAction.CONSULTATION] * 3
    assert events[0].description == "Searched for smith" and events[0].person_id is None
    single = audit.record(actor, AuditAction.CONSULTATION, people[0], nominal=people[0])
    compared = ("user_id", "username", "agency_name", "action", "subject_type", "object_id",
                "path", "ip_address", "agreement_id", "changes", "recipient", "reason")  # fmt: skip
    for event, person in zip(events[1:], sorted(people, key=lambda p: p.pk), strict=True):
        assert event.person_id == person.pk
        assert event.object_type == "cohorts.Nominal"
        assert event.description == "Listed on the cohort list"
        assert AuditEvent.objects.about(person).filter(pk=event.pk).exists()
        if person == people[0]:
            assert {f: getattr(event, f) for f in compared} == {
                f: getattr(single, f) for f in compared
            }
    assert events[1].at <= single.at


def test_a_partners_listing_names_their_agreement(db):
    housing = factories.AgencyFactory(kind="housing")
    ensure_agreement(housing)
    agreement = SharingAgreement.objects.get(parties=housing)
    partner = factories.UserFactory(agency=housing)
    person = factories.NominalFactory()
    audit.record_consultations(partner, [person.pk], description="Listed")
    event = AuditEvent.objects.about(person).get()
    assert event.agreement_id == agreement.pk
    assert event.agency_name == housing.name


def test_changes_between_lists_only_changed_fields():
    assert audit.changes_between({"a": 1, "b": 2}, {"a": 1, "b": 3}) == {"b": [2, 3]}


@pytest.fixture
def application_role():
    """A role like the application's in production: not a superuser, not the table's owner,
    granted TRUNCATE so that only the trigger stands in the way."""
    if connection.vendor != "postgresql":
        pytest.skip("The append-only trigger is a PostgreSQL feature.")
    name = f"iom_test_app_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} NOSUPERUSER NOLOGIN")
        cursor.execute(f"GRANT SELECT, INSERT, TRUNCATE ON iom_auditevent TO {name}")
        cursor.execute(
            "SELECT pg_get_serial_sequence('iom_auditevent', 'id')",
        )
        (sequence,) = cursor.fetchone()
        cursor.execute(f"GRANT USAGE ON SEQUENCE {sequence} TO {name}")
    return name


@pytest.mark.postgres
def test_database_refuses_truncate_of_the_audit_log_to_the_application_role(
    officer, nominal, application_role
):
    audit.record(officer, AuditAction.CONSULTATION, nominal, nominal=nominal)
    with connection.cursor() as cursor:
        cursor.execute(f"SET ROLE {application_role}")
        try:
            cursor.execute(
                "INSERT INTO iom_auditevent (at, username, agency_name, action, object_type,"
                " object_id, description, changes, disclosure_format, recipient, reason, path)"
                " VALUES (now(), 'app', '', 'consultation', '', '', 'written by the app',"
                " '{}', '', '', '', '')"
            )
            # The test's own rows leave deferred foreign-key checks, which TRUNCATE would
            # otherwise refuse for a reason of its own.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute("TRUNCATE iom_auditevent")
        finally:
            cursor.execute("RESET ROLE")
    assert AuditEvent.objects.filter(description="written by the app").exists()
    assert AuditEvent.objects.about(nominal).exists()
