"""Acts the audit log used to miss: failed sign-ins, the people on emerging threats, and
identifier searches through the API."""

import datetime

from django.urls import reverse

from cohorts.risk import services as risk_services
from iom.models import AuditAction, AuditEvent
from tests import factories
from tests.risk import factories as risk

TODAY = datetime.date.today()


def test_a_wrong_password_is_audited_against_the_account_without_the_password(client, officer):
    client.post(
        reverse("login"),
        {"username": officer.username, "password": "not-my-password-123"},
        REMOTE_ADDR="203.0.113.9",
    )
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.user == officer
    assert event.username == officer.username
    assert event.ip_address == "203.0.113.9"
    assert "not-my-password-123" not in str(AuditEvent.objects.values().get(pk=event.pk))


def test_a_sign_in_with_an_unknown_username_is_audited_without_what_was_typed(client, db):
    client.post(reverse("login"), {"username": "hunter2-typed-here", "password": "whatever-x"})
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN_FAILED)
    assert event.user is None
    assert "hunter2-typed-here" not in str(AuditEvent.objects.values().get(pk=event.pk))


def test_a_failed_sign_in_to_the_admin_is_audited(client, db):
    administrator = factories.UserFactory(role="admin", is_staff=True)
    client.post(
        reverse("admin:login"), {"username": administrator.username, "password": "wrong-one"}
    )
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, user=administrator).exists()


def test_a_sign_in_refused_by_the_lock_out_is_audited(client, officer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": officer.username, "password": "wrong"})
    client.post(reverse("login"), {"username": officer.username, "password": factories.PASSWORD})
    last = AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED).first()
    assert "locked out" in last.description
    assert not AuditEvent.objects.filter(action=AuditAction.SIGN_IN).exists()


def test_each_person_on_emerging_threats_is_logged_as_consulted(client, officer):
    shown = [factories.NominalFactory() for _ in range(2)]
    for nominal in shown:
        for _ in range(3):
            risk.DetectedOffenceFactory(nominal=nominal, committed_on=TODAY)
    risk_services.rerank(TODAY)
    client.force_login(officer)
    body = client.get(reverse("cohorts:emerging-threats")).content.decode()
    assert all(nominal.surname in body for nominal in shown)
    consulted = AuditEvent.objects.filter(action=AuditAction.CONSULTATION, user=officer)
    assert sorted(consulted.values_list("subject_id", flat=True)) == sorted(
        nominal.pk for nominal in shown
    )


def test_an_identifier_search_through_the_api_is_audited_as_a_search(client, officer, nominal):
    client.force_login(officer)
    response = client.get("/api/nominals/", {"pnc_id": nominal.pnc_id})
    assert response.status_code == 200
    search = AuditEvent.objects.get(action=AuditAction.SEARCH, user=officer)
    assert nominal.pnc_id in search.description


def test_a_crn_search_through_the_api_is_audited_as_a_search(client, officer, nominal):
    client.force_login(officer)
    client.get("/api/nominals/", {"crn": nominal.crn})
    assert nominal.crn in AuditEvent.objects.get(action=AuditAction.SEARCH).description


def test_listing_through_the_api_without_a_search_is_not_a_search(client, officer, nominal):
    client.force_login(officer)
    client.get("/api/nominals/")
    assert not AuditEvent.objects.filter(action=AuditAction.SEARCH).exists()
