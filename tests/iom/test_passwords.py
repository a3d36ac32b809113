"""Passwords: every signed-in user changes their own; an administrator issues a one-time,
expiring set-password link. Each is audited, and no password reaches the log."""

import re

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from iom import services
from iom.models import AuditAction, AuditEvent, Role
from tests import factories

NEW_PASSWORD = "a-much-longer-new-passphrase"


@pytest.fixture
def administrator(db):
    agency = factories.AgencyFactory(name="Demo Police")
    return services.create_user(
        username="admin.user", password=factories.PASSWORD, agency=agency, role=Role.ADMINISTRATOR
    )


def _no_password_in_the_log():
    text = str(list(AuditEvent.objects.values()))
    return NEW_PASSWORD not in text and factories.PASSWORD not in text


def test_a_signed_in_user_changes_their_password_and_stays_signed_in(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("password-change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert client.get(reverse("cohorts:list")).status_code == 200
    event = AuditEvent.objects.get(action=AuditAction.ALTERATION, object_id=str(officer.pk))
    assert event.object_type == "iom.User" and event.user == officer
    assert _no_password_in_the_log()


def test_a_wrong_current_password_is_refused_and_nothing_changes(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("password-change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "Your current password is wrong" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(factories.PASSWORD)


def test_a_short_new_password_is_refused_on_the_page(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("password-change"),
        {"old_password": factories.PASSWORD, "new_password1": "short1", "new_password2": "short1"},
    )
    assert response.status_code == 400
    assert "Password must be 12 characters or more" in response.content.decode()


def test_the_password_page_needs_a_signed_in_user(client, db):
    response = client.get(reverse("password-change"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_every_page_offers_the_password_change(client, officer):
    client.force_login(officer)
    assert reverse("password-change") in client.get(reverse("cohorts:list")).content.decode()


def _link(administrator, user) -> str:
    return services.issue_set_password_link(user, by=administrator)


def _set_password(client, link, password=NEW_PASSWORD):
    response = client.get(link)
    assert response.status_code == 302
    return client.post(response.url, {"new_password1": password, "new_password2": password})


def test_a_signed_out_user_sets_their_password_with_the_link(client, administrator, officer):
    link = _link(administrator, officer)
    response = _set_password(client, link)
    assert response.status_code == 302
    assert response.url == reverse("login")
    officer.refresh_from_db()
    assert officer.check_password(NEW_PASSWORD)
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(
        action=AuditAction.ALTERATION, user=officer, description__contains="link"
    ).exists()
    assert _no_password_in_the_log()


def test_issuing_a_link_is_audited(administrator, officer):
    _link(administrator, officer)
    event = AuditEvent.objects.get(action=AuditAction.ALTERATION, object_id=str(officer.pk))
    assert event.user == administrator
    assert "set-password link" in event.description


def test_a_used_link_is_refused_clearly(client, administrator, officer):
    link = _link(administrator, officer)
    _set_password(client, link)
    response = client.get(link)
    assert response.status_code == 400
    assert "This link cannot be used" in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN_FAILED, object_id=str(officer.pk)
    ).exists()


def test_an_expired_link_is_refused_clearly(client, administrator, officer, settings):
    link = _link(administrator, officer)
    # Any time at all after issue is now beyond the time-out.
    settings.PASSWORD_RESET_TIMEOUT = -1
    response = client.get(link)
    assert response.status_code == 400
    assert "has expired" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(factories.PASSWORD)


def test_links_expire_after_72_hours_by_default():
    from django.conf import settings

    assert settings.PASSWORD_RESET_TIMEOUT == 72 * 60 * 60


def test_setting_the_password_lifts_the_lock_out(client, administrator, officer):
    for _ in range(5):
        client.post(reverse("login"), {"username": officer.username, "password": "wrong"})
    assert AccessAttempt.objects.filter(username=officer.username).exists()
    _set_password(client, _link(administrator, officer))
    response = client.post(
        reverse("login"), {"username": officer.username, "password": NEW_PASSWORD}
    )
    assert response.status_code == 302


def test_only_an_administrator_issues_links(officer, manager):
    with pytest.raises(PermissionDenied):
        services.issue_set_password_link(officer, by=manager)


def test_an_administrator_cannot_issue_a_link_for_a_superuser(administrator, db):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True, agency=None)
    with pytest.raises(PermissionDenied):
        services.issue_set_password_link(superuser, by=administrator)


def test_the_admin_action_shows_the_link_once(client, administrator, officer):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:iom_user_changelist"),
        {"action": "issue_set_password_links", "_selected_action": [officer.pk]},
    )
    assert response.status_code == 200
    body = response.content.decode()
    link = re.search(r"https?://[^<\s]+/account/set-password/[^<\s]+", body).group(0)
    assert "no-store" in response.headers["Cache-Control"]
    assert _set_password(client, link.split("testserver", 1)[1]).status_code == 302
