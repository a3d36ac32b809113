"""Booking and recording contacts, correcting them, and turning a missed one into a breach:
validated first, audited in the same transaction, nothing half-written."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cohorts.contacts import services
from cohorts.contacts.models import Contact
from cohorts.controls.models import Breach
from iom import access
from iom.locking import StaleEditError
from iom.models import AuditAction, AuditEvent
from tests import factories
from tests.contacts.factories import ContactFactory
from tests.controls.factories import LicenceFactory
from tests.sharing import share_with

NOW = timezone.now()


def _book(nominal, by, **fields):
    return services.record_contact(
        nominal,
        by=by,
        kind="office",
        planned_at=fields.pop("planned_at", NOW + datetime.timedelta(days=2)),
        **fields,
    )


def test_booking_an_appointment_records_it_without_an_outcome_and_audits_it(officer, nominal):
    contact = _book(nominal, officer, attendees=[officer])
    assert contact.is_appointment and not contact.is_recorded
    assert list(contact.agencies.all()) == [officer.agency]
    event = AuditEvent.objects.get(action=AuditAction.COLLECTION, object_id=str(contact.pk))
    assert event.person_id == nominal.pk
    assert event.changes["kind"] == [None, "office"]


def test_an_outcome_of_an_appointment_still_to_come_is_refused(officer, nominal):
    with pytest.raises(ValidationError) as refused:
        _book(nominal, officer, attendance="attended")
    assert "attendance" in refused.value.message_dict
    assert not Contact.objects.exists()


def test_did_not_attend_must_say_whether_a_reason_was_given(officer, nominal):
    with pytest.raises(ValidationError) as refused:
        _book(nominal, officer, planned_at=NOW - datetime.timedelta(hours=1),
              attendance="did-not-attend")  # fmt: skip
    assert "absence" in refused.value.message_dict
    assert not AuditEvent.objects.filter(action=AuditAction.COLLECTION).exists()


def test_a_contact_cannot_have_taken_place_in_the_future(officer, nominal):
    with pytest.raises(ValidationError) as refused:
        services.record_contact(
            nominal, by=officer, kind="phone", happened_at=NOW + datetime.timedelta(hours=3)
        )
    assert "happened_at" in refused.value.message_dict


def test_recording_the_outcome_keeps_the_old_and_new_values_in_the_audit(officer, nominal):
    contact = _book(nominal, officer, planned_at=NOW - datetime.timedelta(hours=2))
    services.update_contact(
        contact.pk,
        by=officer,
        version=contact.version,
        changes={"attendance": "did-not-attend", "absence": "unacceptable"},
    )
    contact.refresh_from_db()
    assert contact.version == 2
    event = AuditEvent.objects.get(action=AuditAction.ALTERATION, object_id=str(contact.pk))
    assert event.changes["attendance"] == ["", "did-not-attend"]


def test_a_stale_edit_is_refused_and_changes_nothing(officer, nominal):
    contact = ContactFactory(nominal=nominal)
    services.update_contact(contact.pk, by=officer, version=1, changes={"note": "First."})
    with pytest.raises(StaleEditError):
        services.update_contact(contact.pk, by=officer, version=1, changes={"note": "Second."})
    contact.refresh_from_db()
    assert contact.note == "First."


def test_an_outsider_cannot_record_a_contact(outsider, nominal):
    with pytest.raises(PermissionDenied):
        _book(nominal, outsider)
    assert not Contact.objects.exists()


def test_a_partners_contacts_are_always_shared(nominal):
    partner = factories.UserFactory()
    share_with(nominal, partner)
    access.grant_to_user(partner, nominal)
    contact = _book(nominal, partner, is_shared=False)
    assert contact.is_shared


def test_a_missed_appointment_becomes_a_breach_of_the_licence_in_one_step(officer):
    licence = LicenceFactory()
    contact = ContactFactory(
        nominal=licence.nominal, attendance="did-not-attend", absence="no-reason", happened_at=None
    )
    breach = services.record_breach_from_contact(
        contact.pk, by=officer, evidence=services.breach_evidence(contact)
    )
    contact.refresh_from_db()
    assert contact.breach == breach
    assert breach.licence == licence
    assert breach.occurred_on == timezone.localdate(contact.planned_at)
    assert "Did not attend the office appointment" in breach.evidence
    assert AuditEvent.objects.filter(object_id=str(contact.pk), action="alteration").exists()


def test_a_breach_from_a_person_not_on_licence_is_refused_and_nothing_is_written(officer):
    contact = ContactFactory(attendance="did-not-attend", absence="no-reason")
    with pytest.raises(ValidationError):
        services.record_breach_from_contact(contact.pk, by=officer, evidence="Missed.")
    assert not Breach.objects.exists()
    contact.refresh_from_db()
    assert contact.breach is None and contact.version == 1


def test_an_attended_contact_cannot_become_a_breach(officer):
    licence = LicenceFactory()
    contact = ContactFactory(nominal=licence.nominal)
    with pytest.raises(ValidationError):
        services.record_breach_from_contact(contact.pk, by=officer, evidence="Came.")
    assert not Breach.objects.exists()


def test_a_breach_refused_by_the_controls_service_leaves_the_contact_unchanged(officer):
    licence = LicenceFactory()
    contact = ContactFactory(
        nominal=licence.nominal, attendance="refused", outcome="Refused to come in."
    )
    with pytest.raises(ValidationError):
        services.record_breach_from_contact(contact.pk, by=officer, evidence="   ")
    contact.refresh_from_db()
    assert contact.breach is None
    assert not AuditEvent.objects.filter(object_id=str(contact.pk)).exists()
