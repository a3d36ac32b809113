"""A partner sees exactly the sections of a record that its agency's live agreement covers:
in the pages, the cohort list, the API, and the audit of what they saw."""

import pytest
from django.urls import reverse

from iom.models import AgencyKind, AuditAction, AuditEvent, OffendingCover, PathwaysCover
from tests import factories
from tests.risk import factories as risk
from tests.sharing import agreement_for, share_with

ONLY_IDENTITY_AND_PATHWAYS = {
    "offending": OffendingCover.NONE,
    "covers_intelligence": False,
    "covers_risk": False,
    "covers_controls": False,
    "covers_contacts": False,
    "pathways": PathwaysCover.SUMMARY,
    "covers_documents": False,
}


@pytest.fixture
def drugs(db):
    return factories.AgencyFactory(name="Drug service", kind=AgencyKind.DRUG_ALCOHOL)


@pytest.fixture
def summary_partner(drugs):
    """A drug worker whose agreement covers identity and the pathways in summary only."""
    agreement_for(drugs, name="Pathways only", **ONLY_IDENTITY_AND_PATHWAYS)
    return factories.UserFactory(agency=drugs)


@pytest.fixture
def shared(summary_partner):
    nominal = factories.members(1)[0]
    share_with(nominal, summary_partner, agreement=False)
    return nominal


@pytest.mark.parametrize(
    ("url_name", "section"),
    [
        ("cohorts:offending", "offending"),
        ("cohorts:risk", "risk"),
        ("cohorts:controls", "control measures"),
        ("reports:documents", "documents"),
        ("cohorts:audit", None),
    ],
)
def test_a_section_the_agreement_does_not_cover_is_refused_saying_why(
    client, summary_partner, shared, url_name, section
):
    client.force_login(summary_partner)
    response = client.get(reverse(url_name, args=[shared.pk]))
    assert response.status_code == 403
    if section:
        assert f"does not cover the {section}" in response.content.decode()


def test_the_record_shows_only_the_covered_sections_in_its_navigation(
    client, summary_partner, shared
):
    client.force_login(summary_partner)
    page = client.get(reverse("cohorts:nominal", args=[shared.pk])).content.decode()
    nav = page[page.index("moj-sub-navigation") :]
    nav = nav[: nav.index("</nav>")]
    assert ">Summary<" in nav and ">Pathways<" in nav
    for hidden in (">Offending<", ">Risk<", ">Controls<", ">Documents<", ">Audit<"):
        assert hidden not in nav


def test_the_cohort_list_has_no_risk_or_controls_column_and_ignores_their_filters(
    client, summary_partner, shared
):
    client.force_login(summary_partner)
    response = client.get(reverse("cohorts:list"), {"risk": "red"})
    page = response.content.decode()
    assert response.status_code == 200
    assert shared.surname in page  # the band filter is not applied: it is not theirs to use
    assert ">Risk<" not in page and ">Controls<" not in page and "OGRS3" not in page


def test_the_api_gives_a_partner_no_rows_of_an_uncovered_section(client, summary_partner, shared):
    risk.DetectedOffenceFactory(nominal=shared)
    risk.ArrestFactory(nominal=shared)
    client.force_login(summary_partner)
    for name in ("detected-offence-list", "arrest-list", "risk-assessment-list", "licence-list"):
        body = client.get(reverse(name)).json()
        assert body["results"] == [], name


def test_convictions_only_hides_arrests_in_the_page_and_the_api(client, drugs):
    agreement_for(drugs, offending=OffendingCover.CONVICTIONS)
    worker = factories.UserFactory(agency=drugs)
    nominal = factories.members(1)[0]
    share_with(nominal, worker, agreement=False)
    risk.DetectedOffenceFactory(nominal=nominal, external_ref="DET-SEEN")
    risk.ArrestFactory(nominal=nominal, external_ref="ARR-HIDDEN")
    client.force_login(worker)
    page = client.get(reverse("cohorts:offending", args=[nominal.pk])).content.decode()
    assert "DET-SEEN" in page and "ARR-HIDDEN" not in page
    assert "Not shared with your agency" in page
    assert client.get(reverse("arrest-list")).json()["results"] == []
    assert len(client.get(reverse("detected-offence-list")).json()["results"]) == 1


