"""The referrals queue and the panel page cost the same whatever the queue's length."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories


def _queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["referrals:list", "referral-list"])
def test_referral_lists_cost_the_same_with_10_and_100_referrals(client, officer, url_name):
    client.force_login(officer)
    factories.ReferralFactory.create_batch(10)
    small = _queries_for(client, reverse(url_name))
    factories.ReferralFactory.create_batch(90)
    large = _queries_for(client, reverse(url_name))
    assert small == large


def test_panel_page_costs_the_same_with_10_and_50_referrals_queued(client, officer):
    meeting = factories.PanelMeetingFactory()
    client.force_login(officer)
    factories.ReferralFactory.create_batch(10)
    url = reverse("referrals:panel", kwargs={"pk": meeting.pk})
    _queries_for(client, url)  # the first request fills the content-type cache
    small = _queries_for(client, url)
    # 50, not 100: the agenda logs a consultation of each person listed in one INSERT, which
    # SQLite splits beyond its limit of 999 bound parameters (about 55 audit rows).
    factories.ReferralFactory.create_batch(40)
    large = _queries_for(client, url)
    assert small == large
