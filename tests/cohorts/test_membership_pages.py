"""The cohort part of a person's record: engagement, status and exit, as officers use them."""

import datetime

from django.urls import reverse

from cohorts.models import CohortMembership, Engagement
from tests import factories

TODAY = datetime.date.today()


def _date(prefix: str, day: datetime.date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def test_summary_shows_membership_engagement_and_approach(client, officer):
    from cohorts.services import record_engagement

    nominal = factories.members(1, stream="ppo")[0]
    record_engagement(nominal, by=officer, status="declined", note="Refused drug referral")
    client.force_login(officer)
    body = client.get(reverse("cohorts:nominal", kwargs={"pk": nominal.pk})).content.decode()
    assert "Prolific and Priority Offender" in body
    assert "Declined" in body
    assert "Control and enforcement" in body
    assert "Refused drug referral" in body


def test_recording_engagement_from_the_page(client, officer):
    nominal = factories.members(1)[0]
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:engagement", kwargs={"pk": nominal.pk}),
        {"status": "engaged", "note": "Attended first appointment", **_date("on", TODAY)},
    )
    assert response.status_code == 302
    assert Engagement.objects.get(nominal=nominal).status == "engaged"


def test_engagement_in_the_future_is_refused(client, officer):
    nominal = factories.members(1)[0]
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:engagement", kwargs={"pk": nominal.pk}),
        {"status": "engaged", **_date("on", TODAY + datetime.timedelta(days=3))},
    )
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert not Engagement.objects.exists()


def test_exiting_from_the_page_keeps_the_history(client, officer):
    nominal = factories.members(1)[0]
    membership = nominal.memberships.get()
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:membership", kwargs={"pk": nominal.pk}),
        {
            "exit": "1",
            "exit-version": membership.version,
            "exit-exit_reason": "risk-reduced",
            "exit-exit_details": "",
            **_date("exit-exited_on", TODAY),
        },
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.status, membership.exit_reason) == ("exited", "risk-reduced")
    body = client.get(reverse("cohorts:nominal", kwargs={"pk": nominal.pk})).content.decode()
    assert "Membership history" in body
    assert "Risk reduced" in body


def test_a_stale_status_change_is_refused(client, officer):
    nominal = factories.members(1)[0]
    membership = nominal.memberships.get()
    client.force_login(officer)
    url = reverse("cohorts:membership", kwargs={"pk": nominal.pk})
    form = {"status": "1", "status-version": membership.version, "status-status": "custody"}
    assert client.post(url, form).status_code == 302
    response = client.post(url, {**form, "status-status": "devolved"})
    assert response.status_code == 400
    assert "Someone else changed this record" in response.content.decode()
    assert CohortMembership.objects.get().status == "custody"


def test_a_partner_with_view_access_cannot_record_engagement(client, outsider, officer):
    from tests.sharing import share_with

    nominal = factories.members(1)[0]
    share_with(nominal, outsider, by=officer)
    client.force_login(outsider)
    url = reverse("cohorts:engagement", kwargs={"pk": nominal.pk})
    assert client.post(url, {"status": "engaged", **_date("on", TODAY)}).status_code == 404
    assert not Engagement.objects.exists()
