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
