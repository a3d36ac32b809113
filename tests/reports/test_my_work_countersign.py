"""My work asks the managers of the IOM unit to countersign the recall decisions waiting for
it: not the manager who made the decision, not an officer, not a manager of another agency,
and only on people whose record they may change."""

import pytest
from django.urls import reverse

from cohorts.controls import services as controls_services
from cohorts.controls.models import Recall
from iom.models import AgencyKind, Role
from tests import factories
from tests.controls.factories import controls_case
from tests.sharing import share_with

pytestmark = pytest.mark.django_db
URL = reverse("reports:my-work")


def _decided(by) -> Recall:
    nominal = factories.members(1)[0]
    recall = controls_case(nominal, by)["recall"]
    return controls_services.record_recall_decision(
        recall.pk, by=by, version=recall.version, grounds="both", recall_type="fixed-term",
        rationale="Risk has risen", chosen=[],
    )  # fmt: skip


def _rows(client, query: str = "") -> str:
    return client.get(URL + query).content.decode()


def test_a_manager_of_the_iom_unit_is_asked_to_countersign_with_a_link(client, officer, manager):
    recall = _decided(officer)
    client.force_login(manager)
    body = _rows(client)
    link = reverse("cohorts:controls-recall", args=[recall.nominal_id, recall.pk])
    assert "Countersign the recall decision" in body
    assert f'href="{link}"' in body
    assert f"Fixed-term recall, decided by {officer}" in body
    assert recall.nominal.surname in body
    # Filtered by its kind, it is all there is.
    only = _rows(client, "?kind=countersign")
    assert "Countersign the recall decision" in only
    assert "Recall decisions to countersign" in only  # the filter's choice


def test_the_manager_who_decided_is_not_asked(client, manager):
    _decided(manager)
    client.force_login(manager)
    assert "Countersign the recall decision" not in _rows(client)


def test_an_officer_is_not_asked(client, officer):
    _decided(factories.ManagerFactory())
    client.force_login(officer)
    assert "Countersign the recall decision" not in _rows(client)


def test_a_manager_of_another_agency_is_not_asked_even_when_shared(client, officer):
    recall = _decided(officer)
    probation = factories.AgencyFactory(name="Demoford Probation", kind=AgencyKind.NPS)
    other_manager = factories.UserFactory(agency=probation, role=Role.MANAGER)
    share_with(recall.nominal, other_manager, by=officer)
    client.force_login(other_manager)
    body = _rows(client)
    assert "Countersign the recall decision" not in body
    assert recall.nominal.surname not in body


def test_a_countersigned_decision_leaves_my_work(client, officer, manager):
    recall = _decided(officer)
    controls_services.countersign_recall_decision(
        recall.pk, by=manager, version=recall.version, rationale="Agreed"
    )
    client.force_login(manager)
    assert "Countersign the recall decision" not in _rows(client)
