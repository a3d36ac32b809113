"""The demo seed builds a believable area for the day it runs, and a second run (on any later
day) changes nothing."""

import datetime
import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from cohorts.contacts.models import Contact
from cohorts.controls import services as controls_services
from cohorts.controls.models import Recall, RecallStatus, RecallType, Sanction, SanctionLevel
from cohorts.identifiers import (
    validate_crn,
    validate_cro_number,
    validate_pnc_id,
    validate_prison_number,
)
from cohorts.models import (
    Alias,
    CohortConfiguration,
    CohortMembership,
    Engagement,
    EngagementStatus,
    ExitReason,
    MembershipStatus,
    NeighbourhoodPolicingArea,
    Nominal,
    NominalGroupObjectPermission,
    NominalUserObjectPermission,
)
from cohorts.models.membership import OPEN_STATUSES
from iom import access, demo
from iom.models import Agency, AgencyKind, AuditAction, AuditEvent, Role, Team, User
from pathways import dates as pathway_dates
from pathways import queries as pathway_queries
from pathways.models import PathwayAction, PathwayPlan
from referrals import demo as referral_demo
from referrals import queries as referral_queries
from referrals.models import (
    Decision,
    PanelDecision,
    PanelMeeting,
    Referral,
    ReferralStatus,
)
from referrals.queries import in_queue
from reports.services import not_recalled_exists
from tests.demo_checks import assert_believable

# The day the module's area is seeded for: the machine's today, whatever it is.
TODAY = timezone.localdate()

VALIDATORS = {
    "pnc_id": validate_pnc_id,
    "cro_number": validate_cro_number,
    "crn": validate_crn,
    "prison_number": validate_prison_number,
}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, no_color=True)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            Agency,
            Team,
            User,
            NeighbourhoodPolicingArea,
            Nominal,
            Alias,
            Nominal.offender_managers.through,
            NominalUserObjectPermission,
            NominalGroupObjectPermission,
            AuditEvent,
            CohortConfiguration,
            CohortMembership,
            Engagement,
            PanelMeeting,
            PanelMeeting.attending_agencies.through,
            Referral,
            PanelDecision,
            Contact,
            Contact.attendees.through,
            PathwayPlan,
            PathwayAction,
        )
    }


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    """The demo's photographs go through the storage API: into one folder for the module."""
    return tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def media_in_a_temporary_folder(settings, demo_media):
    settings.MEDIA_ROOT = demo_media


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker, demo_media):
    """Seed once for the whole module, in a transaction rolled back at its end; each test
    runs inside its own savepoint, so what one test writes the next does not see."""
    # A fast hasher: the seed hashes the demo password once, and that is most of its time.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    media = override_settings(MEDIA_ROOT=demo_media)
    with django_db_blocker.unblock(), fast, media, transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def test_builds_the_area(seeded):
    assert Nominal.objects.count() == 300
    assert NeighbourhoodPolicingArea.objects.filter(area="city").count() == 10
    assert NeighbourhoodPolicingArea.objects.filter(area="county").count() == 10
    assert set(Agency.objects.values_list("kind", flat=True)) == set(AgencyKind.values)
    assert Team.objects.filter(is_iom_unit=True).count() >= 2
    assert 18 <= User.objects.count() <= 25
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.get(username="admin").is_staff
    managers = User.objects.filter(role=Role.MANAGER)
    assert [u.username for u in managers if u.is_iom_manager] == [
        "manager.police",
        "manager.probation",
    ]
    assert managers.filter(team__is_iom_unit=False).exists()  # a partner manager


def test_cohort_looks_like_a_real_one(seeded):
    nominals = list(Nominal.objects.select_related("lead_agency"))
    male = sum(n.gender == "male" for n in nominals)
    assert 0.85 <= male / 300 <= 0.95
    ages = [n.age_on(TODAY) for n in nominals]
    assert min(ages) >= 18 and max(ages) <= 60
    assert sum(20 <= a <= 40 for a in ages) / 300 > 0.7
    leads = Counter(n.lead_agency.kind for n in nominals)
    assert leads == {"nps": 141, "crc": 116, "police": 43}
    assert all(n.offender_managers.exists() for n in nominals[:20])
    assert 60 <= Alias.objects.values("nominal").distinct().count() <= 120


def test_every_identifier_is_valid_and_unique(seeded):
    for field, validator in VALIDATORS.items():
        values = [v for v in Nominal.objects.values_list(field, flat=True) if v]
        for value in values:
            validator(value)
        assert len(values) == len(set(values)), field
    assert Nominal.objects.filter(pnc_id__isnull=True).count() == 0
    assert Nominal.objects.filter(crn__isnull=False).count() > 240
    assert 90 <= Nominal.objects.filter(prison_number__isnull=False).count() <= 150
    assert 150 <= Nominal.objects.filter(cro_number__isnull=False).count() <= 210


