"""Withdrawing a referral, in the browser and the API: its referrer's team or the IOM unit,
with a reason, and never a decided one."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from iom.models import AuditAction, AuditEvent
from referrals.models import ReferralStatus
from referrals.services import withdraw_referral
from tests import factories
from tests.sharing import share_with


@pytest.fixture
def referral(db):
    referral = factories.ReferralFactory()
    share_with(referral.nominal, referral.referred_by)
    return referral


def test_the_referrer_withdraws_in_the_browser_with_a_reason(client, referral):
    client.force_login(referral.referred_by)
    url = reverse("referrals:detail", args=[referral.pk])
    response = client.post(url, {"reason": "Moved out of the area", "version": referral.version})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN
    event = AuditEvent.objects.filter(object_type="referrals.Referral").order_by("-id").first()
    assert event.action == AuditAction.ALTERATION and "Moved out of the area" in event.description


def test_withdrawing_without_a_reason_names_it_and_changes_nothing(client, referral):
    client.force_login(referral.referred_by)
    response = client.post(
        reverse("referrals:detail", args=[referral.pk]), {"version": referral.version}
    )
    assert response.status_code == 400
    assert "Enter why the referral is withdrawn" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN


def test_the_iom_unit_withdraws_through_the_api_and_a_stale_version_is_409(
    client, officer, referral
):
    client.force_login(officer)
    url = reverse("referral-withdraw", args=[referral.pk])
    stale = client.post(url, {"reason": "Duplicate", "version": referral.version + 1})
    assert stale.status_code == 409
    done = client.post(url, {"reason": "Duplicate", "version": referral.version})
    assert done.status_code == 200
    assert done.json()["status"] == ReferralStatus.WITHDRAWN
    again = client.post(url, {"reason": "Duplicate", "version": referral.version + 1})
    assert again.status_code == 400


def test_another_partner_who_sees_the_person_cannot_withdraw(client, outsider, referral):
    share_with(referral.nominal, outsider)
    with pytest.raises(PermissionDenied):
        withdraw_referral(referral.pk, by=outsider, version=referral.version, reason="No")
    client.force_login(outsider)
    url = reverse("referral-withdraw", args=[referral.pk])
    response = client.post(url, {"reason": "No", "version": referral.version})
    assert response.status_code in (403, 404)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Withdraw the referral" not in page


def test_a_colleague_of_the_referrers_team_withdraws_and_the_reason_is_shown(client, referral):
    colleague = factories.UserFactory(
        agency=referral.referred_by.agency, team=referral.referred_by.team
    )
    share_with(referral.nominal, colleague)
    client.force_login(colleague)
    url = reverse("referrals:detail", args=[referral.pk])
    response = client.post(url, {"reason": "Sentenced to six years", "version": referral.version})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Withdrawn" in page and "Sentenced to six years" in page
    referral.refresh_from_db()
    assert referral.withdrawal_reason == "Sentenced to six years"


def test_a_stale_withdrawal_in_the_browser_says_so_and_changes_nothing(client, referral):
    client.force_login(referral.referred_by)
    url = reverse("referrals:detail", args=[referral.pk])
    response = client.post(url, {"reason": "Moved away", "version": referral.version + 1})
    assert response.status_code == 400
    assert "Someone else changed this record" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN


def test_an_api_client_reads_the_version_then_withdraws(client, referral):
    client.force_login(referral.referred_by)
    read = client.get(reverse("referral-detail", args=[referral.pk])).json()
    assert read["version"] == referral.version and read["withdrawal_reason"] == ""
    done = client.post(
        reverse("referral-withdraw", args=[referral.pk]),
        {"reason": "Duplicate of another referral", "version": read["version"]},
        content_type="application/json",
    )
    assert done.status_code == 200
    body = done.json()
    assert body["status"] == ReferralStatus.WITHDRAWN
    assert body["withdrawal_reason"] == "Duplicate of another referral"
    assert body["version"] == read["version"] + 1


def test_a_withdrawn_referral_leaves_the_panel_agenda(client, officer, referral):
    meeting = factories.PanelMeetingFactory(chair=officer)
    withdraw_referral(referral.pk, by=officer, version=referral.version, reason="Duplicate")
    client.force_login(officer)
    page = client.get(reverse("referrals:panel", args=[meeting.pk])).content.decode()
    assert referral.reference not in page
