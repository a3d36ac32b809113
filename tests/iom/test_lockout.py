"""Lock-out after repeated failures: per username whatever the address, and per address
whatever the username."""

from django.conf import settings
from django.urls import reverse

from tests import factories


def _sign_in(client, username, password, address):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


def _is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_guessing_one_password_from_many_addresses_locks_the_account(client, officer):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, officer.username, f"guess-{attempt}", f"198.51.100.{attempt + 1}")
    response = _sign_in(client, officer.username, factories.PASSWORD, "203.0.113.50")
    assert response.status_code == 429
    assert not _is_signed_in(client)


def test_trying_many_usernames_from_one_address_locks_the_address(client, officer):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, f"someone{attempt}", "Summer2024!", "198.51.100.20")
    response = _sign_in(client, officer.username, factories.PASSWORD, "198.51.100.20")
    assert response.status_code == 429
    assert not _is_signed_in(client)


def test_the_locked_address_does_not_lock_out_others(client, officer):
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, f"someone{attempt}", "Summer2024!", "198.51.100.20")
    response = _sign_in(client, officer.username, factories.PASSWORD, "203.0.113.50")
    assert response.status_code == 302
    assert _is_signed_in(client)


def test_failures_below_the_limit_do_not_lock(client, officer):
    for attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _sign_in(client, officer.username, f"guess-{attempt}", f"198.51.100.{attempt + 1}")
    response = _sign_in(client, officer.username, factories.PASSWORD, "203.0.113.50")
    assert response.status_code == 302


def test_behind_a_trusted_proxy_the_lock_is_on_the_client_not_the_proxy(client, officer, settings):
    settings.IOM_TRUSTED_PROXIES = ["10.0.0.1"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": f"someone{attempt}", "password": "Summer2024!"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="198.51.100.20",
        )
    response = client.post(
        reverse("login"),
        {"username": officer.username, "password": factories.PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.50",
    )
    assert response.status_code == 302