def test_the_demo_is_believable_today(seeded):
    assert_believable(TODAY)


def test_second_run_changes_nothing(seeded):
    before = counts()
    output = seed()
    assert counts() == before
    assert "already seeded" in output


def test_a_run_on_a_later_day_changes_nothing(seeded):
    before = counts()
    later = TODAY + datetime.timedelta(days=45)
    out = io.StringIO()
    call_command("seed_demo", today=later, stdout=out, no_color=True)
    assert counts() == before
    assert "already seeded" in out.getvalue()


def test_one_collection_event_per_created_row(seeded):
    events = AuditEvent.objects.filter(username=demo.SEED_USERNAME)
    for model in (
        Nominal, CohortMembership, Engagement, Referral, PanelDecision, PanelMeeting, Contact,
    ):  # fmt: skip
        of_model = events.filter(object_type=model._meta.label)
        assert of_model.count() == model.objects.count(), model.__name__
        assert set(of_model.values_list("action", flat=True)) == {AuditAction.COLLECTION}
    people = events.filter(object_type=Nominal._meta.label)
    assert people.filter(subject_id__isnull=False).count() == 300
    history = events.filter(object_type=CohortMembership._meta.label)
    assert all(event.object_id and event.person_id for event in history[:20])


def test_partners_see_a_shared_subset(seeded):
    officer = User.objects.get(username="officer.police")
    drugs = User.objects.get(username="drugs.worker")
    sees = Nominal.objects.visible_to(drugs).count()
    assert Nominal.objects.visible_to(officer).count() == 300
    assert 80 <= sees <= 120
    assert Nominal.objects.visible_to(User.objects.get(username="admin")).count() == 0


def test_offender_managers_may_change_their_cases(seeded):
    nominal = Nominal.objects.filter(offender_managers__role=Role.IOM_OFFICER).first()
    manager = nominal.offender_managers.first()
    assert manager.team.is_iom_unit
    for action in ("view", "change", "disclose"):
        assert NominalUserObjectPermission.objects.filter(
            user=manager, content_object=nominal, permission__codename=f"{action}_nominal"
        ).exists()


def test_prints_the_logins_and_password(seeded):
    for spec in demo.USERS:
        assert spec.username in seeded
    assert demo.PASSWORD in seeded
    table = seeded.split("Demo logins", 1)[1]
    assert "What to try" in table
    admin_line = next(line for line in table.splitlines() if line.strip().startswith("admin "))
    assert "cohort cap" in admin_line and "no case record" in admin_line
    user = User.objects.get(username="drugs.worker")
    assert user.check_password(demo.PASSWORD)


# --- The referral history and the cohort it built ------------------------------------------


def test_panels_met_monthly_for_two_years(seeded):
    meetings = list(PanelMeeting.objects.order_by("held_on").prefetch_related("attending_agencies"))
    assert len(meetings) == 24
    assert meetings[-1].held_on < TODAY
    assert meetings[0].held_on > TODAY - datetime.timedelta(days=2 * 366)
    for meeting in meetings:
        assert meeting.held_on.weekday() == 1 and 8 <= meeting.held_on.day <= 14  # 2nd Tuesday
        assert meeting.chair.role == Role.MANAGER
        kinds = [agency.kind for agency in meeting.attending_agencies.all()]
        assert {"police", "nps", "crc"} <= set(kinds)
        assert 2 <= len(kinds) - 3 <= 4
        assert meeting.created_at.date() == meeting.held_on


def test_about_250_members_today_within_the_cap(seeded):
    members = CohortMembership.objects.filter(status__in=OPEN_STATUSES)
    cap = CohortConfiguration.current().cap
    assert 230 <= members.count() <= 260
    assert members.count() <= cap
    statuses = Counter(members.values_list("status", flat=True))
    assert statuses[MembershipStatus.IN_CUSTODY] >= 10
    assert statuses[MembershipStatus.DEVOLVED] >= 5
    # Every membership came from an accepted referral, entering on the day of its panel.
    accepted = Referral.objects.filter(status=ReferralStatus.ACCEPTED)
    assert accepted.count() == CohortMembership.objects.count()
    for referral in accepted.select_related("membership").prefetch_related("decisions__meeting"):
        last = list(referral.decisions.all())[-1]
        assert last.decision == Decision.ACCEPT
        assert referral.membership.entered_on == last.meeting.held_on
        assert referral.membership.lead_agency_id == referral.proposed_lead_agency_id


