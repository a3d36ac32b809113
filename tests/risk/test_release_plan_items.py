"""An item of the day-of-release plan is changed after it was planned: reassigned to another
agency or one of its teams, moved to another date, its details rewritten. On the page and
through the API, by whoever may change the person's record, with optimistic locking and an
alteration in the audit log that holds the old and the new values."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cohorts.risk import custody, custody_plan
from iom.locking import StaleEditError
from iom.models import AgencyKind, AuditEvent
from tests import factories
from tests.sharing import share_with

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
DAYS = datetime.timedelta(days=1)


def _date(prefix, day):
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


@pytest.fixture
def member(db):
    return factories.members(1)[0]


@pytest.fixture
def health(db):
    return factories.AgencyFactory(name="Demoford Health", kind=AgencyKind.HEALTH)


@pytest.fixture
def period(officer, member):
    return custody.open_custody_period(
        member, kind="sentence", starts_on=TODAY - 100 * DAYS, by=officer,
        expected_release_on=TODAY + 14 * DAYS,
    )  # fmt: skip


@pytest.fixture
def item(officer, period, health):
    (task,) = custody.plan_release(
        period.pk,
        by=officer,
        items={"gp": {"owner_agency": health, "due_on": TODAY + 14 * DAYS, "details": "Dr Lee"}},
    )
    return task


def _page(member, period, item):
    return reverse("cohorts:custody-plan-item", args=[member.pk, period.pk, item.pk])


def _form(item, agency, *, team=None, due=None, details="Dr Patel, 10:00", version=None):
    return {
        "version": item.version if version is None else version,
        "owner_agency": agency.pk,
        "owner_team": team.pk if team else "",
        **_date("due_on", due or TODAY + 15 * DAYS),
        "details": details,
    }


# --- The service ---------------------------------------------------------------------------


def test_an_item_is_reassigned_to_a_team_and_moved_with_the_old_and_new_values_audited(
    officer, period, item, health
):
    police = officer.agency
    team = factories.TeamFactory(agency=police, name="Gate team")
    changed = custody_plan.change_plan_item(
        period.pk, item.pk, by=officer, version=item.version, owner_agency=police,
        owner_team=team, due_on=TODAY + 13 * DAYS, details="Meet at 07:00",
    )  # fmt: skip
    changed.refresh_from_db()
    assert (changed.owner_agency, changed.owner_team) == (police, team)
    assert (changed.due_on, changed.details) == (TODAY + 13 * DAYS, "Meet at 07:00")
    assert changed.version == item.version + 1
    event = AuditEvent.objects.about(period.nominal).get(
        description="Day-of-release plan item changed: GP appointment"
    )
    assert event.changes["owner_agency"] == [str(health), str(police)]
    assert event.changes["owner_team"] == [None, str(team)]
    assert event.changes["due_on"] == [str(TODAY + 14 * DAYS), str(TODAY + 13 * DAYS)]
    assert event.changes["details"] == ["Dr Lee", "Meet at 07:00"]


def test_a_stale_version_changes_nothing(officer, period, item, health):
    with pytest.raises(StaleEditError):
        custody_plan.change_plan_item(
            period.pk, item.pk, by=officer, version=item.version - 1, owner_agency=health,
            due_on=TODAY, details="Too late",
        )  # fmt: skip
    item.refresh_from_db()
    assert item.details == "Dr Lee"


def test_a_team_of_another_agency_and_a_date_before_custody_are_refused(
    officer, period, item, health
):
    other_team = factories.TeamFactory(agency=officer.agency, name="Somewhere else")
    with pytest.raises(ValidationError) as error:
        custody_plan.change_plan_item(
            period.pk, item.pk, by=officer, version=item.version, owner_agency=health,
            owner_team=other_team, due_on=period.started_on - DAYS,
        )  # fmt: skip
    assert error.value.message_dict["owner_team"] == [
        f"Somewhere else is not a team of {health.name}"
    ]
    assert "on or after the day custody began" in error.value.message_dict["due_on"][0]
    item.refresh_from_db()
    assert item.version == 1 and item.owner_team is None


def test_an_item_of_another_plan_is_refused(officer, period, item, health):
    other = factories.members(1)[0]
    elsewhere = custody.open_custody_period(
        other, kind="remand", starts_on=TODAY - 5 * DAYS, by=officer
    )
    with pytest.raises(ValidationError) as error:
        custody_plan.change_plan_item(
            elsewhere.pk, item.pk, by=officer, version=item.version, owner_agency=health,
            due_on=TODAY,
        )  # fmt: skip
    assert "item" in error.value.message_dict


def test_the_plan_of_a_released_person_no_longer_changes(officer, period, item, health):
    custody.release_from_custody(period.pk, by=officer, version=period.version, released_on=TODAY)
    item.refresh_from_db()
    with pytest.raises(ValidationError):
        custody_plan.change_plan_item(
            period.pk, item.pk, by=officer, version=item.version, owner_agency=health,
            due_on=TODAY,
        )  # fmt: skip


def test_someone_who_may_only_see_the_record_cannot_change_the_plan(
    officer, member, period, item, health
):
    worker = factories.UserFactory(agency=health)
    share_with(member, worker, by=officer)
    with pytest.raises(PermissionDenied):
        custody_plan.change_plan_item(
            period.pk, item.pk, by=worker, version=item.version, owner_agency=health,
            due_on=TODAY,
        )  # fmt: skip


def test_reassigning_moves_the_item_to_the_new_agencys_my_work(
    client, officer, period, item, health
):
    worker = factories.UserFactory(agency=health)
    share_with(period.nominal, worker, by=officer)
    client.force_login(worker)
    assert "GP appointment" in client.get(reverse("reports:my-work")).content.decode()
    custody_plan.change_plan_item(
        period.pk, item.pk, by=officer, version=item.version, owner_agency=officer.agency,
        due_on=TODAY,
    )  # fmt: skip
    assert "GP appointment" not in client.get(reverse("reports:my-work")).content.decode()


# --- The page ------------------------------------------------------------------------------


def test_the_custody_page_links_each_open_item_to_its_form(client, officer, member, period, item):
    client.force_login(officer)
    page = client.get(reverse("cohorts:custody", args=[member.pk])).content.decode()
    assert f'href="{_page(member, period, item)}"' in page


def test_the_page_changes_the_item(client, officer, member, period, item):
    client.force_login(officer)
    form = client.get(_page(member, period, item))
    assert form.status_code == 200
    assert 'name="version" value="1"' in form.content.decode()
    response = client.post(_page(member, period, item), _form(item, officer.agency))
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("cohorts:custody", args=[member.pk]) + "#plan")
    item.refresh_from_db()
    assert (item.owner_agency, item.due_on) == (officer.agency, TODAY + 15 * DAYS)
    assert item.details == "Dr Patel, 10:00"


def test_a_stale_form_is_refused_with_409_and_a_message(client, officer, member, period, item):
    client.force_login(officer)
    client.post(_page(member, period, item), _form(item, officer.agency, details="First"))
    response = client.post(
        _page(member, period, item), _form(item, officer.agency, details="Second", version=1)
    )
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    item.refresh_from_db()
    assert item.details == "First"


def test_bad_input_gets_govuk_error_messages(client, officer, member, period, item, health):
    client.force_login(officer)
    other_team = factories.TeamFactory(agency=officer.agency, name="Somewhere else")
    response = client.post(
        _page(member, period, item),
        {
            **_form(item, health, team=other_team, due=period.started_on - DAYS),
            "details": "x" * 501,
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Error: Change" in body and 'class="govuk-error-summary"' in body
    assert "Details must be 500 characters or fewer" in body
    response = client.post(
        _page(member, period, item),
        {**_form(item, health, team=other_team, due=period.started_on - DAYS)},
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert f"Somewhere else is not a team of {health.name}" in body
    assert "The date due must be on or after the day custody began" in body
    empty = client.post(_page(member, period, item), {"version": item.version})
    assert empty.status_code == 400
    assert "Choose the agency responsible" in empty.content.decode()
    assert "Enter the date due" in empty.content.decode()
    item.refresh_from_db()
    assert item.version == 1


def test_a_user_of_another_agency_cannot_edit_an_item(
    client, officer, member, period, item, health
):
    """A worker of the health service, with whom the record is shared to see, and who owns
    the item: the form is not found, the change neither, through the page or the API."""
    worker = factories.UserFactory(agency=health)
    share_with(member, worker, by=officer)
    client.force_login(worker)
    assert client.get(reverse("cohorts:custody", args=[member.pk])).status_code == 200
    assert client.get(_page(member, period, item)).status_code == 404
    assert client.post(_page(member, period, item), _form(item, health)).status_code == 404
    api = client.post(
        reverse("custody-release-plan-item", args=[period.pk]),
        {"item": item.pk, "version": item.version, "owner_agency": health.pk,
         "due_on": TODAY.isoformat(), "details": "Mine now"},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 403
    item.refresh_from_db()
    assert (item.version, item.details) == (1, "Dr Lee")
    assert not AuditEvent.objects.filter(description__startswith="Day-of-release plan item changed")


def test_someone_who_may_not_see_the_person_gets_404(client, outsider, member, period, item):
    client.force_login(outsider)
    assert client.get(_page(member, period, item)).status_code == 404
    api = client.post(
        reverse("custody-release-plan-item", args=[period.pk]),
        {"item": item.pk, "version": 1, "owner_agency": outsider.agency.pk,
         "due_on": TODAY.isoformat()},
        content_type="application/json",
    )  # fmt: skip
    assert api.status_code == 404


def test_an_item_of_another_period_is_not_found(client, officer, member, period, item):
    other = factories.members(1)[0]
    elsewhere = custody.open_custody_period(
        other, kind="remand", starts_on=TODAY - 5 * DAYS, by=officer
    )
    client.force_login(officer)
    url = reverse("cohorts:custody-plan-item", args=[other.pk, elsewhere.pk, item.pk])
    assert client.get(url).status_code == 404


# --- The API -------------------------------------------------------------------------------


def test_the_api_changes_the_item_and_refuses_a_stale_version(client, officer, period, item):
    client.force_login(officer)
    url = reverse("custody-release-plan-item", args=[period.pk])
    body = {
        "item": item.pk,
        "version": item.version,
        "owner_agency": officer.agency.pk,
        "owner_team": officer.team.pk,
        "due_on": (TODAY + 12 * DAYS).isoformat(),
    }
    changed = client.post(url, body, content_type="application/json")
    assert changed.status_code == 200, changed.content
    (row,) = changed.json()["release_plan"]
    assert (row["owner_agency"], row["owner_team"]) == (officer.agency.pk, officer.team.pk)
    assert (row["due_on"], row["version"]) == ((TODAY + 12 * DAYS).isoformat(), 2)
    # Details omitted: as they were.
    assert row["details"] == "Dr Lee"
    stale = client.post(url, {**body, "details": "Again"}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    item.refresh_from_db()
    assert item.details == "Dr Lee"


def test_the_api_names_the_fields_it_refuses(client, officer, period, item):
    client.force_login(officer)
    response = client.post(
        reverse("custody-release-plan-item", args=[period.pk]),
        {"item": item.pk, "version": item.version, "owner_agency": officer.agency.pk,
         "due_on": (period.started_on - DAYS).isoformat()},
        content_type="application/json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "due_on" in response.json()
    unknown = client.post(
        reverse("custody-release-plan-item", args=[period.pk]),
        {"item": 999999, "version": 1, "owner_agency": officer.agency.pk,
         "due_on": TODAY.isoformat()},
        content_type="application/json",
    )  # fmt: skip
    assert unknown.status_code == 400
    assert "item" in unknown.json()
