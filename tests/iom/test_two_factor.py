"""Two-factor sign-in: a code from an authenticator app after the password."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from iom.models import AuditAction, AuditEvent
from tests import factories
from tests.sharing import share_with


def _sign_in(client, user):
    response = client.post(
        reverse("login"), {"username": user.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def enrolled(officer):
    return TOTPDevice.objects.create(user=officer, name="App", confirmed=True)


def test_a_user_with_an_authenticator_must_enter_a_code(client, officer, enrolled):
    _sign_in(client, officer)
    response = client.get(reverse("cohorts:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa-verify"))
    response = client.post(reverse("mfa-verify"), {"code": _code(enrolled), "next": "/cohort/"})
    assert response.url == "/cohort/"
    assert client.get(reverse("cohorts:list")).status_code == 200


def test_a_wrong_code_is_refused_and_audited(client, officer, enrolled):
    _sign_in(client, officer)
    response = client.post(reverse("mfa-verify"), {"code": "000000"})
    assert response.status_code == 400
    assert "wrong or has expired" in response.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN_FAILED, user=officer).exists()
    assert client.get(reverse("cohorts:list")).status_code == 302


def test_the_api_refuses_an_unverified_session(client, officer, enrolled):
    _sign_in(client, officer)
    assert client.get(reverse("nominal-list")).status_code == 403


def test_where_required_a_user_without_an_authenticator_must_set_one_up(client, officer, settings):
    settings.IOM_REQUIRE_MFA = True
    _sign_in(client, officer)
    response = client.get(reverse("cohorts:list"))
    assert response.url.startswith(reverse("mfa-setup"))
    page = client.get(reverse("mfa-setup"))
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=officer, confirmed=False)
    client.post(reverse("mfa-setup"), {"code": _code(device)})
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("cohorts:list")).status_code == 200


def test_without_the_requirement_a_user_without_an_authenticator_goes_straight_in(client, officer):
    _sign_in(client, officer)
    response = client.get(reverse("cohorts:list"))
    assert response.status_code == 200
    assert response.context["user"] == officer


def test_a_stolen_password_alone_cannot_replace_the_authenticator(client, officer, enrolled):
    _sign_in(client, officer)
    response = client.get(reverse("mfa-setup"))
    assert response.url.startswith(reverse("mfa-verify"))


def test_an_agency_system_reads_the_api_with_its_token(client, outsider):
    outsider.is_system_account = True
    outsider.save()
    token = Token.objects.create(user=outsider)
    shared, hidden = factories.NominalFactory.create_batch(2)
    share_with(shared, outsider, by=factories.IomOfficerFactory())
    response = client.get(reverse("nominal-list"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    assert shared.pk in ids and hidden.pk not in ids


def test_a_token_of_a_person_is_refused_with_a_clear_message(client, officer):
    token = Token.objects.create(user=officer)
    response = client.get(reverse("nominal-list"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code in (401, 403)
    assert "only for system accounts" in response.json()["detail"]


def _verified(client, officer, device) -> None:
    _sign_in(client, officer)
    response = client.post(reverse("mfa-verify"), {"code": _code(device), "next": "/cohort/"})
    assert response.url == "/cohort/"


def test_a_verified_session_reads_its_authenticator_with_the_user_alone(client, officer, enrolled):
    _verified(client, officer, enrolled)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("password-change")).status_code == 200
    device_reads = [
        query["sql"]
        for query in queries
        if query["sql"].startswith('SELECT "otp_totp_totpdevice".')
    ]
    assert device_reads == [], "the authenticator was read again on its own"


def test_a_session_verified_with_a_removed_authenticator_must_verify_again(
    client, officer, enrolled
):
    _verified(client, officer, enrolled)
    replacement = TOTPDevice.objects.create(user=officer, name="New phone", confirmed=True)
    enrolled.delete()  # an administrator reset it; the user set up another
    response = client.get(reverse("cohorts:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("mfa-verify"))
    _verified(client, officer, replacement)
    assert client.get(reverse("cohorts:list")).status_code == 200


def test_a_session_verified_with_an_unconfirmed_or_other_users_device_is_not_verified(
    client, officer, enrolled
):
    _verified(client, officer, enrolled)
    other = TOTPDevice.objects.create(user=factories.UserFactory(), name="App", confirmed=True)
    for device in (other, TOTPDevice.objects.create(user=officer, name="New", confirmed=False)):
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        response = client.get(reverse("cohorts:list"))
        assert response.status_code == 302, device
        assert response.url.startswith(reverse("mfa-verify"))
