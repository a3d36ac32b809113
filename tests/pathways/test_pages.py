"""The plan page, its forms, and what a partner worker may do and see on them."""

import datetime

import pytest
from django.urls import reverse

from iom.models import PathwaysCover
from pathways.models import PathwayAction
from tests import factories
from tests.pathways import factories as pf

pytestmark = pytest.mark.django_db


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_officer_sees_the_eight_pathways_and_the_timeline(client, officer, drugs):
    nominal = pf.member_shared_with(drugs)
    pf.action_on(nominal, "drugs-alcohol", drugs, description="Fast-track drug treatment referral")
    client.force_login(officer)
    body = client.get(reverse("pathways:plan", kwargs={"pk": nominal.pk})).content.decode()
    for label in ("Accommodation", "Education, Training &amp; Employment", "Victims"):
        assert label in body
    assert "moj-timeline" in body
    assert "Fast-track drug treatment referral" in body


def test_plan_page_of_a_person_without_a_plan_offers_to_start_one(client, officer):
    nominal = factories.members(1)[0]
    client.force_login(officer)
    url = reverse("pathways:plan", kwargs={"pk": nominal.pk})
    assert "Start the pathway plan" in client.get(url).content.decode()
    client.post(url)
    assert nominal.plan_pathways.count() == 8


def test_the_nominal_page_links_to_the_pathways_section(client, officer, shared_member):
    client.force_login(officer)
    body = client.get(reverse("cohorts:nominal", kwargs={"pk": shared_member.pk})).content
    assert reverse("pathways:plan", kwargs={"pk": shared_member.pk}).encode() in body


def test_viewing_the_plan_is_audited_as_a_consultation(client, officer, shared_member):
    from iom.models import AuditEvent

    client.force_login(officer)
    client.get(reverse("pathways:plan", kwargs={"pk": shared_member.pk}))
    assert (
        AuditEvent.objects.about(shared_member)
        .filter(action="consultation", description__contains="pathways")
        .exists()
    )


def _open_and_send_a_new_action(client, worker, nominal, pathway: str, description: str):
    """As ``worker``, open the form of a new action on ``pathway`` and send it: what the GET
    and the POST answered."""
    client.force_login(worker)
    url = reverse("pathways:action-new", kwargs={"pk": nominal.pk, "pathway": pathway})
    opened = client.get(url)
    sent = client.post(
        url,
        {
            "description": description,
            "agency": worker.agency_id,
            **_date("due_on", datetime.date(2026, 12, 3)),
        },
    )
    return opened.status_code, sent.status_code


def test_drug_worker_logs_a_treatment_appointment_on_drugs_and_alcohol(
    client, drug_worker, shared_member
):
    answered = _open_and_send_a_new_action(
        client,
        drug_worker,
        shared_member,
        "drugs-alcohol",
        "Treatment appointment with the key worker",
    )
    assert answered == (200, 302)
    action = PathwayAction.objects.get()
    assert (action.plan_pathway.pathway, action.agency) == ("drugs-alcohol", drug_worker.agency)


def test_drug_worker_cannot_open_or_post_an_accommodation_action(
    client, drug_worker, shared_member
):
    answered = _open_and_send_a_new_action(
        client, drug_worker, shared_member, "accommodation", "Housing application"
    )
    assert answered == (403, 403)
    assert not PathwayAction.objects.exists()


@pytest.mark.parametrize("url_name", ["pathways:pathway-edit", "pathways:review-new"])
def test_drug_worker_cannot_update_or_review_accommodation(
    client, drug_worker, shared_member, url_name
):
    client.force_login(drug_worker)
    url = reverse(url_name, kwargs={"pk": shared_member.pk, "pathway": "accommodation"})
    assert client.get(url).status_code == 403
    assert client.post(url, {"status": "open", "version": 1}).status_code == 403


def test_drug_worker_cannot_change_an_action_on_another_pathway(client, drug_worker, shared_member):
    housing = pf.housing_service()
    action = pf.action_on(shared_member, "accommodation", housing, description="Tenancy training")
    client.force_login(drug_worker)
    url = reverse("pathways:action-edit", kwargs={"pk": shared_member.pk, "action_id": action.pk})
    assert client.get(url).status_code == 403


