"""Configuration changed in the admin site goes through audited services, old and new values
kept: the cohort cap, the recall thresholds, the risk model, agencies and teams."""

import json

import pytest
from django.urls import reverse

from cohorts.controls.models import ControlsConfiguration
from cohorts.models import CohortConfiguration
from cohorts.risk.models import RiskModelVersion
from iom import services
from iom.models import AgencyKind, AuditAction, AuditEvent, Role
from tests import factories


@pytest.fixture
def administrator(db):
    agency = factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)
    return services.create_user(
        username="admin", password=factories.PASSWORD, agency=agency, role=Role.ADMINISTRATOR
    )


def _last_change(model):
    return AuditEvent.objects.filter(object_type=model._meta.label).order_by("-id").first()


def test_changing_the_cohort_cap_is_audited_with_old_and_new(client, administrator):
    configuration = CohortConfiguration.current()
    old_cap = configuration.cap
    client.force_login(administrator)
    url = reverse("admin:cohorts_cohortconfiguration_change", args=[configuration.pk])
    response = client.post(url, {"cap": old_cap + 40})
    assert response.status_code == 302
    event = _last_change(CohortConfiguration)
    assert event.action == AuditAction.ALTERATION
    assert event.changes == {"cap": [old_cap, old_cap + 40]}
    assert event.user == administrator


def test_recall_thresholds_change_through_the_service_which_refuses_zero(client, administrator):
    configuration = ControlsConfiguration.current()
    client.force_login(administrator)
    url = reverse("admin:controls_controlsconfiguration_change", args=[configuration.pk])
    client.post(url, {"class_a_positive_threshold": 4, "missed_test_threshold": 2})
    event = _last_change(ControlsConfiguration)
    assert event.description == "Changed the recall thresholds"
    assert event.changes["class_a_positive_threshold"][1] == 4


def test_a_new_risk_model_version_is_audited_and_never_overwrites_one(client, administrator):
    current = RiskModelVersion.objects.order_by("-number").first()
    client.force_login(administrator)
    url = reverse("admin:risk_riskmodelversion_change", args=[current.pk])
    response = client.post(
        url, {"parameters": json.dumps(current.parameters), "notes": "Same again"}
    )
    assert response.status_code == 302
    newest = RiskModelVersion.objects.order_by("-number").first()
    assert newest.number == current.number + 1
    assert RiskModelVersion.objects.get(pk=current.pk).notes == current.notes
    assert (
        _last_change(RiskModelVersion).description
        == f"Stored version {newest.number} of the risk model"
    )


def test_renaming_an_agency_is_audited(client, administrator):
    agency = factories.AgencyFactory(name="Old name", kind=AgencyKind.HOUSING)
    client.force_login(administrator)
    url = reverse("admin:iom_agency_change", args=[agency.pk])
    client.post(url, {"name": "New name", "kind": AgencyKind.HOUSING})
    assert _last_change(type(agency)).changes == {"name": ["Old name", "New name"]}
