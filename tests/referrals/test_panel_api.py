"""The panel through the API: the agenda, the minutes, actions and decisions with their
amendments, as the pages do, and nothing of it for a user of another agency."""

import datetime

import pytest
from django.urls import reverse

from cohorts.models import CohortMembership, Task
from iom.models import AgencyKind, AuditAction, AuditEvent
from referrals.models import PanelDecision, ReferralStatus
from tests import factories
from tests.sharing import agreement_for, share_with

TODAY = datetime.date.today()


@pytest.fixture
def probation(db):
    agency = factories.AgencyFactory(name="Demo Probation", kind=AgencyKind.NPS)
    agreement_for(agency)
    return agency


@pytest.fixture
def meeting(officer):
    return factories.PanelMeetingFactory(chair=officer)


@pytest.fixture
def referral(db):
    return factories.ReferralFactory(stream="ppo", reasons="Six burglaries since May")


def _json(client, method, url, data=None):
    return getattr(client, method)(url, data, content_type="application/json")


def test_the_agenda_lists_each_referral_with_its_figures(client, officer, meeting, referral):
    client.force_login(officer)
    response = client.get(reverse("panel-meeting-agenda", args=[meeting.pk]))
    assert response.status_code == 200
    (item,) = response.json()
    assert item["referral"] == referral.pk and item["reasons"] == "Six burglaries since May"
    assert item["proposed_stream"] == "ppo"
    for key in ("band", "score", "ogrs3_band", "offences_last_12_months", "arrests_last_12_months"):
        assert key in item
    assert AuditEvent.objects.about(referral.nominal).filter(action=AuditAction.DISCLOSURE).exists()


def test_a_decision_through_the_api_amends_and_records_an_action(
    client, officer, meeting, referral, probation
):
    client.force_login(officer)
    due = (TODAY + datetime.timedelta(days=3)).isoformat()
    response = _json(
        client,
        "post",
        reverse("panel-decision-list"),
        {
            "referral": referral.pk,
            "meeting": meeting.pk,
            "version": referral.version,
            "decision": "accept",
            "stream": "sac",
            "lead_agency": probation.pk,
            "amendment_reason": "Probation holds the licence",
            "minutes_text": "Accepted on SAC.",
            "actions": [{"title": "Home visit", "assignee": officer.pk, "due_on": due}],
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["proposed_stream"], body["stream"]) == ("ppo", "sac")
    assert body["lead_agency"] == probation.pk and body["amended"] is True
    assert body["minutes"] == "Accepted on SAC."
    assert CohortMembership.objects.get(nominal=referral.nominal).stream == "sac"
    task = Task.objects.get()
    assert task.assignee == officer and task.due_on.isoformat() == due
    actions = client.get(reverse("panel-meeting-actions", args=[meeting.pk])).json()
    assert [a["title"] for a in actions] == ["Home visit"]


def test_an_amendment_without_a_reason_is_a_400_and_a_stale_version_a_409(
    client, officer, meeting, referral
):
    client.force_login(officer)
    payload = {
        "referral": referral.pk,
        "meeting": meeting.pk,
        "version": referral.version,
        "decision": "accept",
        "stream": "sac",
    }
    refused = _json(client, "post", reverse("panel-decision-list"), payload)
    assert refused.status_code == 400 and "amendment_reason" in refused.json()
    stale = _json(
        client,
        "post",
        reverse("panel-decision-list"),
        {**payload, "version": referral.version + 1, "amendment_reason": "Why"},
    )
    assert stale.status_code == 409 and stale.json()["current_version"] == referral.version
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN and not PanelDecision.objects.exists()


def test_minutes_through_the_api_refuse_a_stale_version(client, officer, meeting):
    client.force_login(officer)
    url = reverse("panel-meeting-minutes", args=[meeting.pk])
    done = _json(client, "post", url, {"minutes": "Draft", "version": meeting.version})
    assert done.status_code == 200 and done.json()["version"] == meeting.version + 1
    stale = _json(client, "post", url, {"minutes": "Other", "version": meeting.version})
    assert stale.status_code == 409
    meeting.refresh_from_db()
    assert meeting.minutes == "Draft"


def test_an_action_about_the_meeting_through_the_api(client, officer, meeting):
    client.force_login(officer)
    response = _json(
        client,
        "post",
        reverse("panel-meeting-actions", args=[meeting.pk]),
        {"title": "Invite housing", "assignee": officer.pk, "due_on": TODAY.isoformat()},
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "panel-action"


def test_another_agency_reaches_none_of_the_panel(client, outsider, meeting, referral):
    decision = factories.PanelDecisionFactory(referral=referral, meeting=meeting)
    client.force_login(outsider)
    for url in (
        reverse("panel-meeting-list"),
        reverse("panel-meeting-detail", args=[meeting.pk]),
        reverse("panel-meeting-agenda", args=[meeting.pk]),
        reverse("panel-meeting-actions", args=[meeting.pk]),
    ):
        assert client.get(url).status_code == 403, url
    minutes = _json(
        client, "post", reverse("panel-meeting-minutes", args=[meeting.pk]), {"minutes": "x"}
    )
    assert minutes.status_code == 403
    assert client.get(reverse("panel-decision-list")).json()["results"] == []
    assert client.get(reverse("panel-decision-detail", args=[decision.pk])).status_code == 404
    create = _json(
        client,
        "post",
        reverse("panel-decision-list"),
        {"referral": referral.pk, "meeting": meeting.pk, "version": 1, "decision": "reject"},
    )
    assert create.status_code == 403
    meeting.refresh_from_db()
    assert meeting.minutes == "" and PanelDecision.objects.count() == 1


def test_a_partner_who_sees_the_person_reads_the_decision_but_not_its_minutes(
    client, outsider, meeting, referral
):
    decision = factories.PanelDecisionFactory(
        referral=referral, meeting=meeting, minutes="Said in the room"
    )
    share_with(referral.nominal, outsider)
    client.force_login(outsider)
    body = client.get(reverse("panel-decision-detail", args=[decision.pk])).json()
    assert body["decision"] == "accept" and body["minutes"] is None
    assert "Said in the room" not in str(body)
    assert (
        _json(
            client,
            "post",
            reverse("panel-decision-list"),
            {"referral": referral.pk, "meeting": meeting.pk, "version": 1, "decision": "reject"},
        ).status_code
        == 403
    )


def test_the_panel_endpoints_are_in_the_openapi_schema(client, officer):
    client.force_login(officer)
    schema = client.get(reverse("api-schema"), {"format": "json"}).content.decode()
    for path in (
        "/api/panel-meetings/{id}/agenda/",
        "/api/panel-meetings/{id}/minutes/",
        "/api/panel-meetings/{id}/actions/",
        "/api/panel-decisions/",
        "/api/referrals/{id}/withdraw/",
    ):
        assert path in schema, path
    assert "amendment_reason" in schema and "withdrawal_reason" in schema