def test_overrides_at_the_cap_are_a_managers_with_a_reason(seeded):
    overridden = CohortMembership.objects.exclude(cap_override_reason="")
    assert overridden.exists()
    for membership in overridden.select_related("cap_overridden_by"):
        assert membership.cap_overridden_by.role == Role.MANAGER
        assert "cap" in membership.cap_override_reason
    assert not CohortMembership.objects.filter(
        cap_override_reason="", cap_overridden_by__isnull=False
    ).exists()


def test_referrals_come_from_every_kind_of_agency(seeded):
    kinds = Counter(Referral.objects.values_list("referring_agency__kind", flat=True))
    assert len(kinds) >= 5
    assert set(kinds) == set(AgencyKind.values)  # every agency refers
    probation = kinds[AgencyKind.NPS] + kinds[AgencyKind.CRC]
    partners = sum(n for kind, n in kinds.items() if kind not in ("police", "nps", "crc"))
    assert min(kinds[AgencyKind.POLICE], probation) > partners > 0
    for referral in Referral.objects.select_related("referred_by")[:50]:
        assert referral.referred_by.agency_id == referral.referring_agency_id
        assert len(referral.reasons) > 80
    streams = Counter(Referral.objects.values_list("stream", flat=True))
    assert streams.most_common(1)[0][0] == "sac"
    assert set(streams) == {"sac", "ppo", "ocg", "da", "violence"}
    sac = Counter(Referral.objects.filter(stream="sac").values_list("national_category", flat=True))
    assert sac["fixed"] > 0.8 * sum(sac.values())


def test_panels_accept_reject_and_defer(seeded):
    decisions = Counter(PanelDecision.objects.values_list("decision", flat=True))
    assert decisions[Decision.ACCEPT] > 250
    assert decisions[Decision.REJECT] >= 10
    assert decisions[Decision.DEFER] >= 10
    assert not PanelDecision.objects.filter(decision=Decision.REJECT, reason="").exists()
    # Deferred and then accepted at a later panel.
    assert (
        Referral.objects.filter(status=ReferralStatus.ACCEPTED, decisions__decision="defer")
        .distinct()
        .exists()
    )
    # Each referral is decided at a panel after it was made, and deferrals come back later.
    for decision in PanelDecision.objects.select_related("referral", "meeting")[:400]:
        assert decision.meeting.held_on > decision.referral.created_at.date()
        if decision.decision == Decision.DEFER:
            assert decision.deferred_until > decision.meeting.held_on


def test_members_leave_and_some_come_back(seeded):
    exited = CohortMembership.objects.filter(status=MembershipStatus.EXITED)
    assert 30 <= exited.count() <= 50
    reasons = Counter(exited.values_list("exit_reason", flat=True))
    assert reasons.most_common(1)[0][0] == ExitReason.RISK_REDUCED
    assert reasons[ExitReason.DECEASED] == 1
    assert set(reasons) == set(ExitReason.values)
    assert not exited.filter(exit_reason=ExitReason.OTHER, exit_details="").exists()
    assert not exited.filter(exited_on__gte=TODAY).exists()
    returned = Nominal.objects.annotate(n=Count("memberships")).filter(n=2)
    assert 5 <= returned.count() <= 12
    for nominal in returned:
        older, newer = sorted(nominal.memberships.all(), key=lambda m: m.entered_on)
        assert older.status == MembershipStatus.EXITED
        assert older.exited_on < newer.entered_on
        assert newer.referral.created_at.date() > older.exited_on


def test_referrals_await_the_next_panel_today(seeded):
    queue = Referral.objects.filter(in_queue())
    assert 8 <= queue.count() <= 16
    statuses = Counter(queue.values_list("status", flat=True))
    assert statuses[ReferralStatus.OPEN] >= 5
    assert statuses[ReferralStatus.DEFERRED] >= 1  # deferred to a date that has come
    later = Referral.objects.filter(status=ReferralStatus.DEFERRED, deferred_until__gt=TODAY)
    assert later.exists()
    # Both people referred for the first time and people who were on the cohort before.
    waiting = queue.annotate(n=Count("nominal__memberships"))
    assert waiting.filter(n=0).exists() and waiting.filter(n__gt=0).exists()
    # Nobody waiting for the panel is on the cohort already.
    assert not queue.filter(nominal__memberships__status__in=OPEN_STATUSES).exists()


def test_engagement_is_recorded_over_time(seeded):
    members = CohortMembership.objects.filter(status__in=OPEN_STATUSES)
    latest = {}
    per_nominal = Counter()
    for engagement in Engagement.objects.order_by("nominal_id", "on", "id"):
        latest[engagement.nominal_id] = engagement.status
        per_nominal[engagement.nominal_id] += 1
    member_ids = list(members.values_list("nominal_id", flat=True))
    assert all(1 <= per_nominal[pk] <= 6 for pk in member_ids)  # 1-3 a membership
    spread = Counter(latest[pk] for pk in member_ids)
    share = {status: n / len(member_ids) for status, n in spread.items()}
    assert 0.4 <= share[EngagementStatus.ENGAGED] <= 0.7
    assert 0.15 <= share[EngagementStatus.PARTIAL] <= 0.35
    assert 0.08 <= share[EngagementStatus.DECLINED] <= 0.25
    assert 0.01 <= share[EngagementStatus.NOT_APPROACHED] <= 0.1
    assert not Engagement.objects.filter(on__gt=TODAY).exists()


