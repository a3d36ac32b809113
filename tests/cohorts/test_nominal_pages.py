"""The nominal's pages: consultation is audited, edits are version-checked and validated."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cohorts.models import AreaKind, Nominal
from iom.models import AuditAction, AuditEvent, Role
from tests import factories


def _edit_form(nominal, **overrides) -> dict:
    data = {
        "first_names": nominal.first_names,
        "surname": nominal.surname,
        "date_of_birth_day": nominal.date_of_birth.day,
        "date_of_birth_month": nominal.date_of_birth.month,
        "date_of_birth_year": nominal.date_of_birth.year,
        "gender": nominal.gender,
        "pnc_id": nominal.pnc_id or "",
        "cro_number": nominal.cro_number or "",
        "crn": nominal.crn or "",
        "prison_number": nominal.prison_number or "",
        "address_line_1": "",
        "address_line_2": "",
        "town": "",
        "postcode": "",
        "neighbourhood": nominal.neighbourhood_id or "",
        "lead_agency": nominal.lead_agency_id or "",
        "version": nominal.version,
    }
    data.update(overrides)
    return data


def test_viewing_a_nominal_is_audited_as_a_consultation(client, officer, nominal):
    client.force_login(officer)
    client.get(reverse("cohorts:nominal", kwargs={"pk": nominal.pk}))
    event = AuditEvent.objects.get(action=AuditAction.CONSULTATION)
    assert (event.user, event.person_id) == (officer, nominal.pk)
    assert event.path == reverse("cohorts:nominal", kwargs={"pk": nominal.pk})


def test_every_section_is_audited(client, officer, nominal):
    client.force_login(officer)
    client.get(reverse("cohorts:risk", kwargs={"pk": nominal.pk}))
    assert (
        AuditEvent.objects.about(nominal)
        .filter(action=AuditAction.CONSULTATION, description__contains="risk")
        .exists()
    )


def test_editing_a_nominal_saves_and_audits_the_change(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:edit", kwargs={"pk": nominal.pk}),
        _edit_form(nominal, surname="Renamed", crn="y654321"),
    )
    assert response.status_code == 302
    nominal.refresh_from_db()
    assert (nominal.surname, nominal.crn) == ("Renamed", "Y654321")
    event = AuditEvent.objects.about(nominal).get(action=AuditAction.ALTERATION)
    assert event.changes["surname"][1] == "Renamed"


def test_a_stale_edit_form_is_refused_and_the_newer_data_survives(client, officer, nominal):
    client.force_login(officer)
    url = reverse("cohorts:edit", kwargs={"pk": nominal.pk})
    client.post(url, _edit_form(nominal, surname="Colleague"))
    response = client.post(url, _edit_form(nominal, surname="Mine"))
    assert response.status_code == 409
    assert "Someone else changed this record" in response.content.decode()
    nominal.refresh_from_db()
    assert nominal.surname == "Colleague"


def test_bad_identifiers_give_field_errors_on_the_form(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:edit", kwargs={"pk": nominal.pk}),
        _edit_form(nominal, pnc_id="12/34", prison_number="ZZZ"),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "PNC ID" in errors["pnc_id"][0]
    assert "prison number" in errors["prison_number"][0]
    nominal.refresh_from_db()
    assert nominal.pnc_id != "12/34"


def test_an_impossible_date_of_birth_is_named(client, officer, nominal):
    client.force_login(officer)
    response = client.post(
        reverse("cohorts:edit", kwargs={"pk": nominal.pk}),
        _edit_form(nominal, date_of_birth_day="31", date_of_birth_month="2"),
    )
    assert response.status_code == 400
    assert "must be a real date" in response.context["form"].errors["date_of_birth"][0]


def test_a_partner_with_view_access_cannot_open_the_edit_form(client, outsider, officer, nominal):
    from tests.sharing import share_with

    share_with(nominal, outsider, by=officer)
    client.force_login(outsider)
    summary = client.get(reverse("cohorts:nominal", kwargs={"pk": nominal.pk}))
    assert summary.status_code == 200
    assert nominal.surname in summary.content.decode()
    assert reverse("cohorts:edit", kwargs={"pk": nominal.pk}) not in summary.content.decode()
    assert client.get(reverse("cohorts:edit", kwargs={"pk": nominal.pk})).status_code == 404


def test_only_managers_see_the_audit_trail(client, officer, manager, nominal):
    url = reverse("cohorts:audit", kwargs={"pk": nominal.pk})
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    response = client.get(url)
    assert response.status_code == 200
    assert nominal.surname in response.content.decode()
    assert [event.person_id for event in response.context["events"]] == [nominal.pk] * len(
        response.context["events"]
    )


def test_the_audit_trail_pages_through_every_event_once_and_in_order(client, manager, nominal):
    """Keyset paging: events that share a moment are split across pages by their id, so
    walking the "Older events" links shows each event exactly once, newest first."""
    moment = timezone.now() - datetime.timedelta(days=1)
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=moment - datetime.timedelta(seconds=n // 30),  # thirty events a moment
            action=AuditAction.CONSULTATION,
            subject_type="person",
            subject_id=nominal.pk,
            description=f"event {n}",
        )
        for n in range(130)
    )
    expected = list(
        AuditEvent.objects.about(nominal).order_by("-at", "-id").values_list("pk", flat=True)
    )
    client.force_login(manager)
    url = reverse("cohorts:audit", kwargs={"pk": nominal.pk})
    seen, page = [], ""
    for _ in range(10):
        response = client.get(url + page)
        assert response.status_code == 200
        seen += [event.pk for event in response.context["events"]]
        page = response.context["next_url"]
        if not page:
            break
    # The page views themselves are audited too: compare with what existed before the walk.
    assert [pk for pk in seen if pk in set(expected)] == expected
    assert len(seen) == len(set(seen))


def test_audit_trail_shows_who_changed_what(client, officer, manager, nominal):
    from cohorts.services import update_nominal

    update_nominal(nominal.pk, by=officer, version=nominal.version, changes={"surname": "Later"})
    client.force_login(manager)
    body = client.get(reverse("cohorts:audit", kwargs={"pk": nominal.pk})).content.decode()
    # The audit trail names the person who acted, not their username.
    assert officer.get_full_name() in body
    assert f">{officer.username}<" not in body
    assert "Later" in body


def test_exporting_the_cohort_logs_a_disclosure_per_person(client, officer):
    nominals = factories.members(3)
    client.force_login(officer)
    response = client.get(reverse("cohorts:export"))
    body = b"".join(response.streaming_content).decode()
    assert all(n.surname in body for n in nominals)
    events = AuditEvent.objects.filter(action=AuditAction.DISCLOSURE, disclosure_format="csv")
    assert sorted(e.person_id for e in events) == sorted(n.pk for n in nominals)


def test_searching_the_cohort_is_audited_with_the_terms(client, officer, nominal):
    client.force_login(officer)
    response = client.get(reverse("cohorts:list"), {"q": nominal.crn.lower()})
    assert nominal.surname in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditAction.SEARCH, description__contains=nominal.crn.lower()
    ).exists()


def test_search_finds_a_person_by_alias(client, officer):
    alias = factories.AliasFactory(surname="Otherwise")
    client.force_login(officer)
    response = client.get(reverse("cohorts:list"), {"q": "otherwise"})
    assert alias.nominal.surname in response.content.decode()


def _sortable_members():
    """Four members whose names, dates of birth, lead agencies and areas each order them
    differently, so that a list in the wrong order cannot pass by chance."""
    rows = [
        ("Adams", datetime.date(1990, 3, 1), "Probation", AreaKind.COUNTY, "Zeta"),
        ("Baker", datetime.date(1985, 7, 9), "Police", AreaKind.CITY, "Alpha"),
        ("Cole", datetime.date(1999, 1, 2), "Drug service", AreaKind.CITY, "Beta"),
        ("Dunn", datetime.date(1979, 11, 30), "Housing", AreaKind.COUNTY, "Alpha"),
    ]
    people = []
    for surname, born, lead, area, neighbourhood in rows:
        people.extend(
            factories.members(
                1,
                nominal__surname=surname,
                nominal__date_of_birth=born,
                nominal__lead_agency=factories.AgencyFactory(name=lead),
                nominal__neighbourhood=factories.NeighbourhoodFactory(
                    name=f"{neighbourhood} {area}", area=area
                ),
            )
        )
    return people


@pytest.mark.parametrize(
    ("sort", "key", "reverse_order"),
    [
        ("name", lambda n: n.surname, False),
        ("-name", lambda n: n.surname, True),
        ("dob", lambda n: n.date_of_birth, False),
        ("-dob", lambda n: n.date_of_birth, True),
        ("lead", lambda n: n.lead_agency.name, False),
        ("-lead", lambda n: n.lead_agency.name, True),
        ("area", lambda n: (n.neighbourhood.area, n.neighbourhood.name), False),
        ("-area", lambda n: (n.neighbourhood.area, n.neighbourhood.name), True),
    ],
)
def test_cohort_list_sorts(client, officer, sort, key, reverse_order):
    people = _sortable_members()
    client.force_login(officer)
    response = client.get(reverse("cohorts:list"), {"sort": sort})
    shown = [nominal.surname for nominal in response.context["page"]]
    expected = [n.surname for n in sorted(people, key=key, reverse=reverse_order)]
    assert shown == expected
    body = response.content.decode()
    assert [body.index(surname) for surname in expected] == sorted(
        body.index(surname) for surname in expected
    )


def test_cohort_list_sorts_by_last_change(client, officer):
    first, second, third = factories.members(3)
    Nominal.objects.filter(pk=second.pk).update(
        updated_at=timezone.now() + datetime.timedelta(minutes=5)
    )
    client.force_login(officer)
    response = client.get(reverse("cohorts:list"), {"sort": "-updated"})
    shown = [nominal.pk for nominal in response.context["page"]]
    assert shown[0] == second.pk and set(shown) == {first.pk, second.pk, third.pk}


def test_cohort_list_filters_by_area(client, officer):
    city = factories.members(1, nominal__neighbourhood=factories.NeighbourhoodFactory(area="city"))[
        0
    ]
    county = factories.members(
        1, nominal__neighbourhood=factories.NeighbourhoodFactory(area="county")
    )[0]
    client.force_login(officer)
    body = client.get(reverse("cohorts:list"), {"area": "county"}).content.decode()
    assert county.surname in body
    assert city.surname not in body


def test_partner_worker_cohort_list_shows_only_shared_people(client, outsider, officer):
    from tests.sharing import share_with

    shared, unshared = factories.members(2)
    share_with(shared, outsider, by=officer)
    client.force_login(outsider)
    body = client.get(reverse("cohorts:list")).content.decode()
    assert shared.surname in body
    assert unshared.surname not in body


def test_partner_role_in_iom_unit_team_still_needs_sharing(client, nominal):
    team = factories.TeamFactory(is_iom_unit=True)
    worker = factories.UserFactory(agency=team.agency, team=team, role=Role.PARTNER_WORKER)
    client.force_login(worker)
    assert client.get(reverse("cohorts:nominal", kwargs={"pk": nominal.pk})).status_code == 404


def test_cohort_list_shows_current_members_unless_asked_otherwise(client, officer):
    member = factories.members(1)[0]
    referred_only = factories.NominalFactory()
    client.force_login(officer)
    body = client.get(reverse("cohorts:list")).content.decode()
    assert member.surname in body
    assert referred_only.surname not in body
    body = client.get(reverse("cohorts:list"), {"membership": "never"}).content.decode()
    assert referred_only.surname in body
    assert member.surname not in body


def test_a_search_finds_people_who_are_not_on_the_cohort(client, officer):
    referred_only = factories.NominalFactory()
    client.force_login(officer)
    body = client.get(reverse("cohorts:list"), {"q": referred_only.surname}).content.decode()
    assert referred_only.first_names in body


def test_cohort_list_filters_by_stream_engagement_and_offender_manager(client, officer):
    from cohorts.services import record_engagement, set_offender_managers

    sac, ppo = factories.members(1, stream="sac")[0], factories.members(1, stream="ppo")[0]
    record_engagement(ppo, by=officer, status="declined")
    set_offender_managers(ppo, users=[officer], by=officer)
    client.force_login(officer)

    def listed(**params):
        body = client.get(reverse("cohorts:list"), params).content.decode()
        return {n.surname for n in (sac, ppo) if n.surname in body}

    assert listed(stream="ppo") == {ppo.surname}
    assert listed(engagement="declined") == {ppo.surname}
    assert listed(engagement="not-approached") == {sac.surname}
    assert listed(offender_manager=officer.pk) == {ppo.surname}


def test_each_person_on_a_page_of_the_cohort_list_is_logged_as_consulted(client, officer):
    shown = factories.members(3)
    client.force_login(officer)
    client.get(reverse("cohorts:list"))
    listed = AuditEvent.objects.filter(
        action=AuditAction.CONSULTATION, description="Listed on the cohort list", user=officer
    )
    assert sorted(listed.values_list("subject_id", flat=True)) == sorted(n.pk for n in shown)
