"""The service status page: for administrators and the IOM unit's managers."""

from django.urls import reverse

from iom.models import Role
from tests import factories


def test_an_officer_is_refused_the_status_page_not_sent_to_sign_in(client, officer):
    client.force_login(officer)
    response = client.get(reverse("status"))
    assert response.status_code == 403


def test_a_partner_manager_is_refused_the_status_page(client, db):
    client.force_login(factories.UserFactory(role=Role.MANAGER))
    assert client.get(reverse("status")).status_code == 403


def test_the_iom_manager_and_an_administrator_see_the_status_page(client, manager, db):
    client.force_login(manager)
    assert client.get(reverse("status")).status_code == 200
    client.force_login(factories.UserFactory(role=Role.ADMINISTRATOR, is_staff=True))
    assert client.get(reverse("status")).status_code == 200


def test_a_visitor_is_sent_to_sign_in(client, db):
    response = client.get(reverse("status"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
