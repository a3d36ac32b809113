"""Signing in: audited, locked after repeated failures, sessions that expire."""

from django.conf import settings
from django.urls import reverse

from iom.models import AuditAction, AuditEvent
from tests import factories


def test_signing_in_is_audited(client, officer):
    response = client.post(
        reverse("login"), {"username": officer.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action=AuditAction.SIGN_IN, user=officer).exists()


def test_sign_in_locks_out_after_repeated_failures(client, officer):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": officer.username, "password": "wrong"})
    response = client.post(
        reverse("login"), {"username": officer.username, "password": factories.PASSWORD}
    )
    assert response.status_code == 429 or response.status_code == 403
    assert "locked" in response.content.decode().lower()
    assert "_auth_user_id" not in client.session


def test_sessions_expire_when_idle_and_at_browser_close():
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_short_passwords_are_refused():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password("short1")
    except ValidationError as error:
        assert "Password must be 12 characters or more" in error.messages
    else:
        raise AssertionError("A six-character password was accepted.")


def test_admin_is_for_staff_only(client, officer):
    client.force_login(officer)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response.url


def test_administrator_reaches_the_admin(client, db):
    admin = factories.UserFactory(role="admin", is_staff=True)
    client.force_login(admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Site administration" in response.content.decode()


def test_only_managers_are_offered_the_reports(client, officer, manager):
    client.force_login(officer)
    assert 'href="/reports/"' not in client.get("/cohort/").content.decode()
    client.force_login(manager)
    assert 'href="/reports/"' in client.get("/cohort/").content.decode()


def test_a_username_longer_than_any_account_is_refused_as_a_wrong_sign_in(client, db):
    response = client.post(reverse("login"), {"username": "x" * 3000, "password": "whatever"})
    assert response.status_code == 200
    assert "Username must be 150 characters or fewer" in response.content.decode()
