"""The pathways API: a partner's system lists its people with their plans and records actions
on its own pathways; everything else is refused with the right status and nothing written."""

import pytest
from django.urls import reverse

from iom.models import AuditEvent
from pathways.models import PathwayAction
from tests.pathways import factories as pf

pytestmark = pytest.mark.django_db

ACTIONS = reverse("pathway-action-list")


def _action(nominal, pathway="drugs-alcohol", **extra):
    return {
        "nominal": nominal.pk,
        "pathway": pathway,
        "description": "Treatment appointment",
        "due_on": "2026-12-03",
        **extra,
    }


def test_drug_service_lists_only_the_people_shared_with_it(client, drug_worker, shared_member):
    stranger = pf.member_shared_with(pf.housing_service(), nominal__surname="Outlander")
    client.force_login(drug_worker)
    body = client.get(reverse("pathway-person-list")).json()
    surnames = [person["surname"] for person in body["results"]]
    assert surnames == [shared_member.surname]
    assert stranger.surname not in str(body)


def test_the_people_list_is_logged_as_a_disclosure(client, drug_worker, shared_member):
    client.force_login(drug_worker)
    client.get(reverse("pathway-person-list"))
    assert AuditEvent.objects.about(shared_member).filter(action="disclosure").exists()


def test_summary_only_sharing_hides_aims_and_actions_of_other_pathways_in_the_api(
    client, drug_worker, shared_member
):
    housing = pf.housing_service()
    pf.action_on(shared_member, "accommodation", housing, description="Tenancy training course")
    pf.action_on(shared_member, "drugs-alcohol", drug_worker.agency, description="Drug test")
    accommodation = pf.pathway_of(shared_member, "accommodation")
    accommodation.aims = "Secret housing aims"
    accommodation.save()
    client.force_login(drug_worker)
    person = client.get(reverse("pathway-person-detail", kwargs={"pk": shared_member.pk})).json()
    pathways = {row["pathway"]: row for row in person["pathways"]}
    assert set(pathways["accommodation"]) == {"pathway", "label", "need", "status", "detail"}
    assert pathways["accommodation"]["detail"] is False
    assert [a["description"] for a in pathways["drugs-alcohol"]["actions"]] == ["Drug test"]
    text = str(person)
    assert "Secret housing aims" not in text
    assert "Tenancy training course" not in text
    listed = client.get(ACTIONS).json()
    assert [a["description"] for a in listed["results"]] == ["Drug test"]


def test_drug_worker_creates_a_treatment_appointment_through_the_api(
    client, drug_worker, shared_member
):
    client.force_login(drug_worker)
    response = client.post(ACTIONS, _action(shared_member), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["agency"] == drug_worker.agency_id
    assert PathwayAction.objects.get().plan_pathway.pathway == "drugs-alcohol"


def test_the_api_refuses_an_accommodation_action_from_the_drug_service(
    client, drug_worker, shared_member
):
    client.force_login(drug_worker)
    response = client.post(
        ACTIONS, _action(shared_member, "accommodation"), content_type="application/json"
    )
    assert response.status_code == 403
    assert not PathwayAction.objects.exists()


def test_a_person_not_shared_is_a_bad_nominal_and_nothing_is_written(client, drug_worker):
    stranger = pf.member_shared_with(pf.housing_service())
    client.force_login(drug_worker)
    response = client.post(ACTIONS, _action(stranger), content_type="application/json")
    assert response.status_code == 400
    assert "nominal" in response.json()
    assert not PathwayAction.objects.exists()


def test_a_bad_payload_names_each_bad_field_and_writes_nothing(client, drug_worker, shared_member):
    client.force_login(drug_worker)
    response = client.post(
        ACTIONS,
        {"nominal": shared_member.pk, "pathway": "gardening", "due_on": "31/02/2026"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert {"pathway", "due_on", "description"} <= set(response.json())
    assert not PathwayAction.objects.exists()


def test_a_rule_broken_in_the_service_names_the_field(client, drug_worker, shared_member):
    client.force_login(drug_worker)
    response = client.post(
        ACTIONS, _action(shared_member, outcome="Attended"), content_type="application/json"
    )
    assert response.status_code == 400
    assert "done_on" in response.json()
    assert not PathwayAction.objects.exists()


def test_a_stale_version_gets_409_and_keeps_the_stored_action(client, drug_worker, shared_member):
    action = pf.action_on(shared_member, "drugs-alcohol", drug_worker.agency)
    client.force_login(drug_worker)
    url = reverse("pathway-action-detail", kwargs={"pk": action.pk})
    first = client.patch(
        url, {"outcome": "Attended", "done_on": "2026-11-20", "version": 1},
        content_type="application/json",
    )  # fmt: skip
    assert first.status_code == 200, first.content
    stale = client.patch(
        url, {"outcome": "Did not attend", "version": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    action.refresh_from_db()
    assert action.outcome == "Attended"


def test_a_patch_without_a_version_is_refused(client, drug_worker, shared_member):
    action = pf.action_on(shared_member, "drugs-alcohol", drug_worker.agency)
    client.force_login(drug_worker)
    url = reverse("pathway-action-detail", kwargs={"pk": action.pk})
    response = client.patch(url, {"outcome": "x"}, content_type="application/json")
    assert response.status_code == 400
    assert "version" in response.json()


def test_the_drug_worker_cannot_patch_an_accommodation_action(client, drug_worker, shared_member):
    from iom.models import PathwaysCover

    drugs = pf.drug_service(sharing=PathwaysCover.FULL)
    worker = pf.worker_of(drugs)
    action = pf.action_on(shared_member, "accommodation", pf.housing_service())
    client.force_login(worker)
    url = reverse("pathway-action-detail", kwargs={"pk": action.pk})
    response = client.patch(url, {"outcome": "x", "version": 1}, content_type="application/json")
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.version == 1


def test_the_schema_documents_the_pathway_endpoints(client, officer):
    client.force_login(officer)
    schema = client.get(reverse("api-schema")).content.decode()
    assert "/api/pathway-people/" in schema
    assert "/api/pathway-actions/{id}/" in schema