def test_intelligence_reaches_a_partner_only_under_a_sharing_handling_code_never_an_informants(
    client, drugs
):
    agreement_for(drugs)  # covers intelligence
    worker = factories.UserFactory(agency=drugs)
    nominal = factories.members(1)[0]
    share_with(nominal, worker, agreement=False)
    risk.IntelligenceReportFactory(nominal=nominal, external_ref="INT-P", handling_code="P")
    risk.IntelligenceReportFactory(nominal=nominal, external_ref="INT-UNSET", handling_code="")
    risk.IntelligenceReportFactory(nominal=nominal, external_ref="INT-CODE4", handling_code="4")
    risk.IntelligenceReportFactory(
        nominal=nominal,
        external_ref="INT-INFORMANT",
        intelligence_source="informant",
        grading="B2",
        handling_code="P",
    )
    client.force_login(worker)
    page = client.get(reverse("cohorts:offending", args=[nominal.pk])).content.decode()
    assert "INT-P" in page
    for hidden in ("INT-UNSET", "INT-CODE4", "INT-INFORMANT"):
        assert hidden not in page
    refs = [
        r["external_ref"] for r in client.get(reverse("intelligence-report-list")).json()["results"]
    ]
    assert refs == ["INT-P"]


def test_the_iom_unit_sees_every_intelligence_report(client, officer):
    nominal = factories.members(1)[0]
    risk.IntelligenceReportFactory(
        nominal=nominal, external_ref="INT-INFORMANT", intelligence_source="informant"
    )
    client.force_login(officer)
    page = client.get(reverse("cohorts:offending", args=[nominal.pk])).content.decode()
    assert "INT-INFORMANT" in page


def test_a_partners_consultation_names_the_agreement_it_was_made_under(
    client, summary_partner, shared
):
    client.force_login(summary_partner)
    client.get(reverse("cohorts:nominal", args=[shared.pk]))
    event = (
        AuditEvent.objects.about(shared)
        .filter(action=AuditAction.CONSULTATION, user=summary_partner)
        .get()
    )
    assert event.agreement.name == "Pathways only"


def test_a_manager_lists_the_disclosures_made_under_an_agreement(
    client, manager, summary_partner, shared
):
    client.force_login(summary_partner)
    client.get(reverse("cohorts:nominal", args=[shared.pk]))
    agreement = summary_partner.agency.sharing_agreements.get()
    client.force_login(manager)
    page = client.get(reverse("agreement", args=[agreement.pk])).content.decode()
    assert shared.full_name in page and summary_partner.username in page


def test_a_partner_manager_is_refused_the_agreements_reports_and_geography(client, drugs):
    agreement_for(drugs)
    partner_manager = factories.UserFactory(agency=drugs, role="manager")
    client.force_login(partner_manager)
    for name in ("agreements", "reports:index", "reports:geography", "reports:cohort-reports"):
        assert client.get(reverse(name)).status_code == 403, name


def test_iom_managers_are_warned_of_a_lapsed_agreement_on_the_cohort_list(client, manager, drugs):
    agreement_for(drugs, name="Old pilot", ends_in_days=-3)
    client.force_login(manager)
    page = client.get(reverse("cohorts:list")).content.decode()
    assert "Old pilot lapsed on" in page


def test_documents_need_every_section_they_hold(client, drugs, officer):
    from cohorts.services import set_offender_managers
    from tests.reports.factories import ReadyDocumentFactory

    agreement_for(drugs, covers_risk=False)  # documents covered, but not the risk they show
    manager_of_case = factories.UserFactory(agency=drugs, role="officer")
    nominal = factories.members(1)[0]
    set_offender_managers(nominal, users=[manager_of_case], by=officer)
    document = ReadyDocumentFactory(nominal=nominal)
    client.force_login(manager_of_case)
    download = reverse("reports:document-download", args=[nominal.pk, document.pk])
    assert client.get(download).status_code == 403
    response = client.post(reverse("reports:documents", args=[nominal.pk]), {"kind": "rag"})
    assert response.status_code == 404
    assert client.get(reverse("document-list")).json()["results"] == []
