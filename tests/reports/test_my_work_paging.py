"""My work is one list of the user's work (actions, reviews, appointments, tasks, releases
due, recall prompts), grouped overdue / this week / later, filterable by person and kind,
50 rows a page, with one consultation per person shown on the page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.contacts.models import Contact
from cohorts.risk import custody
from cohorts.services import set_offender_managers
from cohorts.services import tasks as task_services
from iom.models import AuditEvent
from pathways import dates
from pathways import services as pathway_services
from tests import factories
from tests.cohorts.test_page_query_counts import MAX_QUERIES, _queries_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
URL = reverse("reports:my-work")


def _actions(officer, count: int, *, people: int | None = None, start: int = 0) -> list:
    """``count`` open actions for ``officer`` on ``people`` members (one each by default),
    due one day apart from ``start`` days ago, oldest first."""
    nominals = factories.members(people or count)
    for nominal in nominals:
        set_offender_managers(nominal, users=[officer], by=officer)
        pathway_services.ensure_plan(nominal)
    for n in range(count):
        pathway_services.add_action(
            nominals[n % len(nominals)],
            by=None,
            pathway="ete",
            description=f"Step {n + start:03d}",
            agency=officer.agency,
            assigned_to=officer,
            due_on=TODAY - datetime.timedelta(days=400) + datetime.timedelta(days=n + start),
        )
    return nominals


def _steps(body: str) -> list[str]:
    return [part[:3] for part in body.split("Step ")[1:]]


def test_the_51st_row_is_on_page_2(client, officer):
    _actions(officer, 51)
    client.force_login(officer)
    first = client.get(URL).content.decode()
    assert "Step 049" in first and "Step 050" not in first
    assert 'class="govuk-pagination"' in first and "page=2" in first
    assert "My work (page 1 of 2)" in first
    second = client.get(URL + "?page=2").content.decode()
    assert "Step 050" in second and "Step 049" not in second
    # The group's heading counts the whole list, not only the page.
    assert ">51</span>" in second


def test_groups_come_overdue_then_this_week_then_later(client, officer):
    nominal = _actions(officer, 1)[0]
    for description, due in [
        ("Later one", dates.end_of_week(TODAY) + datetime.timedelta(days=3)),
        ("This week one", dates.end_of_week(TODAY)),
        ("Overdue one", TODAY - datetime.timedelta(days=1)),
    ]:
        pathway_services.add_action(
            nominal,
            by=None,
            pathway="ete",
            description=description,
            agency=officer.agency,
            assigned_to=officer,
            due_on=due,
        )
    client.force_login(officer)
    body = client.get(URL).content.decode()
    overdue, week, later = (body.index(f'id="{key}"') for key in dates.BUCKET_LABELS)
    assert overdue < body.index("Overdue one") < week < body.index("This week one") < later
    assert later < body.index("Later one")
    # Oldest first within a group.
    assert body.index("Step 000") < body.index("Overdue one")


def test_filter_by_person(client, officer):
    first, second = _actions(officer, 4, people=2)
    client.force_login(officer)
    body = client.get(URL + f"?person={second.pk}").content.decode()
    assert _steps(body) == ["001", "003"]
    assert first.surname not in body.split('id="overdue"')[1]
    # The person filter offers the people on the user's work.
    assert f'<option value="{first.pk}"' in body and f'<option value="{second.pk}" selected' in body


def test_a_person_not_on_the_users_work_is_ignored(client, officer):
    _actions(officer, 2)
    stranger = factories.NominalFactory()
    client.force_login(officer)
    body = client.get(URL + f"?person={stranger.pk}").content.decode()
    assert set(_steps(body)) == {"000", "001"}


def test_filter_by_kind(client, officer):
    nominal = _actions(officer, 2)[0]
    task = task_services.create_task(
        by=officer,
        title="Phone the hostel",
        nominal=nominal,
        owner_agency=officer.agency,
        due_on=TODAY,
    )
    client.force_login(officer)
    everything = client.get(URL).content.decode()
    assert "Phone the hostel" in everything and "Step 000" in everything
    tasks = client.get(URL + "?kind=task").content.decode()
    assert "Phone the hostel" in tasks and "Step 000" not in tasks
    assert reverse("cohorts:task", args=[task.pk]) in tasks
    actions = client.get(URL + "?kind=action").content.decode()
    assert "Phone the hostel" not in actions and "Step 000" in actions
    # An unknown kind shows everything.
    assert "Phone the hostel" in client.get(URL + "?kind=nonsense").content.decode()


def test_one_consultation_per_person_on_the_page_only(client, officer):
    # 60 actions on 30 people: page 1 shows the first 50 (people 0 to 29, twice for 20 of them).
    nominals = _actions(officer, 60, people=30)
    extra = _actions(officer, 1, start=100)[0]  # due later than the rest: on page 2
    client.force_login(officer)
    before = AuditEvent.objects.filter(action="consultation", user=officer).count()
    client.get(URL)
    events = AuditEvent.objects.filter(action="consultation", user=officer)
    shown = list(events.order_by("id")[before:].values_list("object_id", flat=True))
    assert sorted(shown) == sorted(str(n.pk) for n in nominals)
    assert str(extra.pk) not in shown
    client.get(URL + "?page=2")
    second = list(events.order_by("id")[before + len(shown) :].values_list("object_id", flat=True))
    expected = {str(nominals[n % 30].pk) for n in range(50, 60)} | {str(extra.pk)}
    assert sorted(second) == sorted(expected)


def test_another_agencys_user_sees_none_of_it(client, officer, outsider):
    nominals = _actions(officer, 3)
    client.force_login(outsider)
    for query in ["", f"?person={nominals[0].pk}", "?kind=action", "?page=2"]:
        body = client.get(URL + query).content.decode()
        assert "Step 00" not in body
        assert all(nominal.surname not in body for nominal in nominals)
        assert "Nothing is overdue or due" in body
    assert not AuditEvent.objects.filter(action="consultation", user=outsider).exists()


def _other_sources(officer, nominals) -> None:
    """A task, a booked appointment and a release due for each person."""
    now = timezone.now()
    for n, nominal in enumerate(nominals):
        task_services.create_task(
            by=officer, title="Call", nominal=nominal, owner_agency=officer.agency, due_on=TODAY
        )
        contact = Contact.objects.create(
            nominal=nominal,
            kind="office",
            planned_at=now + datetime.timedelta(hours=n + 1),
            recorded_by=officer,
        )
        contact.attendees.add(officer)
        custody.open_custody_period(
            nominal,
            kind="sentence",
            starts_on=TODAY - datetime.timedelta(days=100),
            by=officer,
            expected_release_on=TODAY + datetime.timedelta(days=n % 20 + 1),
        )


def test_my_work_costs_the_same_with_10_and_200_rows(client, officer):
    client.force_login(officer)
    nominals = _actions(officer, 10, people=4)
    _other_sources(officer, nominals[:2])
    client.get(URL)  # caches (content types) filled: measure the steady state
    small = _queries_for(client, URL)
    more = _actions(officer, 150, people=20, start=10)
    _other_sources(officer, more)
    large = _queries_for(client, URL)
    assert "Release from custody" in client.get(URL + "?kind=release").content.decode()
    assert "Record outcome" in client.get(URL + "?kind=appointment").content.decode()
    assert small == large
    assert large <= MAX_QUERIES
    for query in ["?page=3", f"?person={more[0].pk}", "?kind=task", "?kind=release"]:
        assert _queries_for(client, URL + query) == large
