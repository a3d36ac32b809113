"""My work: every user's open actions and reviews due, grouped overdue / this week / later."""

import datetime

import pytest
from django.urls import reverse

from cohorts.services import set_offender_managers
from tests import factories
from tests.pathways import factories as pf

pytestmark = pytest.mark.django_db


def _overdue_review(nominal, kind, agency, *, worker=None, on=datetime.date(2020, 3, 2)):
    pathway = pf.pathway_of(nominal, kind)
    pathway.contact_agency, pathway.contact_worker, pathway.review_date = agency, worker, on
    pathway.save()
    return pathway


def test_drug_worker_sees_their_overdue_reviews_on_my_work(client, drug_worker, shared_member):
    _overdue_review(shared_member, "drugs-alcohol", drug_worker.agency, worker=drug_worker)
    client.force_login(drug_worker)
    response = client.get(reverse("reports:my-work"))
    body = response.content.decode()
    assert response.status_code == 200
    overdue = body.split('id="overdue"')[1].split('id="this-week"')[0]
    assert "Quillfeather" in overdue
    assert "Drugs &amp; Alcohol" in overdue


def test_my_work_leaves_out_people_not_shared_with_the_workers_agency(client, drug_worker, drugs):
    stranger = pf.member_shared_with(pf.housing_service(), nominal__surname="Outlander")
    _overdue_review(stranger, "drugs-alcohol", drugs)
    client.force_login(drug_worker)
    assert "Outlander" not in client.get(reverse("reports:my-work")).content.decode()


def test_my_work_leaves_out_reviews_of_pathways_the_agency_does_not_deliver(
    client, drug_worker, shared_member, drugs
):
    _overdue_review(shared_member, "accommodation", drugs)
    client.force_login(drug_worker)
    assert "Quillfeather" not in client.get(reverse("reports:my-work")).content.decode()


def test_my_work_lists_open_actions_assigned_to_the_user(client, drug_worker, shared_member):
    pf.action_on(
        shared_member,
        "drugs-alcohol",
        drug_worker.agency,
        assigned_to=drug_worker,
        description="Drug test at the hub",
        due_on=datetime.date(2020, 5, 1),
    )
    pf.action_on(
        shared_member,
        "drugs-alcohol",
        drug_worker.agency,
        assigned_to=drug_worker,
        description="Already done",
        due_on=datetime.date(2020, 5, 1),
        done_on=datetime.date(2020, 5, 1),
    )
    client.force_login(drug_worker)
    body = client.get(reverse("reports:my-work")).content.decode()
    assert "Drug test at the hub" in body
    assert "Already done" not in body


def test_offender_manager_sees_reviews_of_everyone_they_manage(client, officer, shared_member):
    set_offender_managers(shared_member, users=[officer], by=None)
    _overdue_review(shared_member, "victims", None)
    client.force_login(officer)
    assert "Quillfeather" in client.get(reverse("reports:my-work")).content.decode()


def test_officer_of_the_unit_does_not_get_the_whole_cohorts_reviews(client, officer, drugs):
    nominal = pf.member_shared_with(drugs, nominal__surname="Elsewhere")
    _overdue_review(nominal, "victims", None)
    client.force_login(officer)
    assert "Elsewhere" not in client.get(reverse("reports:my-work")).content.decode()


def test_my_work_is_first_in_the_service_navigation(client, officer):
    client.force_login(officer)
    body = client.get(reverse("cohorts:list")).content.decode()
    navigation = body.split('id="navigation"')[1]
    assert navigation.index("My work") < navigation.index("Cohort")


def test_listing_people_on_my_work_is_audited(client, drug_worker, shared_member):
    from iom.models import AuditEvent

    _overdue_review(shared_member, "drugs-alcohol", drug_worker.agency, worker=drug_worker)
    client.force_login(drug_worker)
    client.get(reverse("reports:my-work"))
    assert (
        AuditEvent.objects.about(shared_member)
        .filter(action="consultation", user=drug_worker)
        .exists()
    )


def test_a_user_with_nothing_due_is_told_so(client):
    client.force_login(factories.UserFactory())
    assert "Nothing is overdue or due" in client.get(reverse("reports:my-work")).content.decode()
