"""Devolution to a neighbourhood team: the share, the handover task in the team's My work,
and both ending together."""

import pytest
from django.urls import reverse

from cohorts.models import Task, TaskKind
from cohorts.services import change_membership_status, exit_membership
from cohorts.services import tasks as task_services
from iom import access
from iom.models import AgencyKind, AuditEvent, Role
from tests import factories
from tests.sharing import agreement_for


@pytest.fixture
def team(db):
    police = factories.AgencyFactory(name="Demo Police", kind=AgencyKind.POLICE)
    agreement_for(police)
    return factories.TeamFactory(agency=police, name="City NPT", is_neighbourhood=True)


@pytest.fixture
def npt_officer(team):
    return factories.UserFactory(agency=team.agency, team=team, role=Role.IOM_OFFICER)


@pytest.fixture
def member(db):
    return factories.members(1)[0]


def _devolve(officer, member, team):
    membership = member.memberships.get(exited_on__isnull=True)
    return change_membership_status(
        membership.pk, by=officer, version=membership.version, status="devolved", devolved_to=team
    )


def test_devolving_puts_a_handover_task_in_the_teams_my_work(
    client, officer, member, team, npt_officer
):
    _devolve(officer, member, team)
    task = Task.objects.get(nominal=member, kind=TaskKind.HANDOVER)
    assert (task.owner_team, task.is_open) == (team, True)
    assert list(task_services.my_tasks(npt_officer)) == [task]
    assert AuditEvent.objects.filter(object_type="cohorts.Task", object_id=str(task.pk)).exists()
    client.force_login(npt_officer)
    assert "Take over the devolved case" in client.get(reverse("reports:my-work")).content.decode()


def test_another_team_of_the_same_agency_does_not_get_the_handover(officer, member, team):
    _devolve(officer, member, team)
    other = factories.UserFactory(
        agency=team.agency, team=factories.TeamFactory(agency=team.agency, name="Response")
    )
    assert list(task_services.my_tasks(other)) == []


def test_ending_the_devolution_revokes_access_and_closes_the_handover(
    officer, member, team, npt_officer
):
    membership = _devolve(officer, member, team)
    assert access.can(npt_officer, "view", member)
    change_membership_status(membership.pk, by=officer, version=membership.version, status="active")
    assert not access.can(npt_officer, "view", member)
    task = Task.objects.get(nominal=member, kind=TaskKind.HANDOVER)
    assert not task.is_open and task.outcome.startswith("Devolution ended")
    assert list(task_services.my_tasks(npt_officer)) == []
    assert list(task_services.visible_tasks(npt_officer)) == []


def test_exit_as_devolved_hands_over_once(officer, member, team):
    membership = member.memberships.get()
    exit_membership(
        membership.pk, by=officer, version=membership.version, reason="devolved",
        devolved_to=team,
    )  # fmt: skip
    assert Task.objects.filter(nominal=member, kind=TaskKind.HANDOVER).open().count() == 1


def test_a_failing_handover_undoes_the_devolution(officer, member, team, npt_officer, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("task store unavailable")

    monkeypatch.setattr(task_services, "create_task", fail)
    membership = member.memberships.get()
    with pytest.raises(RuntimeError):
        _devolve(officer, member, team)
    membership.refresh_from_db()
    assert membership.status == "active"
    assert not access.can(npt_officer, "view", member)
    assert not member.shares.exists()
