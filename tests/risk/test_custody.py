"""Custody and release as events: every consequence in one transaction, with audit events,
and nothing half-done when a step fails."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cohorts.controls import services as controls_services
from cohorts.controls.models import Licence, RecallStatus
from cohorts.models import ExitReason, MembershipStatus, TaskKind
from cohorts.risk import custody, services
from cohorts.risk.models import CustodyKind, CustodyPeriod, Ogrs3Result, RiskAssessment
from cohorts.services import change_membership_status, exit_membership
from cohorts.services import tasks as task_services
from iom import audit
from iom.models import AgencyKind, AuditAction, AuditEvent
from pathways.models import PathwayAction
from tests import factories
from tests.controls.factories import LicenceFactory, RecallFactory
from tests.risk import factories as risk
from tests.risk.ogrs3_factories import sanction
from tests.sharing import share_with

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DAYS = datetime.timedelta(days=1)


@pytest.fixture
def member(db):
    return factories.members(1)[0]


def _membership(nominal):
    return nominal.memberships.get()


def _events(nominal, since_id=0):
    return list(
        AuditEvent.objects.about(nominal)
        .filter(pk__gt=since_id)
        .exclude(action=AuditAction.CONSULTATION)
        .order_by("id")
        .values_list("object_type", "description")
    )


def _last_event_id() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


class Boom(Exception):
    pass


def _fail_on(monkeypatch, words: str):
    """Make the audit event whose description starts with ``words`` fail: a step in the
    middle of the event's transaction."""
    original = audit.record

    def record(*args, **kwargs):
        if kwargs.get("description", "").startswith(words):
            raise Boom(words)
        return original(*args, **kwargs)

    monkeypatch.setattr(audit, "record", record)


# --- Opening a custody period ---------------------------------------------------------------


def test_opening_custody_moves_the_membership_to_in_custody_with_audit_events(officer, member):
    before = _last_event_id()
    period = custody.open_custody_period(
        member, kind=CustodyKind.SENTENCE, starts_on=TODAY - 3 * DAYS, by=officer,
        expected_release_on=TODAY + 60 * DAYS, establishment="HMP Demoford",
    )  # fmt: skip
    assert (period.kind, period.expected_release_basis) == ("sentence", "automatic")
    assert _membership(member).status == MembershipStatus.IN_CUSTODY
    assert [t for t, _ in _events(member, before)] == [
        "risk.CustodyPeriod",
        "cohorts.CohortMembership",
    ]


def test_a_second_open_period_a_future_start_and_an_early_release_date_are_refused(officer, member):
    with pytest.raises(ValidationError) as error:
        custody.open_custody_period(
            member, kind="recall", starts_on=TODAY + DAYS, by=officer,
            expected_release_on=TODAY,
        )  # fmt: skip
    assert {"starts_on", "expected_release_on"} <= set(error.value.message_dict)
    custody.open_custody_period(member, kind="remand", starts_on=TODAY, by=officer)
    with pytest.raises(ValidationError, match="already in custody"):
        custody.open_custody_period(member, kind="recall", starts_on=TODAY, by=officer)
    assert CustodyPeriod.objects.filter(nominal=member).count() == 1


def test_a_user_of_another_agency_cannot_open_or_release_custody(officer, outsider, member):
    with pytest.raises(PermissionDenied):
        custody.open_custody_period(member, kind="remand", starts_on=TODAY, by=outsider)
    period = custody.open_custody_period(member, kind="remand", starts_on=TODAY, by=officer)
    with pytest.raises(PermissionDenied):
        custody.release_from_custody(
            period.pk, by=outsider, version=period.version, released_on=TODAY
        )
    period.refresh_from_db()
    assert period.is_open


def test_devolved_case_going_into_custody_ends_the_devolution(officer, member):
    team = factories.TeamFactory(is_neighbourhood=True)
    membership = _membership(member)
    change_membership_status(
        membership.pk, by=officer, version=membership.version, status="devolved", devolved_to=team
    )
    custody.open_custody_period(member, kind="remand", starts_on=TODAY, by=officer)
    assert _membership(member).status == MembershipStatus.IN_CUSTODY
    assert not member.shares.filter(ended_at__isnull=True, team=team).exists()


