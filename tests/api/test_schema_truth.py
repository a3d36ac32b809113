"""The schema says what the API really answers: the records whose fields once disagreed with
it, each read and checked against the schema, and the refusals every operation documents."""

import pytest
from django.urls import reverse

from . import openapi

schema = openapi.load()
RAW = openapi.raw_schema()
OPERATIONS = [
    (path, method.upper(), operation)
    for path, item in RAW["paths"].items()
    for method, operation in item.items()
]


@pytest.fixture
def as_officer(client, db, world):
    client.force_login(world["users"]["officer"])
    return client


def assert_conforms(response, template: str, method: str = "GET"):
    """The response is one the schema documents for the operation: its status, its content
    type and its body (which raises with the differences if not)."""
    documented = RAW["paths"][template][method.lower()]["responses"]
    assert str(response.status_code) in documented
    content_type = response["Content-Type"].split(";")[0]
    assert content_type in documented[str(response.status_code)].get("content", {})
    schema[template][method].validate_response(
        openapi.as_checked(response, method, response.request["PATH_INFO"])
    )


def test_curfew_times_are_the_times_of_day_the_schema_describes(as_officer, world):
    curfew = world["shared"]["curfew"]
    response = as_officer.get(reverse("control-measure-detail", kwargs={"pk": curfew.pk}))
    assert response.json()["curfew_from"] == "21:00:00"
    assert_conforms(response, "/api/control-measures/{id}/")


def test_a_licence_without_a_supervising_officer_conforms(as_officer, world):
    licence = world["shared"]["licence"]
    response = as_officer.get(reverse("licence-detail", kwargs={"pk": licence.pk}))
    assert response.json()["supervising_officer"] is None
    assert_conforms(response, "/api/licences/{id}/")


def test_a_referral_waiting_for_the_panel_has_no_membership_and_conforms(as_officer, world):
    referral = world["shared"]["referral"]
    response = as_officer.get(reverse("referral-detail", kwargs={"pk": referral.pk}))
    assert response.json()["membership"] is None
    assert_conforms(response, "/api/referrals/{id}/")


def test_a_recalls_checklist_is_the_steps_the_schema_describes(as_officer, world):
    recall = world["shared"]["recall"]
    response = as_officer.get(reverse("recall-detail", kwargs={"pk": recall.pk}))
    first, second = response.json()["checklist"][:2]
    assert (first["step"], first["seconds_since_start"]) == ("probation_contacted", 0.0)
    assert (second["at"], second["seconds_since_start"]) == (None, None)
    assert_conforms(response, "/api/recalls/{id}/")


def test_a_plans_actions_are_the_summary_the_schema_describes(as_officer, world):
    nominal = world["shared"]["nominal"]
    response = as_officer.get(reverse("pathway-person-detail", kwargs={"pk": nominal.pk}))
    actions = [a for p in response.json()["pathways"] for a in p.get("actions", [])]
    assert actions and "created_at" not in actions[0]
    assert_conforms(response, "/api/pathway-people/{id}/")


def test_a_pathway_action_conforms(as_officer, world):
    action = world["shared"]["pathway_action"]
    response = as_officer.get(reverse("pathway-action-detail", kwargs={"pk": action.pk}))
    assert response.json()["created_at"]
    assert_conforms(response, "/api/pathway-actions/{id}/")


def test_a_scheduled_report_has_no_requester_and_conforms(client, db, world):
    client.force_login(world["users"]["manager"])
    response = client.get(reverse("cohort-report-list"))
    assert {row["requested_by"] for row in response.json()["results"]} == {None}
    assert_conforms(response, "/api/cohort-reports/")


def test_the_dashboard_figures_are_one_object(client, db, world):
    client.force_login(world["users"]["manager"])
    response = client.get(reverse("report-figures-list"))
    assert isinstance(response.json(), dict)
    assert_conforms(response, "/api/report-figures/")


def test_a_requested_document_is_accepted_with_202_as_documented(as_officer, world):
    response = as_officer.post(
        reverse("document-list"),
        {"nominal": world["shared"]["nominal"].pk, "kind": "recall-pack"},
        content_type="application/json",
    )
    assert response.status_code == 202
    assert_conforms(response, "/api/documents/", "POST")


def test_a_reports_csv_is_answered_as_the_csv_the_schema_lists(client, db, world):
    client.force_login(world["users"]["manager"])
    report = world["reports"]["ready"]
    response = client.get(f"/api/cohort-reports/{report.pk}/download/csv/")
    assert response["Content-Type"].startswith("text/csv")
    assert_conforms(response, "/api/cohort-reports/{id}/download/{file_format}/")


def test_a_stale_update_answers_the_documented_409(as_officer, world):
    nominal = world["shared"]["nominal"]
    response = as_officer.patch(
        reverse("nominal-detail", kwargs={"pk": nominal.pk}),
        {"surname": "Later", "version": nominal.version - 1},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert_conforms(response, "/api/nominals/{id}/", "PATCH")


def test_a_referral_of_a_look_alike_answers_the_documented_409(as_officer, world):
    existing = world["unshared"]["nominal"]
    response = as_officer.post(
        reverse("referral-list"),
        {
            "new_person": {
                "first_names": existing.first_names,
                "surname": existing.surname,
                "date_of_birth": existing.date_of_birth.isoformat(),
            },
            "stream": "sac",
            "reasons": "Burglaries.",
            "proposed_lead_agency": existing.lead_agency_id,
        },
        content_type="application/json",
    )
    assert response.status_code == 409
    assert [match["id"] for match in response.json()["matches"]] == [existing.pk]
    assert_conforms(response, "/api/referrals/", "POST")


def test_a_refused_field_answers_the_documented_400(as_officer, world):
    response = as_officer.post(
        reverse("breach-list"), {"licence": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert {"licence", "occurred_on", "evidence"} <= set(response.json())
    assert_conforms(response, "/api/breaches/", "POST")


def test_an_id_the_router_cannot_match_is_a_json_404(as_officer):
    response = as_officer.get("/api/nominals/1.5/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert_conforms(response, "/api/nominals/{id}/")


def test_an_unknown_page_outside_the_api_is_still_the_sites_404_page(as_officer):
    response = as_officer.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("path", "method", "operation"), OPERATIONS, ids=[f"{m} {p}" for p, m, _ in OPERATIONS]
)
def test_every_operation_documents_its_refusals(path, method, operation):
    codes = set(operation["responses"])
    assert "403" in codes
    if "{" in path:
        assert "404" in codes
    if method in ("POST", "PATCH", "PUT"):
        assert "400" in codes
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    component = body.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1]
    request_fields = RAW["components"]["schemas"].get(component, {}).get("properties", {})
    component_schema = RAW["components"]["schemas"].get(component, {})
    if method in ("PATCH", "PUT") and "version" in request_fields:
        assert "409" in codes
    elif method == "POST" and "version" in component_schema.get("required", []):
        # An action on a record based on its version (a decision, a withdrawal).
        assert "409" in codes
    elif "409" in codes:
        # Only a conflict of the operation's own (a referral's possible duplicates).
        conflict = operation["responses"]["409"]["content"]["application/json"]["schema"]
        assert conflict != {"$ref": "#/components/schemas/StaleVersion"}


def test_the_refusals_have_one_documented_shape_each():
    components = RAW["components"]["schemas"]
    assert components["Error"]["required"] == ["detail"]
    assert {"detail", "current_version"} <= set(components["StaleVersion"]["properties"])
    assert components["BadRequest"]["oneOf"] == [
        {"$ref": "#/components/schemas/FieldErrors"},
        {"$ref": "#/components/schemas/Error"},
    ]
