"""Walk every URL that names a nominal, as an outsider and as the offender manager.

The walk is built from the URL configuration itself, so a new page or endpoint that takes a
nominal's ``pk`` is covered without anyone remembering to add it here.
"""

import io

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from pypdf import PdfReader

from cohorts.services import set_offender_managers, start_membership
from cohorts.services.tasks import create_task
from iom.models import AgencyKind, Role
from tests import factories
from tests.contacts.factories import ContactFactory
from tests.controls.factories import controls_case
from tests.pathways import factories as pathway_factories
from tests.reports.factories import ReadyDocumentFactory
from tests.risk.factories import recording_case
from tests.sharing import agreement_for


def _named_patterns(resolvers, namespace="", kwargs=frozenset()):
    """(name, URL kwargs) of every named URL; an include's prefix (``<int:pk>/controls/``)
    gives its kwargs to the URLs under it."""
    for entry in resolvers:
        if isinstance(entry, URLResolver) and entry.namespace == "admin":
            continue  # staff only, behind the admin's own sign-in (tests/iom/test_sign_in.py)
        inner_kwargs = kwargs | set(entry.pattern.regex.groupindex)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry.url_patterns, inner, inner_kwargs)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", inner_kwargs


def nominal_url_names() -> list[str]:
    names = set()
    for name, kwargs in _named_patterns(get_resolver().url_patterns):
        if "pk" in kwargs and "format" not in kwargs:
            names.add(name)
    return sorted(names)


NOMINAL_URLS = nominal_url_names()

# What the ``pk`` of each URL names, when it is not the nominal itself. A new URL whose pk
# names something else must be added here (and the object to the ``case`` fixture).
PK_OF = {
    "membership-detail": "membership",
    "referral-detail": "referral",
    "referrals:detail": "referral",
    "pathway-action-detail": "pathway_action",
    "licence-detail": "licence",
    "breach-detail": "breach",
    "drug-test-detail": "drug_test",
    "control-measure-detail": "measure",
    "recall-detail": "recall",
    "document-detail": "document",
    "document-download": "document",
    "arrest-detail": "arrest",
    "detected-offence-detail": "detection",
    "intelligence-report-detail": "intelligence",
    "intelligence-submission-detail": "submission",
    "intelligence-submission-decide": "submission",
    "referral-withdraw": "referral",
    "contact-detail": "contact",
    "task-detail": "task",
    "task-complete": "task",
    "panel-decision-detail": "decision",
}
# URLs that take more than a ``pk``: how to build their arguments from the ``case``.
EXTRA_KWARGS: dict[str, callable] = {
    "pathways:pathway-edit": lambda case: {"pathway": "drugs-alcohol"},
    "pathways:review-new": lambda case: {"pathway": "drugs-alcohol"},
    "pathways:action-new": lambda case: {"pathway": "drugs-alcohol"},
    "pathways:action-edit": lambda case: {"action_id": case["pathway_action"].pk},
    "cohorts:controls-licence": lambda case: {"licence_id": case["licence"].pk},
    "cohorts:controls-condition-new": lambda case: {"licence_id": case["licence"].pk},
    "cohorts:controls-recall-new": lambda case: {"breach_id": case["breach"].pk},
    "cohorts:controls-recall": lambda case: {"recall_id": case["recall"].pk},
    "cohorts:controls-measure": lambda case: {"measure_id": case["measure"].pk},
    "reports:document": lambda case: {"document_id": case["document"].pk},
    "reports:document-download": lambda case: {"document_id": case["document"].pk},
    "cohorts:arrest-edit": lambda case: {"row_id": case["arrest"].pk},
    "cohorts:detection-edit": lambda case: {"row_id": case["detection"].pk},
    "cohorts:intelligence-edit": lambda case: {"row_id": case["intelligence"].pk},
    "cohorts:submission-decide": lambda case: {"submission_id": case["submission"].pk},
    "cohorts:alias": lambda case: {"alias_id": case["alias"].pk},
    "cohorts:contact": lambda case: {"contact_id": case["contact"].pk},
    "cohorts:contact-breach": lambda case: {"contact_id": case["contact"].pk},
}
# Actions that answer POST only: a GET is a 405 whoever asks (the POST walk checks them).
POST_ONLY = {"intelligence-submission-decide", "referral-withdraw", "task-complete"}
# Pages for the IOM unit only, whoever else may see the person: recording and grading
# intelligence (partners, offender managers included, submit it: docs/offending.md).
IOM_UNIT_ONLY = {
    "cohorts:intelligence-new", "cohorts:intelligence-edit", "cohorts:submission-decide",
    # Who a record is shared with and its audit trail: the IOM unit (and its managers).
    "cohorts:sharing", "cohorts:audit", "cohorts:offender-managers", "cohorts:erase",
    # The photograph: the case has none, so it is a 404 for everyone (tests/cohorts).
    "cohorts:photograph",
}  # fmt: skip
# URLs with a pk that is not about one person (a panel meeting lists many): they are for the
# IOM unit only, checked in their own tests.
NOT_ABOUT_ONE_PERSON = {
    "referrals:panel",
    "referrals:panel-minutes",
    "referrals:panel-action",
    "panel-meeting-detail",
    "panel-meeting-agenda",
    "panel-meeting-minutes",
    "panel-meeting-actions",
    # An information-sharing agreement, for the IOM unit's managers (tests/cohorts/
    # test_sections_by_agreement.py).
    "agreement",
    # Cohort reports are aggregate and for managers only (tests/reports/test_report_api.py).
    "cohort-report-detail",
    "cohort-report-download",
}
NOMINAL_URLS = [name for name in NOMINAL_URLS if name not in NOT_ABOUT_ONE_PERSON]


