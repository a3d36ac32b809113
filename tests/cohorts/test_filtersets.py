"""The cohort page and the people API read one set of filters: a query string gives the same
people, in the same order, in both; and a filter a partner's agreement does not cover is
ignored in both."""

import datetime

import pytest
from django.urls import reverse

from cohorts.risk import services as risk_services
from tests import factories
from tests.risk import factories as risk
from tests.sharing import agreement_for, share_with

TODAY = datetime.date.today()


@pytest.fixture
def people(db):
    """Two current members (one of each stream, one ranked), one who left and one never on
    the cohort."""
    ranked = factories.CohortMembershipFactory(stream="sac").nominal
    other_stream = factories.CohortMembershipFactory(stream="ppo").nominal
    left = factories.CohortMembershipFactory(
        status="exited", exited_on=TODAY, exit_reason="risk-reduced"
    ).nominal
    never = factories.NominalFactory()
    risk.DetectedOffenceFactory(nominal=ranked, committed_on=TODAY)
    risk_services.rerank(TODAY)
    return {"ranked": ranked, "other_stream": other_stream, "left": left, "never": never}


def _page_people(client, query: dict) -> list[int]:
    response = client.get(reverse("cohorts:list"), query)
    assert response.status_code == 200
    assert not response.context["form"].errors
    return [nominal.pk for nominal in response.context["page"]]


def _api_people(client, query: dict) -> list[int]:
    response = client.get(reverse("nominal-list"), query)
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


QUERIES = {
    "everyone": lambda people: {"membership": "any"},
    "current members of a stream": lambda people: {"membership": "current", "stream": "sac"},
    "left the cohort": lambda people: {"membership": "exited"},
    "never on the cohort": lambda people: {"membership": "never"},
    "a name": lambda people: {"q": people["left"].surname},
    "a PNC ID": lambda people: {"pnc_id": people["never"].pnc_id},
    "a CRN and a lead agency": lambda people: {
        "crn": people["ranked"].crn,
        "lead_agency": people["ranked"].lead_agency_id,
    },
    "not ranked": lambda people: {"membership": "any", "risk": "none"},
    "reverse order": lambda people: {"membership": "any", "sort": "-name"},
    "by rank": lambda people: {"membership": "current", "sort": "rank"},
}


@pytest.mark.parametrize("make_query", list(QUERIES.values()), ids=list(QUERIES))
def test_the_page_and_the_api_list_the_same_people_for_a_query(client, officer, people, make_query):
    query = make_query(people)
    client.force_login(officer)
    on_the_page = _page_people(client, query)
    assert on_the_page, "a query that finds nobody proves nothing"
    assert _api_people(client, query) == on_the_page


def test_the_filters_tell_people_apart(client, officer, people):
    client.force_login(officer)
    assert _api_people(client, {"membership": "exited"}) == [people["left"].pk]
    assert _api_people(client, {"membership": "never"}) == [people["never"].pk]
    assert _api_people(client, {"membership": "any", "risk": "none"}) != _api_people(
        client, {"membership": "any"}
    )


def test_without_a_membership_the_page_shows_the_cohort_and_the_api_everyone(
    client, officer, people
):
    client.force_login(officer)
    assert set(_page_people(client, {})) == {people["ranked"].pk, people["other_stream"].pk}
    assert len(_api_people(client, {})) == 4


def test_a_filter_the_agreement_does_not_cover_is_ignored_on_the_page_and_the_api(client, people):
    partner = factories.UserFactory(agency=factories.AgencyFactory(name="Housing", kind="housing"))
    agreement_for(partner.agency, covers_risk=False)
    for nominal in (people["ranked"], people["other_stream"]):
        share_with(nominal, partner, agreement=False)
    client.force_login(partner)
    query = {"membership": "current", "risk": "red"}
    on_the_page = _page_people(client, query)
    assert set(on_the_page) == {people["ranked"].pk, people["other_stream"].pk}
    assert _api_people(client, query) == on_the_page


def test_the_api_refuses_a_filter_value_it_does_not_know_naming_the_parameter(client, officer):
    client.force_login(officer)
    response = client.get(reverse("nominal-list"), {"membership": "sometimes"})
    assert response.status_code == 400
    assert "membership" in response.json()


# Filters the count reads through the membership and engagement subqueries, or through a
# column's annotations, besides those of QUERIES.
COUNTED_QUERIES = {
    **QUERIES,
    "a stream of anyone's latest membership": lambda people: {"membership": "any", "stream": "sac"},
    "an engagement": lambda people: {"membership": "any", "engagement": "not-approached"},
    "a recall in progress": lambda people: {"membership": "any", "controls": "recall"},
    "an overdue review": lambda people: {"membership": "any", "reviews": "overdue"},
    "ranked red": lambda people: {"membership": "any", "risk": "red"},
    "nobody": lambda people: {"q": "Nobody-has-this-name"},
}


@pytest.mark.parametrize("make_query", list(COUNTED_QUERIES.values()), ids=list(COUNTED_QUERIES))
def test_the_page_and_the_api_count_the_people_they_list(client, officer, people, make_query):
    """The count is read without the columns that no filter in force needs: it must still
    be the number of people listed (every one of them fits on the first page here)."""
    query = make_query(people)
    client.force_login(officer)
    page = client.get(reverse("cohorts:list"), query).context["page"]
    assert page.paginator.count == len(page.object_list)
    listed = client.get(reverse("nominal-list"), query).json()
    assert listed["count"] == len(listed["results"])
