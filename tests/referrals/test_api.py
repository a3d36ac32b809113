"""The referrals and memberships API: same rules as the pages."""

import datetime

from django.urls import reverse

from iom.models import AgencyKind, AuditAction, AuditEvent
from referrals.models import Referral
from tests import factories
from tests.sharing import share_with


def _payload(lead, **extra) -> dict:
    return {"stream": "sac", "reasons": "Six burglaries", "proposed_lead_agency": lead.pk, **extra}


def test_an_agency_system_refers_a_new_person(client, outsider):
    lead = factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)
    client.force_login(outsider)
    response = client.post(
        reverse("referral-list"),
        _payload(
            lead,
            new_person={"first_names": "Api", "surname": "Person", "date_of_birth": "1990-01-02"},
        ),
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["reference"].startswith("R")
    assert body["referring_agency"] == outsider.agency.name


def test_a_look_alike_gets_409_with_the_matches_the_client_may_see(client, officer):
    lead = factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)
    existing = factories.NominalFactory(surname="Person", date_of_birth=datetime.date(1990, 1, 2))
    client.force_login(officer)
    response = client.post(
        reverse("referral-list"),
        _payload(
            lead,
            new_person={"first_names": "Api", "surname": "Person", "date_of_birth": "1990-01-02"},
        ),
        content_type="application/json",
    )
    assert response.status_code == 409
    assert [match["id"] for match in response.json()["matches"]] == [existing.pk]
    assert "matches_you_cannot_see" not in response.json()
    assert Referral.objects.count() == 0


def test_a_bad_payload_names_each_bad_field_and_writes_nothing(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("referral-list"),
        {"stream": "burglary", "reasons": "", "proposed_lead_agency": 999},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"stream", "reasons", "proposed_lead_agency"} <= set(response.json())
    assert Referral.objects.count() == 0


def test_a_client_cannot_refer_someone_it_cannot_see(client, outsider):
    lead = factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)
    hidden = factories.NominalFactory()
    client.force_login(outsider)
    response = client.post(
        reverse("referral-list"), _payload(lead, nominal=hidden.pk), content_type="application/json"
    )
    assert response.status_code == 400
    assert "nominal" in response.json()


def test_memberships_list_only_shared_people_and_is_audited(client, outsider, officer):
    shared, _hidden = factories.members(2)
    share_with(shared, outsider, by=officer)
    client.force_login(outsider)
    results = client.get(reverse("membership-list")).json()["results"]
    assert [row["nominal"] for row in results] == [shared.pk]
    assert (
        AuditEvent.objects.about(shared)
        .filter(action=AuditAction.DISCLOSURE, user=outsider)
        .exists()
    )
