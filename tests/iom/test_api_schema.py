"""The OpenAPI schema and the API docs are for signed-in users only."""

from django.urls import reverse


def test_the_schema_is_refused_to_an_anonymous_client(client, db):
    response = client.get(reverse("api-schema"))
    assert response.status_code in (401, 403)
    assert "/api/nominals/" not in response.content.decode()


def test_the_docs_send_an_anonymous_visitor_to_sign_in(client, db):
    response = client.get(reverse("api-docs"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_docs_script_is_refused_to_an_anonymous_visitor(client, db):
    response = client.get(reverse("api-docs"), {"p": ""})
    assert response.status_code == 302


def test_a_signed_in_user_reads_the_schema_and_the_docs(client, officer):
    client.force_login(officer)
    assert "/api/nominals/" in client.get(reverse("api-schema")).content.decode()
    assert client.get(reverse("api-docs")).status_code == 200