def test_drug_worker_gets_not_found_for_a_person_not_shared_with_the_drug_service(
    client, drug_worker
):
    stranger = pf.member_shared_with(pf.housing_service())
    client.force_login(drug_worker)
    response = client.get(reverse("pathways:plan", kwargs={"pk": stranger.pk}))
    assert response.status_code == 404
    assert stranger.surname not in response.content.decode()


def test_summary_only_sharing_hides_aims_and_actions_of_other_pathways(
    client, drug_worker, shared_member, officer
):
    housing = pf.housing_service()
    pf.action_on(shared_member, "accommodation", housing, description="Tenancy training course")
    pf.action_on(shared_member, "drugs-alcohol", drug_worker.agency, description="Drug test")
    accommodation = pf.pathway_of(shared_member, "accommodation")
    accommodation.aims = "Secret housing aims"
    accommodation.need, accommodation.need_assessed_on = "high", datetime.date(2026, 11, 1)
    accommodation.save()
    client.force_login(drug_worker)
    body = client.get(reverse("pathways:plan", kwargs={"pk": shared_member.pk})).content.decode()
    assert "High need" in body
    assert "Drug test" in body
    assert "Secret housing aims" not in body
    assert "Tenancy training course" not in body


def test_full_sharing_shows_the_other_pathways(client, shared_member):
    drugs = pf.drug_service(sharing=PathwaysCover.FULL)
    worker = pf.worker_of(drugs)
    housing = pf.housing_service()
    pf.action_on(shared_member, "accommodation", housing, description="Tenancy training course")
    client.force_login(worker)
    body = client.get(reverse("pathways:plan", kwargs={"pk": shared_member.pk})).content.decode()
    assert "Tenancy training course" in body
    assert (
        reverse("pathways:action-new", kwargs={"pk": shared_member.pk, "pathway": "accommodation"})
        not in body
    )


def test_a_stale_action_edit_is_refused_on_the_page(client, officer, shared_member, drugs):
    action = pf.action_on(shared_member, "drugs-alcohol", drugs)
    client.force_login(officer)
    url = reverse("pathways:action-edit", kwargs={"pk": shared_member.pk, "action_id": action.pk})
    form = {
        "description": "Treatment appointment moved",
        "agency": drugs.pk,
        **_date("due_on", datetime.date(2026, 12, 5)),
        "version": 1,
    }
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "description": "Someone else's version"})
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    action.refresh_from_db()
    assert action.description == "Treatment appointment moved"


def test_officer_closes_a_pathway_with_a_reason(client, officer, shared_member):
    client.force_login(officer)
    url = reverse("pathways:pathway-edit", kwargs={"pk": shared_member.pk, "pathway": "victims"})
    assert client.get(url).status_code == 200
    response = client.post(url, {"status": "closed", "need": "none", "version": 1})
    assert response.status_code == 400
    assert "Give the reason for closing the pathway" in response.content.decode()
    response = client.post(
        url,
        {"status": "closed", "closing_reason": "No victims identified", "need": "none",
         "version": 1},
    )  # fmt: skip
    assert response.status_code == 302
    assert pf.pathway_of(shared_member, "victims").status == "closed"


def test_a_review_is_recorded_and_shown_on_the_timeline(client, officer, shared_member):
    client.force_login(officer)
    url = reverse("pathways:review-new", kwargs={"pk": shared_member.pk, "pathway": "finance"})
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            **_date("reviewed_on", datetime.date(2026, 11, 2)),
            "notes": "Debt advice appointment kept",
            **_date("next_review_date", datetime.date(2027, 1, 4)),
            "version": 1,
        },
    )
    assert response.status_code == 302
    body = client.get(reverse("pathways:plan", kwargs={"pk": shared_member.pk})).content.decode()
    assert "Debt advice appointment kept" in body
    assert "Finance, Debt &amp; Benefits reviewed" in body


def test_an_overdue_review_is_flagged_with_a_banner(client, officer, shared_member):
    pathway = pf.pathway_of(shared_member, "ete")
    pathway.review_date = datetime.date(2020, 1, 1)
    pathway.save()
    client.force_login(officer)
    body = client.get(reverse("pathways:plan", kwargs={"pk": shared_member.pk})).content.decode()
    assert "1 review overdue" in body