def test_the_walk_covers_pages_and_the_api():
    assert "cohorts:nominal" in NOMINAL_URLS
    assert "cohorts:edit" in NOMINAL_URLS
    assert "nominal-detail" in NOMINAL_URLS
    assert "referrals:detail" in NOMINAL_URLS


def _url(url_name, case) -> str:
    kwargs = {"pk": case[PK_OF.get(url_name, "nominal")].pk}
    if url_name in EXTRA_KWARGS:
        kwargs.update(EXTRA_KWARGS[url_name](case))
    return reverse(url_name, kwargs=kwargs)


@pytest.fixture
def case(db):
    """A person on the cohort, with a referral, managed by a probation manager."""
    nominal = factories.NominalFactory(surname="Zebedee-Matrix", pnc_id="2011/0000001Z")
    probation = factories.AgencyFactory(name="Probation", kind=AgencyKind.NPS)
    agreement_for(probation)  # covering every section
    offender_manager = factories.UserFactory(agency=probation, role=Role.MANAGER)
    set_offender_managers(nominal, users=[offender_manager], by=offender_manager)
    membership = start_membership(nominal, by=offender_manager, stream="sac", lead_agency=probation)
    referral = factories.ReferralFactory(nominal=nominal, status="accepted", membership=membership)
    return {
        "nominal": nominal,
        "offender_manager": offender_manager,
        "membership": membership,
        "referral": referral,
        "pathway_action": pathway_factories.action_on(nominal, "drugs-alcohol", probation),
        **controls_case(nominal, offender_manager),
        "document": ReadyDocumentFactory(nominal=nominal, requested_by=offender_manager),
        **recording_case(nominal, offender_manager),
        "alias": factories.AliasFactory(nominal=nominal),
        "decision": factories.PanelDecisionFactory(referral=referral),
        "task": create_task(
            by=None, nominal=nominal, title="Follow up", owner_team=offender_manager.team
        ),
        "contact": ContactFactory(
            nominal=nominal, attendance="did-not-attend", absence="no-reason", is_shared=True
        ),
    }


@pytest.mark.parametrize("url_name", NOMINAL_URLS)
def test_user_of_an_unrelated_agency_cannot_reach_a_nominal(client, outsider, case, url_name):
    nominal = case["nominal"]
    client.force_login(outsider)
    response = client.get(_url(url_name, case))
    assert response.status_code in ((405,) if url_name in POST_ONLY else (403, 404))
    body = response.content.decode()
    assert nominal.surname not in body
    assert nominal.pnc_id not in body


@pytest.mark.parametrize("url_name", NOMINAL_URLS)
def test_user_of_an_unrelated_agency_cannot_change_a_nominal(client, outsider, case, url_name):
    nominal = case["nominal"]
    client.force_login(outsider)
    url = _url(url_name, case)
    response = client.post(url, {"surname": "Hacked", "version": nominal.version})
    api_response = client.patch(
        url, {"surname": "Hacked", "version": nominal.version}, content_type="application/json"
    )
    assert response.status_code in (403, 404, 405)
    assert api_response.status_code in (403, 404, 405)
    nominal.refresh_from_db()
    assert nominal.surname == "Zebedee-Matrix"


@pytest.mark.parametrize(
    "url_name", [name for name in NOMINAL_URLS if name not in POST_ONLY | IOM_UNIT_ONLY]
)
def test_offender_manager_reaches_every_page_of_their_nominal(client, case, url_name):
    nominal = case["nominal"]
    client.force_login(case["offender_manager"])
    response = client.get(_url(url_name, case))
    assert response.status_code == 200
    assert nominal.surname in _text(response)


def _text(response) -> str:
    """The page, or the text of a downloaded PDF."""
    if response.get("Content-Type") == "application/pdf":
        pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
        return " ".join(page.extract_text() for page in pdf.pages)
    return response.content.decode()


def test_signed_out_visitor_is_sent_to_sign_in(client, case):
    response = client.get(reverse("cohorts:nominal", kwargs={"pk": case["nominal"].pk}))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_signed_out_api_client_is_refused(client, case):
    response = client.get(reverse("nominal-detail", kwargs={"pk": case["nominal"].pk}))
    assert response.status_code in (401, 403)


def test_outsiders_cohort_list_search_and_export_leave_the_nominal_out(client, outsider, case):
    nominal = case["nominal"]
    client.force_login(outsider)
    # The search box repeats what was typed, so each search checks for the other details.
    searches = [
        ({"q": nominal.surname}, [nominal.pnc_id, nominal.first_names]),
        ({"q": nominal.pnc_id}, [nominal.surname, nominal.first_names]),
        ({}, [nominal.surname, nominal.pnc_id]),
    ]
    for params, secrets in searches:
        body = client.get(reverse("cohorts:list"), params).content.decode()
        assert not any(secret in body for secret in secrets)
    for url in (reverse("cohorts:export"), reverse("nominal-list"), reverse("referral-list")):
        response = client.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert nominal.surname.encode() not in body