# --- The recall's return to custody ---------------------------------------------------------


@pytest.fixture
def recall(officer, member):
    licence = LicenceFactory(nominal=member, created_by=officer)
    # Decided and countersigned: the checklist may go on to the return to custody.
    return RecallFactory(
        breach__licence=licence,
        breach__recorded_by=officer,
        started_by=officer,
        status=RecallStatus.AWAITING_RETURN,
    )


def _return(recall, officer, at=None):
    return controls_services.complete_recall_step(
        recall.pk, by=officer, version=recall.version, step="returned_to_custody_at", at=at
    )


def test_return_to_custody_opens_a_recall_period_and_marks_the_licence_recalled(
    officer, member, recall
):
    before = _last_event_id()
    _return(recall, officer)
    period = CustodyPeriod.objects.get(nominal=member)
    assert (period.kind, period.started_on, period.ended_on) == ("recall", TODAY, None)
    assert _membership(member).status == MembershipStatus.IN_CUSTODY
    licence = Licence.objects.get(pk=recall.licence_id)
    assert licence.recalled_on == TODAY and licence.is_recalled_on(TODAY)
    assert [t for t, _ in _events(member, before)] == [
        "controls.Recall", "risk.CustodyPeriod", "cohorts.CohortMembership", "controls.Licence",
    ]  # fmt: skip


def test_a_failure_marking_the_licence_leaves_the_recall_and_custody_untouched(
    officer, member, recall, monkeypatch
):
    _fail_on(monkeypatch, "Licence recalled")
    before = _last_event_id()
    with pytest.raises(Boom):
        _return(recall, officer)
    recall.refresh_from_db()
    assert recall.status == RecallStatus.AWAITING_RETURN
    assert recall.returned_to_custody_at is None
    assert not CustodyPeriod.objects.filter(nominal=member).exists()
    assert _membership(member).status == MembershipStatus.ACTIVE
    assert Licence.objects.get(pk=recall.licence_id).recalled_on is None
    assert _events(member, before) == []


def test_return_to_custody_of_someone_already_on_remand_keeps_the_open_period(
    officer, member, recall
):
    custody.open_custody_period(member, kind="remand", starts_on=TODAY - DAYS, by=officer)
    _return(recall, officer)
    assert CustodyPeriod.objects.filter(nominal=member).count() == 1
    assert Licence.objects.get(pk=recall.licence_id).recalled_on == TODAY


# --- Release --------------------------------------------------------------------------------


def test_release_after_recall_closes_the_period_and_re_releases_on_the_licence(
    officer, member, recall
):
    _return(recall, officer, at=timezone.now() - datetime.timedelta(hours=2))
    period = CustodyPeriod.objects.get(nominal=member)
    before = _last_event_id()
    custody.release_from_custody(period.pk, by=officer, version=period.version, released_on=TODAY)
    period.refresh_from_db()
    assert period.ended_on == TODAY
    assert _membership(member).status == MembershipStatus.ACTIVE
    licence = Licence.objects.get(pk=recall.licence_id)
    assert licence.re_released_on == TODAY and not licence.is_recalled_on(TODAY)
    assert [t for t, _ in _events(member, before)] == [
        "risk.CustodyPeriod", "cohorts.CohortMembership", "controls.Licence",
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="already released"):
        custody.release_from_custody(
            period.pk, by=officer, version=period.version, released_on=TODAY
        )


def test_release_from_a_sentence_sets_the_release_date_of_the_licence_recorded_ahead(
    officer, member
):
    period = custody.open_custody_period(
        member, kind="sentence", starts_on=TODAY - 200 * DAYS, by=officer,
        expected_release_on=TODAY + 3 * DAYS,
    )  # fmt: skip
    licence = LicenceFactory(nominal=member, release_date=TODAY + 3 * DAYS, created_by=officer)
    custody.release_from_custody(
        period.pk, by=officer, version=period.version, released_on=TODAY - DAYS
    )
    licence.refresh_from_db()
    assert licence.release_date == TODAY - DAYS


