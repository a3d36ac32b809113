"""Follow-up tasks: who sees and completes them, the audit trail, the API and My work."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cohorts.models import Task, TaskKind
from cohorts.services import tasks as task_services
from iom.locking import StaleEditError
from iom.models import AuditAction, AuditEvent
from tests import factories
from tests.sharing import share_with

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def partner(db):
    agency = factories.AgencyFactory(name="Demoford Drug Service", kind="drugs")
    return factories.UserFactory(agency=agency)


def _task(officer, nominal, **kwargs):
    kwargs.setdefault("owner_team", factories.case_team_of(kwargs.pop("agency", officer.agency)))
    return task_services.create_task(
        by=officer, nominal=nominal, title="Book the first appointment", due_on=TODAY, **kwargs
    )


def test_a_task_shows_to_its_owner_team_and_is_audited(officer, partner):
    nominal = factories.NominalFactory()
    share_with(nominal, partner, by=officer)
    task = _task(officer, nominal, agency=partner.agency)
    assert list(task_services.my_tasks(partner)) == [task]
    event = AuditEvent.objects.get(object_type="cohorts.Task", object_id=str(task.pk))
    assert event.action == AuditAction.COLLECTION and event.person_id == nominal.pk
    assert "Book the first appointment" in event.description


def test_a_user_of_another_agency_neither_sees_nor_completes_the_task(officer, partner, outsider):
    nominal = factories.NominalFactory()
    share_with(nominal, partner, by=officer)
    share_with(nominal, outsider, by=officer)  # sees the person, but the task is not theirs
    task = _task(officer, nominal, agency=partner.agency)
    assert list(task_services.visible_tasks(outsider)) == []
    assert list(task_services.my_tasks(outsider)) == []
    with pytest.raises(PermissionDenied):
        task_services.complete_task(task.pk, by=outsider, version=task.version)
    task.refresh_from_db()
    assert task.is_open


def test_the_owner_does_not_see_a_task_about_a_person_not_shared_with_them(officer, partner):
    task = _task(officer, factories.NominalFactory(), agency=partner.agency)
    assert list(task_services.visible_tasks(partner)) == []
    with pytest.raises(PermissionDenied):
        task_services.complete_task(task.pk, by=partner, version=task.version)


def test_an_agency_owned_task_shows_to_any_user_of_the_agency(officer, partner):
    nominal = factories.NominalFactory()
    share_with(nominal, partner, by=officer)
    task = task_services.create_task(
        by=officer, nominal=nominal, title="Benefits claim", owner_agency=partner.agency
    )
    assert task.owner == partner.agency.name
    assert list(task_services.my_tasks(partner)) == [task]


def test_completing_a_task_records_the_outcome_and_refuses_stale_or_repeated(officer, partner):
    nominal = factories.NominalFactory()
    share_with(nominal, partner, by=officer)
    task = _task(officer, nominal, agency=partner.agency)
    with pytest.raises(StaleEditError):
        task_services.complete_task(task.pk, by=partner, version=task.version + 5)
    done = task_services.complete_task(
        task.pk, by=partner, version=task.version, outcome="Booked for Monday"
    )
    assert (done.completed_by, done.outcome, done.version) == (partner, "Booked for Monday", 2)
    assert list(task_services.my_tasks(partner)) == []
    assert AuditEvent.objects.filter(
        object_type="cohorts.Task", action=AuditAction.ALTERATION, user=partner
    ).exists()
    with pytest.raises(ValidationError):
        task_services.complete_task(task.pk, by=partner, version=done.version)


def test_a_partner_may_add_tasks_only_for_their_own_team(officer, partner):
    nominal = factories.NominalFactory()
    share_with(nominal, partner, by=officer)
    own = task_services.create_task(
        by=partner, nominal=nominal, title="Our own", owner_team=partner.team
    )
    assert own.owner_agency == partner.agency
    with pytest.raises(PermissionDenied):
        task_services.create_task(
            by=partner, nominal=nominal, title="Theirs", owner_team=officer.team
        )


def test_a_task_needs_a_title_and_an_owner_and_a_consistent_assignee(officer, partner):
    with pytest.raises(ValidationError) as error:
        task_services.create_task(by=officer, title=" ")
    assert set(error.value.message_dict) == {"title", "owner_agency"}
    with pytest.raises(ValidationError) as error:
        task_services.create_task(by=officer, title="x", owner_team=partner.team, assignee=officer)
    assert "assignee" in error.value.message_dict
    assert not Task.objects.exists()


def test_closing_the_tasks_of_a_source_closes_only_the_open_ones(officer):
    nominal = factories.NominalFactory()
    source = factories.AliasFactory(nominal=nominal)
    first = _task(officer, nominal, source=source, kind=TaskKind.HANDOVER)
    _task(officer, nominal)  # another source: untouched
    closed = task_services.close_tasks_from(source, by=officer, outcome="Ended")
    assert [t.pk for t in closed] == [first.pk]
    assert Task.objects.open().count() == 1
    assert task_services.close_tasks_from(source, by=officer, outcome="Again") == []


def test_my_work_lists_the_open_tasks_with_their_due_date(client, officer, partner):
    nominal = factories.NominalFactory()
    share_with(nominal, partner, by=officer)
    task = _task(officer, nominal, agency=partner.agency)
    client.force_login(partner)
    page = client.get(reverse("reports:my-work")).content.decode()
    assert task.title in page and reverse("cohorts:task", args=[task.pk]) in page
    assert timezone.localdate().strftime("%-d %b %Y") in page


def test_the_task_page_completes_it_and_is_refused_to_another_agency(
    client, officer, partner, outsider
):
    nominal = factories.NominalFactory()
    share_with(nominal, partner, by=officer)
    task = _task(officer, nominal, agency=partner.agency)
    url = reverse("cohorts:task", args=[task.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": task.version}).status_code == 404
    client.force_login(partner)
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": task.version, "outcome": "Done"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert not task.is_open


def test_the_api_lists_creates_and_completes_tasks(client, officer, partner, outsider):
    nominal = factories.NominalFactory()
    share_with(nominal, partner, by=officer)
    client.force_login(officer)
    created = client.post(
        reverse("task-list"),
        {
            "nominal": nominal.pk,
            "title": "Meet at the gate",
            "kind": "release-plan",
            "owner_team": partner.team.pk,
            "due_on": TODAY.isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["owner"], body["is_open"]) == (str(partner.team), True)
    client.force_login(outsider)
    assert client.get(reverse("task-list")).json()["results"] == []
    assert client.get(reverse("task-detail", args=[body["id"]])).status_code == 404
    client.force_login(partner)
    listed = client.get(reverse("task-list"), {"state": "open"}).json()["results"]
    assert [row["id"] for row in listed] == [body["id"]]
    assert (
        AuditEvent.objects.about(nominal)
        .filter(action=AuditAction.DISCLOSURE, user=partner)
        .exists()
    )
    complete = reverse("task-complete", args=[body["id"]])
    stale = client.post(complete, {"version": 9}, content_type="application/json")
    assert stale.status_code == 409
    done = client.post(
        complete, {"version": body["version"], "outcome": "Met"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["is_open"] is False
