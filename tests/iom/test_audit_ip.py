"""The audit log's address is where the request came from, not what the client claims."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from iom.audit import actor_from_request, client_ip
from iom.models import AuditAction, AuditEvent
from tests import factories


def _request(remote: str, forwarded: str | None = None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **headers)


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.IOM_TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(settings):
    settings.IOM_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


def test_through_a_trusted_proxy_the_client_is_the_right_most_untrusted_entry(settings):
    settings.IOM_TRUSTED_PROXIES = ["10.0.0.1", "10.0.0.2"]
    # The client wrote the first entry itself; the proxies appended the rest.
    request = _request("10.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.2")
    assert client_ip(request) == "198.51.100.7"


def test_a_trusted_network_may_be_named(settings):
    settings.IOM_TRUSTED_PROXIES = ["172.16.0.0/12"]
    assert client_ip(_request("172.18.0.5", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"


def test_a_trusted_proxy_without_a_header_is_itself_the_client(settings):
    settings.IOM_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(_request("10.0.0.1")) == "10.0.0.1"


def test_garbage_in_the_header_is_not_believed(settings):
    settings.IOM_TRUSTED_PROXIES = ["10.0.0.1"]
    assert client_ip(_request("10.0.0.1", "198.51.100.7, not-an-address")) == "10.0.0.1"


@pytest.mark.django_db
def test_the_actor_of_a_request_carries_the_client_address(settings):
    settings.IOM_TRUSTED_PROXIES = []
    request = _request("203.0.113.9", "198.51.100.1")
    request.user = factories.UserFactory()
    assert actor_from_request(request).ip_address == "203.0.113.9"


def test_a_forged_header_does_not_reach_the_audit_log(client, officer, settings):
    settings.IOM_TRUSTED_PROXIES = []
    client.post(
        reverse("login"),
        {"username": officer.username, "password": factories.PASSWORD},
        REMOTE_ADDR="203.0.113.9",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    event = AuditEvent.objects.get(action=AuditAction.SIGN_IN, user=officer)
    assert event.ip_address == "203.0.113.9"