def test_release_from_a_sentence_records_a_licence_from_the_expiry_dates_given(officer, member):
    period = custody.open_custody_period(
        member, kind="sentence", starts_on=TODAY - 200 * DAYS, by=officer
    )
    custody.release_from_custody(
        period.pk, by=officer, version=period.version, released_on=TODAY,
        options={"licence_expiry_date": TODAY + 100 * DAYS,
                 "sentence_expiry_date": TODAY + 200 * DAYS},
    )  # fmt: skip
    licence = Licence.objects.get(nominal=member)
    assert (licence.release_date, licence.licence_expiry_date) == (TODAY, TODAY + 100 * DAYS)


def test_release_refuses_a_date_before_custody_or_in_the_future(officer, member):
    period = custody.open_custody_period(member, kind="remand", starts_on=TODAY - DAYS, by=officer)
    for day in (TODAY - 5 * DAYS, TODAY + DAYS):
        with pytest.raises(ValidationError):
            custody.release_from_custody(
                period.pk, by=officer, version=period.version, released_on=day
            )
    period.refresh_from_db()
    assert period.is_open and period.version == 1


# --- The day-of-release plan ----------------------------------------------------------------


@pytest.fixture
def health():
    return factories.AgencyFactory(name="Demoford Health", kind=AgencyKind.HEALTH)


def _plan(officer, period, health):
    return custody.plan_release(
        period.pk,
        by=officer,
        items={
            "gp": {"owner_agency": health, "due_on": TODAY + 16 * DAYS},
            "accommodation": {
                "owner_agency": officer.agency, "due_on": TODAY + 7 * DAYS,
                "details": "Approved premises, Demoford Road",
            },
        },
    )  # fmt: skip


def test_a_day_of_release_plan_puts_each_item_in_its_owner_agencys_my_work(officer, member, health):
    period = custody.open_custody_period(
        member, kind="sentence", starts_on=TODAY - 100 * DAYS, by=officer,
        expected_release_on=TODAY + 14 * DAYS,
    )  # fmt: skip
    items = _plan(officer, period, health)
    assert [task.key for task in custody.release_plan(period)] == ["accommodation", "gp"]
    assert {task.kind for task in items} == {TaskKind.RELEASE_PLAN}
    worker = factories.UserFactory(agency=health)
    share_with(member, worker, by=officer)
    assert [task.title for task in task_services.my_tasks(worker)] == ["GP appointment"]
    with pytest.raises(ValidationError) as error:
        custody.plan_release(
            period.pk, by=officer, items={"gp": {"owner_agency": health, "due_on": TODAY},
                                          "gate": {"owner_agency": None, "due_on": TODAY}},
        )  # fmt: skip
    assert set(error.value.message_dict) == {"gp", "gate"}
    assert len(custody.release_plan(period)) == 2


def test_release_turns_the_open_plan_items_into_pathway_actions(officer, member, health):
    period = custody.open_custody_period(
        member, kind="sentence", starts_on=TODAY - 100 * DAYS, by=officer
    )
    accommodation, gp = _plan(officer, period, health)
    task_services.complete_task(accommodation.pk, by=officer, version=1, outcome="Room booked")
    period.refresh_from_db()
    custody.release_from_custody(period.pk, by=officer, version=period.version, released_on=TODAY)
    action = PathwayAction.objects.get(nominal=member)
    assert (action.plan_pathway.pathway, action.agency, action.due_on) == (
        "health", health, TODAY + 16 * DAYS,
    )  # fmt: skip
    assert action.description == "GP appointment"
    gp.refresh_from_db()
    assert not gp.is_open and "Physical and mental health" in gp.outcome
    accommodation.refresh_from_db()
    assert accommodation.outcome == "Room booked"


