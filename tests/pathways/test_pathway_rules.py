"""The per-pathway permission matrix: for every pathway and every page that changes one, who
may open it. The officer of the IOM unit and the named offender manager act on all eight; a
partner worker only on the pathways their agency delivers; a partner of an agency the person
is not shared with gets "not found"."""

import pytest
from django.urls import reverse

from cohorts.services import set_offender_managers
from iom.models import AgencyKind, Role
from pathways.models import PathwayKind
from tests import factories
from tests.pathways import factories as pf
from tests.sharing import agreement_for

PAGES = ["pathways:pathway-edit", "pathways:review-new", "pathways:action-new"]
DELIVERED = {"drug worker": {"drugs-alcohol"}, "housing worker": {"accommodation"}}


@pytest.fixture
def people(db):
    drugs = pf.drug_service()
    housing = pf.housing_service()
    probation = factories.AgencyFactory(name="Probation", kind=AgencyKind.NPS)
    offender_manager = factories.UserFactory(agency=probation, role=Role.IOM_OFFICER)
    agreement_for(probation)
    nominal = pf.member_shared_with(drugs, housing)
    set_offender_managers(nominal, users=[offender_manager], by=None)
    return {
        "nominal": nominal,
        "officer": factories.IomOfficerFactory(),
        "offender manager": offender_manager,
        "drug worker": pf.worker_of(drugs),
        "housing worker": pf.worker_of(housing),
        "unshared worker": pf.worker_of(
            pf.agency_delivering("Other drug service", AgencyKind.DRUG_ALCOHOL, PathwayKind.values)
        ),
    }


def _expected(who: str, pathway: str) -> int:
    if who in ("officer", "offender manager"):
        return 200
    if who == "unshared worker":
        return 404
    return 200 if pathway in DELIVERED[who] else 403


@pytest.mark.parametrize("pathway", PathwayKind.values)
@pytest.mark.parametrize("url_name", PAGES)
@pytest.mark.parametrize(
    "who", ["officer", "offender manager", "drug worker", "housing worker", "unshared worker"]
)
def test_who_may_open_each_pathway_page(client, people, who, url_name, pathway):
    client.force_login(people[who])
    url = reverse(url_name, kwargs={"pk": people["nominal"].pk, "pathway": pathway})
    assert client.get(url).status_code == _expected(who, pathway)


@pytest.mark.parametrize(
    "who", ["officer", "offender manager", "drug worker", "housing worker", "unshared worker"]
)
def test_who_may_change_an_action_on_drugs_and_alcohol(client, people, who):
    nominal = people["nominal"]
    action = pf.action_on(nominal, "drugs-alcohol", people["drug worker"].agency)
    client.force_login(people[who])
    url = reverse("pathways:action-edit", kwargs={"pk": nominal.pk, "action_id": action.pk})
    assert client.get(url).status_code == _expected(who, "drugs-alcohol")


def test_an_unknown_pathway_is_not_found(client, people):
    client.force_login(people["officer"])
    url = reverse("pathways:action-new", kwargs={"pk": people["nominal"].pk, "pathway": "other"})
    assert client.get(url).status_code == 404
