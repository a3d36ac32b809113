"""From emerging threats to the panel: the referral prefilled from the ranking, the open
referral shown instead of a second "Refer", the agenda's figures, and the decision with its
amendments, minutes and actions. Every refusal leaves nothing written."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cohorts.models import CohortMembership, Task, TaskKind
from cohorts.risk import services as risk_services
from iom.locking import StaleEditError
from iom.models import AgencyKind, AuditAction, AuditEvent
from referrals import prefill
from referrals.models import PanelDecision, ReferralStatus
from referrals.services import PanelAction, add_panel_action, decide_referral, record_minutes
from tests import factories
from tests.risk import factories as risk
from tests.sharing import agreement_for, share_with

TODAY = datetime.date.today()


@pytest.fixture
def police(db):
    return factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)


@pytest.fixture
def probation(db):
    return factories.AgencyFactory(name="Demo Probation", kind=AgencyKind.NPS)


@pytest.fixture
def housing(db):
    agency = factories.AgencyFactory(name="Demo Housing", kind=AgencyKind.HOUSING)
    agreement_for(agency)
    return agency


def _burglar(surname="Risingstar", count=3, code="28A", **kwargs):
    nominal = factories.NominalFactory(surname=surname, **kwargs)
    for n in range(count):
        risk.DetectedOffenceFactory(
            nominal=nominal,
            committed_on=TODAY - datetime.timedelta(days=10 + n),
            offence_type=risk.offence_type(code),
        )
    return nominal


# --- The referral, prefilled ------------------------------------------------------------------


def test_a_burglar_is_prefilled_as_sac_with_the_rankings_reasons_and_lead(officer, police):
    nominal = _burglar(lead_agency=police)
    risk_services.rerank(TODAY)
    filled = prefill.for_referral(officer, nominal)
    assert filled.stream == "sac" and filled.national_category == "fixed"
    assert filled.lead_agency == police
    assert "burglaries (dwelling) detected" in filled.reasons
    assert filled.reasons.startswith("Ranked ")
    assert filled.initial["proposed_lead_agency"] == police.pk


def test_business_robbery_counts_as_sac_and_assault_as_violence(officer):
    robber = _burglar("Robber", code="34A")  # category "other", OGRS3 category robbery
    violent = _burglar("Violent", code="8N")
    risk_services.rerank(TODAY)
    assert prefill.for_referral(officer, robber).stream == "sac"
    assert prefill.for_referral(officer, violent).stream == "violence"


def test_the_lead_agency_comes_from_the_last_membership_or_the_offender_manager(officer, probation):
    former = _burglar("Former", lead_agency=None)
    factories.CohortMembershipFactory(
        nominal=former,
        lead_agency=probation,
        status="exited",
        exited_on=TODAY,
        exit_reason="risk-reduced",
    )
    managed = _burglar("Managed", lead_agency=None)
    managed.offender_managers.add(factories.UserFactory(agency=probation))
    unknown = _burglar("Unknown", lead_agency=None)
    assert prefill.known_lead_agency(former) == probation
    assert prefill.known_lead_agency(managed) == probation
    assert prefill.known_lead_agency(unknown) is None


def test_a_partner_whose_agreement_leaves_out_risk_gets_no_reasons(db):
    nominal = _burglar()
    risk_services.rerank(TODAY)
    agency = factories.AgencyFactory(name="Demo Employment", kind=AgencyKind.HOUSING)
    agreement_for(agency, covers_risk=False)
    partner = factories.UserFactory(agency=agency)
    share_with(nominal, partner, agreement=False)
    filled = prefill.for_referral(partner, nominal)
    assert filled.reasons == "" and filled.assessment is None


def test_the_form_opened_from_emerging_threats_is_filled_in(client, officer, police):
    nominal = _burglar(lead_agency=police)
    risk_services.rerank(TODAY)
    client.force_login(officer)
    page = client.get(reverse("referrals:new"), {"nominal": nominal.pk}).content.decode()
    assert "filled in from the ranking" in page
    assert 'value="sac" checked' in page
    assert "burglaries (dwelling) detected" in page
    assert f'<option value="{police.pk}" selected>' in page


# --- Emerging threats: the open referral, not "Refer" -----------------------------------------


def test_people_with_an_open_referral_show_it_instead_of_refer(client, officer):
    referred = _burglar("Referred")
    deferred = _burglar("Deferred")
    fresh = _burglar("Fresh")
    open_referral = factories.ReferralFactory(nominal=referred)
    deferred_referral = factories.ReferralFactory(
        nominal=deferred, status="deferred", deferred_until=TODAY + datetime.timedelta(days=7)
    )
    factories.ReferralFactory(nominal=fresh, status="withdrawn")
    risk_services.rerank(TODAY)
    client.force_login(officer)
    page = client.get(reverse("cohorts:emerging-threats")).content.decode()
    assert reverse("referrals:detail", args=[open_referral.pk]) in page
    assert reverse("referrals:detail", args=[deferred_referral.pk]) in page
    assert "Awaiting panel" in page and "Deferred to" in page
    assert f"?nominal={referred.pk}" not in page
    assert f"?nominal={deferred.pk}" not in page
    assert f"?nominal={fresh.pk}" in page  # a withdrawn referral does not count


def test_emerging_threats_with_referrals_cost_the_same_for_3_and_30_people(client, officer):
    client.force_login(officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("cohorts:emerging-threats")).status_code == 200
        return len(captured)

    for n in range(3):
        factories.ReferralFactory(nominal=_burglar(f"Small{n}"))
    risk_services.rerank(TODAY)
    queries()
    small = queries()
    for n in range(27):
        factories.ReferralFactory(nominal=_burglar(f"Large{n}"))
    risk_services.rerank(TODAY)
    assert queries() == small


def test_a_partner_sees_only_referrals_of_people_shared_with_them(client, housing):
    shared = _burglar("Shared")
    factories.ReferralFactory(nominal=shared)
    risk_services.rerank(TODAY)
    partner = factories.UserFactory(agency=housing)
    outsider = factories.UserFactory(
        agency=factories.AgencyFactory(name="Other Housing", kind=AgencyKind.HOUSING)
    )
    agreement_for(outsider.agency)
    share_with(shared, partner)
    client.force_login(partner)
    assert "Shared" in client.get(reverse("cohorts:emerging-threats")).content.decode()
    client.force_login(outsider)
    page = client.get(reverse("cohorts:emerging-threats")).content.decode()
    assert "Shared" not in page and "/referrals/" not in page.split("<main")[-1]


# --- The agenda -------------------------------------------------------------------------------


def test_the_agenda_shows_band_score_ogrs3_recent_offending_and_reasons(client, officer):
    nominal = _burglar("Agenda", count=4)
    risk.ArrestFactory(nominal=nominal, arrested_on=TODAY - datetime.timedelta(days=5))
    risk.DetectedOffenceFactory(nominal=nominal, committed_on=TODAY - datetime.timedelta(days=500))
    risk_services.rerank(TODAY)
    referral = factories.ReferralFactory(nominal=nominal, reasons="Burgles every weekend")
    meeting = factories.PanelMeetingFactory(chair=officer)
    client.force_login(officer)
    page = client.get(reverse("referrals:panel", args=[meeting.pk])).content.decode()
    agenda = page.split('id="agenda"')[1].split("Now deciding")[0]
    assessment = nominal.risk_assessments.get()
    assert assessment.get_band_display() in agenda
    assert str(assessment.score) in agenda
    assert "4 offences detected" in agenda and "1 arrest" in agenda
    assert "Burgles every weekend" in agenda
    assert referral.reference in agenda


def test_the_agenda_costs_the_same_with_3_and_30_ranked_referrals(client, officer):
    meeting = factories.PanelMeetingFactory(chair=officer)
    client.force_login(officer)
    url = reverse("referrals:panel", args=[meeting.pk])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for n in range(3):
        factories.ReferralFactory(nominal=_burglar(f"Small{n}"))
    risk_services.rerank(TODAY)
    queries()
    small = queries()
    for n in range(27):
        factories.ReferralFactory(nominal=_burglar(f"Large{n}"))
    risk_services.rerank(TODAY)
    assert queries() == small


# --- The decision: amendments, minutes and actions --------------------------------------------


@pytest.fixture
def referral(db, police):
    return factories.ReferralFactory(
        nominal=_burglar("Decided"), stream="ppo", referring_agency=police
    )


@pytest.fixture
def meeting(officer):
    return factories.PanelMeetingFactory(chair=officer)


def test_the_chair_accepts_on_another_stream_and_lead_and_both_are_kept(
    officer, referral, meeting, probation
):
    factories.case_team_of(probation)  # its case-holding team
    agreement_for(probation)
    decision = decide_referral(
        referral.pk,
        meeting=meeting,
        by=officer,
        version=referral.version,
        decision="accept",
        stream="sac",
        lead_agency=probation,
        amendment_reason="On licence to probation; burglary is the pattern",
        minutes="Discussed the recent burglaries.",
    )
    assert (decision.proposed_stream, decision.stream) == ("ppo", "sac")
    assert decision.proposed_lead_agency == referral.proposed_lead_agency
    assert decision.lead_agency == probation and decision.amended
    assert decision.minutes == "Discussed the recent burglaries."
    membership = CohortMembership.objects.get(nominal=referral.nominal)
    assert (membership.stream, membership.lead_agency) == ("sac", probation)
    event = AuditEvent.objects.filter(object_type="referrals.Referral").latest("id")
    assert event.changes == {
        "stream": ["ppo", "sac"],
        "lead_agency": ["Demo Police", str(probation)],
    }
    assert "amended" in event.description and event.reason.startswith("On licence")
    # The probation case team now sees the person: the lead agency decided, not proposed.
    prob_user = factories.UserFactory(agency=probation)
    assert referral.nominal in type(referral.nominal).objects.visible_to(prob_user)


def test_an_amendment_without_a_reason_is_refused_and_nothing_is_written(
    officer, referral, meeting
):
    with pytest.raises(ValidationError) as refused:
        decide_referral(
            referral.pk,
            meeting=meeting,
            by=officer,
            version=referral.version,
            decision="accept",
            stream="sac",
        )
    assert "amendment_reason" in refused.value.message_dict
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN and referral.version == 1
    assert not CohortMembership.objects.exists() and not PanelDecision.objects.exists()


def test_actions_become_tasks_for_their_owner_with_a_date(officer, referral, meeting, housing):
    owner = factories.UserFactory(agency=housing)
    due = TODAY + datetime.timedelta(days=14)
    decision = decide_referral(
        referral.pk,
        meeting=meeting,
        by=officer,
        version=referral.version,
        decision="accept",
        share_with=[owner.team],
        actions=[PanelAction(title="Find a tenancy", assignee=owner, due_on=due)],
    )
    task = Task.objects.get()
    assert (task.kind, task.assignee, task.due_on) == (TaskKind.PANEL_ACTION, owner, due)
    assert task.owner_team == owner.team and task.nominal == referral.nominal
    assert task.source == decision
    assert AuditEvent.objects.filter(object_type="cohorts.Task", action=AuditAction.COLLECTION)


def test_an_action_for_someone_who_cannot_see_the_person_undoes_the_whole_decision(
    officer, referral, meeting, housing
):
    owner = factories.UserFactory(agency=housing)  # the record is not shared with them
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        decide_referral(
            referral.pk,
            meeting=meeting,
            by=officer,
            version=referral.version,
            decision="accept",
            minutes="Accepted.",
            actions=[PanelAction(title="Find a tenancy", assignee=owner, due_on=TODAY)],
        )
    assert "cannot see" in str(refused.value)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OPEN
    assert not CohortMembership.objects.exists()
    assert not PanelDecision.objects.exists() and not Task.objects.exists()
    assert AuditEvent.objects.count() == events


def test_an_action_about_the_meeting_and_refusals(officer, meeting, housing, outsider):
    owner = factories.UserFactory(agency=housing)
    task = add_panel_action(
        meeting.pk,
        by=officer,
        action=PanelAction(title="Invite housing to the next panel", assignee=owner, due_on=TODAY),
    )
    assert task.nominal is None and task.source == meeting
    with pytest.raises(PermissionDenied):
        add_panel_action(
            meeting.pk,
            by=outsider,
            action=PanelAction(title="Sneak", assignee=outsider, due_on=TODAY),
        )
    with pytest.raises(ValidationError):
        add_panel_action(
            meeting.pk,
            by=officer,
            action=PanelAction(
                title="Too late", assignee=owner, due_on=meeting.held_on - datetime.timedelta(1)
            ),
        )
    assert Task.objects.count() == 1


def test_the_minutes_are_audited_and_a_stale_edit_is_refused(officer, meeting, outsider):
    record_minutes(meeting.pk, by=officer, version=meeting.version, minutes="First draft")
    with pytest.raises(StaleEditError):
        record_minutes(meeting.pk, by=officer, version=meeting.version, minutes="Overwrite")
    with pytest.raises(PermissionDenied):
        record_minutes(meeting.pk, by=outsider, version=meeting.version + 1, minutes="No")
    meeting.refresh_from_db()
    assert meeting.minutes == "First draft" and meeting.version == 2
    event = AuditEvent.objects.filter(object_type="referrals.PanelMeeting").latest("id")
    assert event.changes == {"minutes": ["", "First draft"]}


# --- The pages ---------------------------------------------------------------------------------


def test_the_panel_page_amends_records_minutes_and_an_action_and_my_work_shows_it(
    client, officer, referral, meeting, probation
):
    client.force_login(officer)
    due = TODAY + datetime.timedelta(days=7)
    response = client.post(
        reverse("referrals:panel", args=[meeting.pk]),
        {
            "referral": referral.pk,
            "version": referral.version,
            "decision": "accept",
            "stream": "sac",
            "lead_agency": probation.pk,
            "amendment_reason": "Probation holds the licence",
            "minutes": "Agreed to take him on.",
            "action_title": "Arrange a joint home visit",
            "action_owner": officer.pk,
            "action_due_on_day": due.day,
            "action_due_on_month": due.month,
            "action_due_on_year": due.year,
        },
    )
    assert response.status_code == 302
    decision = PanelDecision.objects.get()
    assert decision.stream == "sac" and decision.lead_agency == probation
    page = client.get(reverse("referrals:panel", args=[meeting.pk])).content.decode()
    assert "Amended: Serious Acquisitive Crime, not Prolific and Priority Offender" in page
    assert "Arrange a joint home visit" in page
    response = client.post(
        reverse("referrals:panel-minutes", args=[meeting.pk]),
        {"meeting-minutes": "Two referrals discussed.", "meeting-version": meeting.version},
    )
    assert response.status_code == 302
    stale = client.post(
        reverse("referrals:panel-minutes", args=[meeting.pk]),
        {"meeting-minutes": "Overwrite", "meeting-version": meeting.version},
    )
    assert stale.status_code == 400 and "Someone else changed" in stale.content.decode()
    work = client.get(reverse("reports:my-work")).content.decode()
    assert "Arrange a joint home visit" in work and due.strftime("%-d %b %Y") in work


def test_a_half_filled_action_is_refused_by_the_form(client, officer, referral, meeting):
    client.force_login(officer)
    response = client.post(
        reverse("referrals:panel", args=[meeting.pk]),
        {
            "referral": referral.pk,
            "version": referral.version,
            "decision": "accept",
            "action_title": "Something",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Select who owns the action" in body and "Give the date the action is due" in body
    assert not PanelDecision.objects.exists()


def test_the_panel_pages_are_refused_to_another_agency(client, outsider, meeting, referral):
    share_with(referral.nominal, outsider)
    client.force_login(outsider)
    assert client.get(reverse("referrals:panel", args=[meeting.pk])).status_code == 403
    minutes = client.post(
        reverse("referrals:panel-minutes", args=[meeting.pk]),
        {"meeting-minutes": "x", "meeting-version": 1},
    )
    action = client.post(
        reverse("referrals:panel-action", args=[meeting.pk]),
        {"action-action_title": "x", "action-action_owner": outsider.pk},
    )
    assert minutes.status_code == 403 and action.status_code == 403
    meeting.refresh_from_db()
    assert meeting.minutes == "" and not Task.objects.exists()
