"""The nominals API: filtered, audited, version-checked."""

from django.urls import reverse

from iom.models import AuditAction, AuditEvent
from tests import factories
from tests.sharing import share_with


def test_api_lists_only_shared_nominals_and_logs_each_as_a_disclosure(client, outsider, officer):
    shared, _unshared = factories.NominalFactory.create_batch(2)
    share_with(shared, outsider, by=officer)
    client.force_login(outsider)
    response = client.get(reverse("nominal-list"))
    assert [row["id"] for row in response.json()["results"]] == [shared.pk]
    event = AuditEvent.objects.get(action=AuditAction.DISCLOSURE, user=outsider)
    assert (event.person_id, event.disclosure_format) == (shared.pk, "json")
    assert outsider.username in event.recipient


def test_api_update_with_a_stale_version_is_refused_with_409(client, officer, nominal):
    client.force_login(officer)
    url = reverse("nominal-detail", kwargs={"pk": nominal.pk})
    first = client.patch(
        url, {"surname": "First", "version": nominal.version}, content_type="application/json"
    )
    assert first.status_code == 200
    assert first.json()["version"] == nominal.version + 1
    stale = client.patch(
        url, {"surname": "Second", "version": nominal.version}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert "Someone else changed this record" in stale.json()["detail"]
    nominal.refresh_from_db()
    assert nominal.surname == "First"


def test_api_update_without_a_version_is_refused(client, officer, nominal):
    client.force_login(officer)
    response = client.patch(
        reverse("nominal-detail", kwargs={"pk": nominal.pk}),
        {"surname": "Nover"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "version" in response.json()


def test_api_names_each_bad_field_and_writes_nothing(client, officer, nominal):
    client.force_login(officer)
    response = client.patch(
        reverse("nominal-detail", kwargs={"pk": nominal.pk}),
        {"surname": "Changed", "crn": "bad", "prison_number": "1234", "version": nominal.version},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"crn", "prison_number"} <= set(response.json())
    nominal.refresh_from_db()
    assert nominal.surname != "Changed"


def test_partner_cannot_update_a_nominal_shared_for_viewing(client, outsider, officer, nominal):
    share_with(nominal, outsider, by=officer)
    client.force_login(outsider)
    response = client.patch(
        reverse("nominal-detail", kwargs={"pk": nominal.pk}),
        {"surname": "Changed", "version": nominal.version},
        content_type="application/json",
    )
    assert response.status_code == 404


def test_openapi_schema_describes_the_nominals_api(client, officer):
    client.force_login(officer)
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/nominals/" in paths
    assert "409" in paths["/api/nominals/{id}/"]["patch"]["responses"]
