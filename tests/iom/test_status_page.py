"""The service status page: administrators and IOM managers only."""

from django.urls import reverse


def test_the_status_page_answers_403_to_an_officer_instead_of_looping(client, officer):
    client.force_login(officer)
    response = client.get(reverse("status"))
    assert response.status_code == 403
    assert "for administrators and IOM managers" in response.content.decode()
