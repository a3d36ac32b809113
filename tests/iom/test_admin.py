"""The admin site: administrators configure the service and unlock sign-in; nobody, not even
a superuser, finds a person's personal data in it."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.db import models
from django.urls import NoReverseMatch, reverse

from cohorts.models import Nominal
from cohorts.services import update_nominal
from iom import audit, services
from iom.models import AgencyKind, AuditAction, AuditEvent, Role, SharingAgreement
from tests import factories

SURNAME = "Quillfeather"
PNC_ID = "2011/0999999Z"


@pytest.fixture
def administrator(db):
    """An administrator made as the demo's is: through the service, with the role only."""
    agency = factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)
    return services.create_user(
        username="admin", password=factories.PASSWORD, agency=agency, role=Role.ADMINISTRATOR
    )


def _lock_out(client, username, address="198.51.100.9"):
    for _ in range(5):
        client.post(
            reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=address
        )


def test_an_administrator_can_use_the_configuration_pages(client, administrator):
    client.force_login(administrator)
    for name in (
        "admin:iom_user_changelist",
        "admin:iom_agency_changelist",
        "admin:iom_sharingagreement_changelist",
        "admin:iom_sharingagreement_add",
        "admin:axes_accessattempt_changelist",
        "admin:reports_unitcost_changelist",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        title = response.context["title"]
        assert title.startswith(("Select", "Add")) and title in response.content.decode(), name


def test_an_administrator_unlocks_a_locked_out_account(client, administrator, officer):
    _lock_out(client, officer.username)
    locked = client.post(
        reverse("login"), {"username": officer.username, "password": factories.PASSWORD}
    )
    assert locked.status_code == 429
    client.force_login(administrator)
    attempts = AccessAttempt.objects.filter(username=officer.username)
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock", "_selected_action": [attempt.pk for attempt in attempts]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    events = AuditEvent.objects.filter(action=AuditAction.ALTERATION, object_id=str(officer.pk))
    assert events and all(
        event.user == administrator and "Unlocked" in event.description for event in events
    )
    client.logout()
    response = client.post(
        reverse("login"), {"username": officer.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def test_an_administrator_unlocks_from_the_users_list(client, administrator, officer):
    _lock_out(client, officer.username)
    client.force_login(administrator)
    client.post(
        reverse("admin:iom_user_changelist"),
        {"action": "unlock_sign_in", "_selected_action": [officer.pk]},
    )
    assert not AccessAttempt.objects.filter(username=officer.username).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.ALTERATION, object_id=str(officer.pk), description__contains="Unlocked"
    ).exists()


def test_deleting_an_attempt_in_the_admin_is_audited_as_an_unlock(client, administrator, officer):
    _lock_out(client, officer.username)
    client.force_login(administrator)
    attempt = AccessAttempt.objects.get(username=officer.username)
    client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert not AccessAttempt.objects.exists()
    assert AuditEvent.objects.filter(description__startswith="Unlocked").exists()


def test_others_cannot_unlock(officer):
    with pytest.raises(Exception, match="administrator"):
        services.unlock_sign_in(AccessAttempt.objects.all(), by=officer)


def test_an_administrator_cannot_make_anyone_a_superuser(client, administrator, officer):
    client.force_login(administrator)
    body = client.get(reverse("admin:iom_user_change", args=[officer.pk])).content.decode()
    assert 'name="is_superuser"' not in body


def test_an_administrator_records_a_sharing_agreement(client, administrator):
    housing = factories.AgencyFactory(name="Riverside Housing", kind=AgencyKind.HOUSING)
    client.force_login(administrator)
    response = client.post(
        reverse("admin:iom_sharingagreement_add"),
        {
            "name": "Housing agreement",
            "parties": [housing.pk, administrator.agency.pk],
            "purpose": "Housing for people on the cohort",
            "legal_basis": "Crime and Disorder Act 1998 s.115",
            "starts_on": "2026-01-01",
            "review_on": "2027-01-01",
            "ends_on": "",
            "covers_identity": "on",
            "offending": "none",
            "pathways": "summary",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement = SharingAgreement.objects.get()
    assert set(agreement.parties.all()) == {housing, administrator.agency}
    assert AuditEvent.objects.filter(
        action=AuditAction.COLLECTION, object_type="iom.SharingAgreement"
    ).exists()


def _agreement_form(agreement, **overrides) -> dict:
    data = {
        "name": agreement.name,
        "parties": [party.pk for party in agreement.parties.all()],
        "purpose": agreement.purpose,
        "legal_basis": agreement.legal_basis,
        "starts_on": agreement.starts_on.isoformat(),
        "review_on": agreement.review_on.isoformat() if agreement.review_on else "",
        "ends_on": agreement.ends_on.isoformat() if agreement.ends_on else "",
        "offending": agreement.offending,
        "pathways": agreement.pathways,
        "loaded": agreement.version,
    }
    data.update(
        {name: "on" for name in ("covers_identity", "covers_risk") if getattr(agreement, name)}
    )
    data.update(overrides)
    return data


def _an_agreement(administrator):
    housing = factories.AgencyFactory(name="Riverside Housing", kind=AgencyKind.HOUSING)
    return services.create_agreement(
        parties=[housing, administrator.agency],
        name="Housing agreement",
        purpose="Housing for people on the cohort",
        legal_basis="Crime and Disorder Act 1998 s.115",
        starts_on=datetime.date(2026, 1, 1),
        review_on=datetime.date(2027, 1, 1),
        covers_identity=True,
        by=administrator,
    )


def test_changing_an_agreements_parties_in_the_admin_is_audited_with_old_and_new(
    client, administrator
):
    agreement = _an_agreement(administrator)
    drugs = factories.AgencyFactory(name="Drug Service", kind=AgencyKind.DRUG_ALCOHOL)
    client.force_login(administrator)
    url = reverse("admin:iom_sharingagreement_change", args=[agreement.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _agreement_form(agreement, parties=[drugs.pk]))
    assert response.status_code == 302, response.content.decode()[:2000]
    agreement.refresh_from_db()
    assert list(agreement.parties.all()) == [drugs]
    assert agreement.version == 2
    event = AuditEvent.objects.filter(
        action=AuditAction.ALTERATION, object_type="iom.SharingAgreement"
    ).get()
    assert event.changes["parties"] == [
        f"{administrator.agency.name}, Riverside Housing",
        "Drug Service",
    ]


def test_a_stale_or_inconsistent_agreement_save_in_the_admin_is_refused(client, administrator):
    agreement = _an_agreement(administrator)
    client.force_login(administrator)
    url = reverse("admin:iom_sharingagreement_change", args=[agreement.pk])
    backwards = client.post(url, _agreement_form(agreement, review_on="2025-12-31"))
    assert backwards.status_code == 200
    assert "The review date must be on or after the start date" in backwards.content.decode()
    stale = client.post(url, _agreement_form(agreement, name="Renamed", loaded=0))
    assert stale.status_code == 200
    assert "Someone else changed this agreement" in stale.content.decode()
    agreement.refresh_from_db()
    assert (agreement.name, agreement.version) == ("Housing agreement", 1)
    assert not AuditEvent.objects.filter(action=AuditAction.ALTERATION).exists()


def test_changing_a_user_in_the_admin_is_audited(client, administrator, officer):
    client.force_login(administrator)
    page = client.get(reverse("admin:iom_user_change", args=[officer.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("admin:iom_user_change", args=[officer.pk]),
        {
            "username": officer.username,
            "first_name": officer.first_name,
            "last_name": officer.last_name,
            "email": "",
            "agency": officer.agency.pk,
            "team": officer.team.pk,
            "role": officer.role,
            "job_title": "Detective Constable",
            "is_active": "on",
            "is_system_account": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    event = AuditEvent.objects.get(action=AuditAction.ALTERATION, object_id=str(officer.pk))
    assert "job_title" in event.description


# --- No personal data in the admin ----------------------------------------------------------


def _refers_to_a_person(model) -> bool:
    return (
        any(
            isinstance(field, models.ForeignKey | models.OneToOneField)
            and field.related_model is Nominal
            for field in model._meta.get_fields()
            if field.concrete
        )
        or model is Nominal
    )


def test_no_model_holding_a_persons_record_is_in_the_admin():
    registered = {model for model in admin.site._registry if _refers_to_a_person(model)}
    # The audit log is there, reduced to who did what to which object type and id.
    assert registered <= {AuditEvent}


@pytest.fixture
def person_everywhere(officer):
    """A person with a unique surname and PNC ID, in as many tables as the suite can reach,
    including audit events whose description and changes name them."""
    nominal = factories.CohortMembershipFactory(
        nominal__surname="Before", nominal__pnc_id=PNC_ID
    ).nominal
    factories.AliasFactory(nominal=nominal, surname=SURNAME)
    update_nominal(nominal.pk, by=officer, version=nominal.version, changes={"surname": SURNAME})
    factories.ReferralFactory(nominal=nominal, reasons=f"{SURNAME} burgled three houses")
    audit.record(
        audit.Actor(user=officer, path=f"/cohort/?q={SURNAME}"),
        AuditAction.SEARCH,
        description=f"Searched the cohort for {SURNAME!r} and {PNC_ID}",
    )
    return nominal


def _admin_urls(model) -> list[str]:
    info = (model._meta.app_label, model._meta.model_name)
    urls = [reverse("admin:{}_{}_changelist".format(*info))]
    for obj in model._default_manager.all()[:20]:
        for view in ("change", "history", "delete"):
            try:
                urls.append(reverse("admin:{}_{}_{}".format(*info, view), args=[obj.pk]))
            except NoReverseMatch:
                continue
    return urls


def test_a_superuser_finds_no_persons_name_or_identifier_in_the_admin(client, person_everywhere):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True, agency=None)
    client.force_login(superuser)
    pages = [reverse("admin:index")]
    for model in admin.site._registry:
        pages += _admin_urls(model)
    assert len(pages) > 20
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 302, 403), url
        body = response.content.decode()
        for secret in (SURNAME, SURNAME.upper(), PNC_ID):
            assert secret not in body, f"{secret} is shown on {url}"


def test_the_audit_log_in_the_admin_cannot_be_searched_for_a_persons_name(
    client, person_everywhere
):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True, agency=None)
    client.force_login(superuser)
    for term in (SURNAME, PNC_ID):
        response = client.get(reverse("admin:iom_auditevent_changelist"), {"q": term})
        assert response.context["cl"].result_count == 0


def test_the_audit_events_in_the_admin_say_who_did_what_to_which_object(client, officer):
    nominal = factories.NominalFactory()
    event = audit.record(officer, AuditAction.CONSULTATION, nominal, nominal=nominal)
    superuser = factories.UserFactory(is_superuser=True, is_staff=True, agency=None)
    client.force_login(superuser)
    body = client.get(reverse("admin:iom_auditevent_change", args=[event.pk])).content.decode()
    assert officer.username in body
    assert "cohorts.Nominal" in body and str(nominal.pk) in body
    assert nominal.surname not in body
    assert str(datetime.date.today().year) in body


def test_issuing_and_revoking_an_api_token_is_audited_and_the_key_never_listed(
    client, administrator
):
    from rest_framework.authtoken.models import Token

    system = factories.UserFactory(username="case-feed", is_system_account=True)
    person = factories.UserFactory(username="a-person")
    client.force_login(administrator)
    add = reverse("admin:iom_systemtoken_add")
    assert client.get(add).status_code == 200
    refused = client.post(add, {"user": person.pk})
    assert refused.status_code == 200 and not Token.objects.exists()
    response = client.post(add, {"user": system.pk}, follow=True)
    assert response.status_code == 200
    token = Token.objects.get(user=system)
    # Shown once, in the message after issuing; never in the list.
    assert token.key in response.content.decode()
    listing = client.get(reverse("admin:iom_systemtoken_changelist")).content.decode()
    assert str(system) in listing and token.key not in listing
    client.post(reverse("admin:iom_systemtoken_delete", args=[system.pk]), {"post": "yes"})
    assert not Token.objects.filter(user=system).exists()
    events = AuditEvent.objects.filter(object_type="iom.User", object_id=str(system.pk))
    assert {event.action for event in events} == {AuditAction.COLLECTION, AuditAction.ERASURE}
    assert not AuditEvent.objects.filter(description__contains=token.key).exists()
    assert not AuditEvent.objects.filter(object_id=token.key).exists()
    # Nor in what every administrator reads: the recent actions, a page's title.
    assert not LogEntry.objects.filter(object_repr__contains=token.key).exists()
    assert LogEntry.objects.filter(object_repr="API token of case-feed").exists()