def test_a_failure_making_the_pathway_actions_undoes_the_whole_release(
    officer, member, recall, health, monkeypatch
):
    _return(recall, officer, at=timezone.now() - datetime.timedelta(hours=2))
    period = CustodyPeriod.objects.get(nominal=member)
    _plan(officer, period, health)
    _fail_on(monkeypatch, "On release, added an action")
    before = _last_event_id()
    with pytest.raises(Boom):
        custody.release_from_custody(
            period.pk, by=officer, version=period.version, released_on=TODAY
        )
    period.refresh_from_db()
    assert period.is_open
    assert _membership(member).status == MembershipStatus.IN_CUSTODY
    assert Licence.objects.get(pk=recall.licence_id).re_released_on is None
    assert task_services.tasks_from(period).open().count() == 2
    assert not PathwayAction.objects.filter(nominal=member).exists()
    assert _events(member, before) == []


# --- Exit for a long custodial sentence -----------------------------------------------------


def test_exit_for_a_long_custodial_sentence_opens_a_sentence_period(officer, member):
    membership = _membership(member)
    exit_membership(
        membership.pk, by=officer, version=membership.version, reason=ExitReason.LONG_CUSTODY,
        options={"expected_release_on": TODAY + 700 * DAYS, "expected_release_basis": "parole"},
    )  # fmt: skip
    period = CustodyPeriod.objects.get(nominal=member)
    assert (period.kind, period.started_on, period.expected_release_basis) == (
        "sentence", TODAY, "parole",
    )  # fmt: skip
    assert _membership(member).status == MembershipStatus.EXITED


def test_exit_for_another_reason_opens_no_custody(officer, member):
    membership = _membership(member)
    exit_membership(
        membership.pk, by=officer, version=membership.version, reason=ExitReason.MOVED_AWAY
    )
    assert not CustodyPeriod.objects.exists()


# --- At liberty from the release day --------------------------------------------------------


def _score(nominal, day):
    services.rerank(day)
    return RiskAssessment.objects.get(nominal=nominal, assessed_on=day)


def test_the_ranking_treats_the_person_at_liberty_from_the_release_day(member):
    day = datetime.date(2026, 7, 1)
    risk.DetectedOffenceFactory(nominal=member, committed_on=day - 30 * DAYS)
    free = _score(member, day).score
    period = risk.CustodyPeriodFactory(nominal=member, started_on=day - 20 * DAYS, ended_on=day)
    assert _score(member, day).score == free  # released that day: at liberty
    period.ended_on = day + DAYS
    period.save()
    assert _score(member, day).score < free  # released the next day: still inside


def test_ogrs3_follow_up_starts_on_the_release_date(officer, member):
    sanction(member, TODAY - 300 * DAYS, code="45")
    period = custody.open_custody_period(
        member, kind="sentence", starts_on=TODAY - 299 * DAYS, by=officer
    )
    services.rerank(TODAY)
    assert Ogrs3Result.objects.get(nominal=member, assessed_on=TODAY).follow_up_start is None
    custody.release_from_custody(
        period.pk, by=officer, version=period.version, released_on=TODAY - 10 * DAYS
    )
    services.rerank(TODAY)
    result = Ogrs3Result.objects.filter(nominal=member).order_by("-id").first()
    assert (result.follow_up_start, result.released) == (TODAY - 10 * DAYS, True)


# --- Due out --------------------------------------------------------------------------------


def test_due_out_lists_open_periods_expected_out_within_28_days_with_a_countdown(officer):
    soon, later, released = factories.members(3)
    p1 = custody.open_custody_period(
        soon, kind="sentence", starts_on=TODAY - 90 * DAYS, by=officer,
        expected_release_on=TODAY + 14 * DAYS,
    )  # fmt: skip
    custody.open_custody_period(
        later, kind="sentence", starts_on=TODAY - 90 * DAYS, by=officer,
        expected_release_on=TODAY + 29 * DAYS,
    )  # fmt: skip
    risk.CustodyPeriodFactory(
        nominal=released, started_on=TODAY - 90 * DAYS, ended_on=TODAY,
        expected_release_on=TODAY + 3 * DAYS, expected_release_basis="automatic",
    )  # fmt: skip
    assert list(custody.due_out(TODAY)) == [p1]
    assert custody.countdown(p1.days_to_release(TODAY)) == "due out in 14 days"
    assert custody.countdown(0) == "due out today"
    assert custody.countdown(1) == "due out tomorrow"
