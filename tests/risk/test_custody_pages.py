"""The custody page and the custody API: the same services, the same refusals."""

import datetime

import pytest
from django.urls import reverse

from cohorts.models import MembershipStatus
from cohorts.risk import custody
from cohorts.risk.models import CustodyPeriod
from iom.models import AgencyKind, AuditAction, AuditEvent
from pathways.models import PathwayAction
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
def inside(officer, member):
    return custody.open_custody_period(
        member, kind="sentence", starts_on=TODAY - 100 * DAYS, by=officer,
        expected_release_on=TODAY + 14 * DAYS,
    )  # fmt: skip


def test_the_page_records_going_into_custody(client, officer, member):
    client.force_login(officer)
    url = reverse("cohorts:custody-open", args=[member.pk])
    response = client.post(
        url, {"kind": "remand", **_date("starts_on", TODAY), "establishment": "HMP Demoford"}
    )
    assert response.status_code == 302
    assert CustodyPeriod.objects.get(nominal=member).kind == "remand"
    assert member.memberships.get().status == MembershipStatus.IN_CUSTODY


def test_the_page_shows_the_countdown_and_builds_the_plan(client, officer, member, inside):
    client.force_login(officer)
    page = client.get(reverse("cohorts:custody", args=[member.pk])).content.decode()
    assert "due out in 14 days" in page
    health = factories.AgencyFactory(name="Demoford Health", kind=AgencyKind.HEALTH)
    url = reverse("cohorts:custody-action", args=[member.pk, inside.pk, "plan"])
    response = client.post(
        url, {"item": "gp", "owner_agency": health.pk, **_date("due_on", TODAY + 15 * DAYS)}
    )
    assert response.status_code == 302
    assert [t.key for t in custody.release_plan(inside)] == ["gp"]
    again = client.post(
        url, {"item": "gp", "owner_agency": health.pk, **_date("due_on", TODAY + 15 * DAYS)}
    )
    assert again.status_code == 400  # no longer offered


def test_the_page_records_the_release_and_refuses_a_stale_form(client, officer, member, inside):
    health = factories.AgencyFactory(name="Demoford Health", kind=AgencyKind.HEALTH)
    custody.plan_release(
        inside.pk, by=officer, items={"gp": {"owner_agency": health, "due_on": TODAY}}
    )
    client.force_login(officer)
    url = reverse("cohorts:custody-action", args=[member.pk, inside.pk, "release"])
    stale = client.post(url, {"version": inside.version + 3, **_date("released_on", TODAY)})
    assert stale.status_code == 400
    response = client.post(url, {"version": inside.version, **_date("released_on", TODAY)})
    assert response.status_code == 302
    inside.refresh_from_db()
    assert inside.ended_on == TODAY
    assert PathwayAction.objects.filter(nominal=member, agency=health).exists()


def test_another_agency_can_neither_see_nor_change_custody(client, outsider, member, inside):
    client.force_login(outsider)
    assert client.get(reverse("cohorts:custody", args=[member.pk])).status_code == 404
    url = reverse("cohorts:custody-action", args=[member.pk, inside.pk, "release"])
    assert client.post(url, {"version": 1, **_date("released_on", TODAY)}).status_code == 404
    assert client.get(reverse("custody-list")).json()["results"] == []
    api = reverse("custody-release", args=[inside.pk])
    assert client.post(api, {"version": 1, "released_on": TODAY.isoformat()}).status_code == 404
    inside.refresh_from_db()
    assert inside.is_open


def test_the_exit_page_for_a_long_sentence_opens_a_custody_period(client, officer, member):
    membership = member.memberships.get()
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:membership", args=[member.pk]),
        {
            "exit": "1",
            "exit-version": membership.version,
            "exit-exit_reason": "long-custody",
            **_date("exit-exited_on", TODAY),
            **_date("exit-expected_release_on", TODAY + 400 * DAYS),
            "exit-expected_release_basis": "parole",
        },
    )
    assert response.status_code == 302
    period = CustodyPeriod.objects.get(nominal=member)
    assert (period.kind, period.expected_release_basis) == ("sentence", "parole")


def test_the_api_opens_plans_and_releases(client, officer, member):
    client.force_login(officer)
    created = client.post(
        reverse("custody-list"),
        {
            "nominal": member.pk,
            "kind": "sentence",
            "started_on": (TODAY - 50 * DAYS).isoformat(),
            "expected_release_on": (TODAY + 14 * DAYS).isoformat(),
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["countdown"], body["days_to_release"]) == ("due out in 14 days", 14)
    period_id = body["id"]
    due = client.get(reverse("custody-list"), {"due_out": "1"}).json()["results"]
    assert [row["id"] for row in due] == [period_id]
    planned = client.post(
        reverse("custody-release-plan", args=[period_id]),
        {"items": [{"key": "gate", "owner_agency": officer.agency.pk,
                    "due_on": (TODAY + 14 * DAYS).isoformat()}]},
        content_type="application/json",
    )  # fmt: skip
    assert planned.status_code == 200, planned.content
    assert [item["key"] for item in planned.json()["release_plan"]] == ["gate"]
    duplicate = client.post(
        reverse("custody-release-plan", args=[period_id]),
        {"items": [{"key": "gate", "owner_agency": officer.agency.pk,
                    "due_on": TODAY.isoformat()}]},
        content_type="application/json",
    )  # fmt: skip
    assert duplicate.status_code == 400
    release = reverse("custody-release", args=[period_id])
    stale = client.post(
        release, {"version": 9, "released_on": TODAY.isoformat()}, content_type="application/json"
    )
    assert stale.status_code == 409
    done = client.post(
        release,
        {"version": body["version"], "released_on": TODAY.isoformat()},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["ended_on"] == TODAY.isoformat()
    assert (
        AuditEvent.objects.about(member)
        .filter(action=AuditAction.DISCLOSURE, user=officer)
        .exists()
    )
    assert PathwayAction.objects.filter(nominal=member).count() == 1


def test_the_cohort_list_shows_the_countdown_and_filters_those_due_out(client, officer, inside):
    later = factories.members(1)[0]
    custody.open_custody_period(
        later, kind="sentence", starts_on=TODAY - 10 * DAYS, by=officer,
        expected_release_on=TODAY + 60 * DAYS,
    )  # fmt: skip
    client.force_login(officer)
    page = client.get(reverse("cohorts:list")).content.decode()
    assert "due out in 14 days" in page
    due = client.get(reverse("cohorts:list"), {"release": "due-out"}).content.decode()
    assert inside.nominal.surname in due and later.surname not in due


def test_my_work_lists_releases_due_for_the_iom_unit_and_the_offender_manager(
    client, officer, member, inside
):
    client.force_login(officer)
    page = client.get(reverse("reports:my-work")).content.decode()
    assert "Releases due" in page and "due out in 14 days" in page and "No plan" in page
    probation = factories.AgencyFactory(name="Demoford Probation", kind=AgencyKind.NPS)
    manager = factories.UserFactory(agency=probation)
    other = factories.UserFactory(agency=probation)
    share_with(member, manager, by=officer)
    member.offender_managers.add(manager)
    assert [p.pk for p in custody.releases_due_for(manager, TODAY)] == [inside.pk]
    assert custody.releases_due_for(other, TODAY) == []