def test_the_history_is_planned_the_same_every_time(seeded):
    def summary():
        people = referral_demo.people()
        plan = referral_demo.Planner(random.Random("same"), people, 260, TODAY).plan()
        return [(p.someone.nominal.pk, p.panel, p.exited_on, p.status) for p in plan.periods], [
            (r.someone.nominal.pk, r.created_on, r.agency, r.reasons) for r in plan.proposals
        ]

    assert summary() == summary()


def test_prints_a_summary_of_the_cohort(seeded):
    members = CohortMembership.objects.filter(status__in=OPEN_STATUSES).count()
    waiting = Referral.objects.filter(in_queue()).count()
    assert f"Cohort: {members} current members (cap 260), {waiting} referrals awaiting panel" in (
        seeded
    )


def test_a_recall_decision_awaits_a_managers_countersignature(seeded):
    (awaiting,) = Recall.objects.filter(status=RecallStatus.BEING_ASSESSED)
    assert awaiting.is_decided and not awaiting.is_countersigned
    assert awaiting.recall_type == RecallType.STANDARD and awaiting.decision_rationale
    assert awaiting.started_at < awaiting.decided_at < timezone.now()
    assert awaiting.paperwork_completed_at is None  # waits for the countersignature
    sources = set(awaiting.alternatives.values_list("source", flat=True))
    warnings = Sanction.objects.filter(licence=awaiting.licence, level__lt=SanctionLevel.RECALL)
    assert {f"sanction:{pk}" for pk in warnings.values_list("pk", flat=True)} <= sources


def test_a_countersigned_recall_awaits_the_return_with_its_dossier_under_way(seeded):
    (recall,) = Recall.objects.filter(status=RecallStatus.AWAITING_RETURN)
    assert recall.countersigned_by.is_iom_manager
    assert recall.countersigned_by_id != recall.decided_by_id
    assert recall.decided_at < recall.countersigned_at < recall.paperwork_completed_at
    missing = controls_services.missing_dossier_parts(recall)
    assert "Police report" in missing and "Charge sheet" not in missing


def test_a_countersigned_decision_not_to_recall_is_ready_for_its_letter(seeded):
    (recall,) = Recall.objects.filter(status=RecallStatus.NOT_RECALLED)
    assert recall.recall_type == RecallType.NO_RECALL
    assert recall.countersigned_by.is_iom_manager and recall.countersign_rationale
    assert timezone.localdate(recall.countersigned_at) < TODAY
    assert recall.sanction is None  # the recall step was withdrawn from the ladder
    assert recall.breach.occurred_on <= timezone.localdate(recall.started_at)
    assert not_recalled_exists(recall.nominal)  # the letter can be produced


def test_the_latest_panel_has_minutes_and_actions_that_became_tasks(seeded):
    meeting = PanelMeeting.objects.filter(held_on__lt=TODAY).order_by("-held_on").first()
    assert meeting.minutes
    assert all(decision.minutes for decision in meeting.decisions.all())
    actions = list(referral_queries.actions_of(meeting))
    about_people = [task for task in actions if task.nominal is not None]
    assert len(actions) == len(about_people) + 1 and about_people
    for task in actions:
        assert (task.completed_at is not None) == (task.due_on < TODAY)
        assert task.nominal is None or access.can(task.assignee, "view", task.nominal)
    events = AuditEvent.objects.filter(username=demo.SEED_USERNAME, object_type="cohorts.Task")
    assert set(events.values_list("object_id", flat=True)) >= {str(t.pk) for t in actions}


def test_the_demo_drug_worker_has_overdue_reviews_on_my_work(seeded):
    worker = User.objects.get(username="drugs.worker")
    groups = {g.key: g for g in pathway_queries.my_work(worker, TODAY)}
    overdue = groups[pathway_dates.OVERDUE].reviews
    assert overdue
    assert {pathway.pathway for pathway in overdue} == {"drugs-alcohol"}


def test_demo_actions_are_by_agencies_that_deliver_the_pathway_or_lead_the_case(seeded):
    drug_actions = PathwayAction.objects.filter(plan_pathway__pathway="drugs-alcohol")
    kinds = set(drug_actions.values_list("agency__kind", flat=True))
    assert kinds <= {"drugs", "police", "nps", "crc"}
    assert "drugs" in kinds
