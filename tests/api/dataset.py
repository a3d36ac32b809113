"""A small world for the API tests: one person shared with a partner agency and one who is
not, each with a record in every part of the API (controls, pathways, offending, documents,
referrals), and the managers' reports and ranking runs.

Built with the nulls that real records carry (no supervising officer, a pending referral with
no membership, a report the schedule asked for), so a schema that forgets a null is caught."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from cohorts.risk import custody
from cohorts.risk import services as risk_services
from cohorts.risk.models import IntelligenceSubmission
from cohorts.services.tasks import create_task
from iom.models import PathwaysCover
from pathways.services import ensure_plan
from reports import measures
from reports.measures.periods import last_month
from reports.models import CohortReport, ReportStatus, ReportTrigger
from tests import factories
from tests.contacts.factories import ContactFactory
from tests.controls import factories as controls
from tests.pathways import factories as pathways
from tests.reports.factories import DocumentFactory, ReadyDocumentFactory
from tests.risk import factories as risk

TODAY = datetime.date.today()


def _person_with_records(officer, partner, *, shared: bool) -> dict:
    """A current member with a record in every part of the API, shared with the partner's
    agency or not."""
    partner_agency = partner.agency
    if shared:
        nominal = pathways.member_shared_with(partner_agency)
    else:
        nominal = factories.members(1)[0]
        ensure_plan(nominal)
    case = controls.controls_case(nominal, officer)
    # Probation contacted the moment the recall started: a step done in 0 seconds.
    recall = case["recall"]
    recall.probation_contacted_at = recall.started_at
    recall.save(update_fields=["probation_contacted_at"])
    curfew = controls.ControlMeasureFactory(
        nominal=nominal,
        category="bail",
        kind="curfew",
        curfew_from=datetime.time(21, 0),
        curfew_until=datetime.time(7, 0),
        created_by=officer,
    )
    custody_period = risk.CustodyPeriodFactory(nominal=nominal)
    (plan_item,) = custody.plan_release(
        custody_period.pk,
        by=officer,
        items={"gp": {"owner_agency": officer.agency, "due_on": TODAY, "details": ""}},
    )
    for factory in (
        risk.ResidencePeriodFactory,
        risk.DynamicFactorFactory,
    ):
        factory(nominal=nominal)
    referral = factories.ReferralFactory(nominal=nominal, referred_by=officer)
    return {
        "nominal": nominal,
        "detected_offence": risk.DetectedOffenceFactory(nominal=nominal),
        "arrest": risk.ArrestFactory(nominal=nominal),
        "intelligence_report": risk.IntelligenceReportFactory(nominal=nominal),
        # A partner's submission waiting for the IOM unit (none is made about someone the
        # partner cannot see, but the id is tried all the same).
        "submission": IntelligenceSubmission.objects.create(
            nominal=nominal,
            agency=partner.agency,
            submitted_by=partner,
            reported_on=TODAY,
            summary="Seen at the flat.",
        ),
        "contact": ContactFactory(nominal=nominal, recorded_by=officer),
        "task": create_task(
            by=officer,
            title="Arrange a housing assessment",
            nominal=nominal,
            owner_agency=officer.agency,
        ),
        # At the panel's meeting, and not yet applied to the referral.
        "panel_decision": factories.PanelDecisionFactory(referral=referral),
        "membership": nominal.memberships.get(),
        # Waiting for the panel: no membership yet.
        "referral": referral,
        "pathway_action": pathways.action_on(
            nominal, "drugs-alcohol", partner_agency, description="Assessment at the hub"
        ),
        "other_action": pathways.action_on(nominal, "accommodation", officer.agency),
        "document": ReadyDocumentFactory(nominal=nominal, requested_by=officer),
        "queued_document": DocumentFactory(nominal=nominal, requested_by=officer),
        "curfew": curfew,
        "custody_period": custody_period,
        "release_plan_item": plan_item,
        **case,
    }


def _cohort_reports() -> dict:
    period = last_month(timezone.localdate())
    figures = measures.build(period)
    files = {
        name: ContentFile(content, name=f"report.{name}")
        for name, content in (("pdf", b"%PDF-1.4\n"), ("csv", b"a,b\n"), ("xlsx", b"PK\x03\x04"))
    }
    ready = CohortReport.objects.create(
        period_start=period.start,
        period_end=period.end,
        trigger=ReportTrigger.MONTHLY,
        status=ReportStatus.READY,
        fingerprint="scheduled",
        price_year=figures["price_year"],
        figures=figures,
        page_count=3,
        started_at=timezone.now(),
        completed_at=timezone.now(),
        **files,
    )
    queued = CohortReport.objects.create(
        period_start=period.start,
        period_end=period.end,
        trigger=ReportTrigger.MONTHLY,
        fingerprint="queued",
    )
    return {"ready": ready, "queued": queued}


def build() -> dict:
    """The people, the users who look at them, and the records of every part of the API."""
    officer = factories.IomOfficerFactory()
    manager = factories.ManagerFactory()
    partner_agency = pathways.drug_service(sharing=PathwaysCover.SUMMARY)
    partner = pathways.worker_of(partner_agency)
    shared = _person_with_records(officer, partner, shared=True)
    unshared = _person_with_records(officer, partner, shared=False)
    run = risk_services.rerank(TODAY)
    reports = _cohort_reports()
    return {
        "users": {"officer": officer, "manager": manager, "partner": partner},
        "shared": shared,
        "unshared": unshared,
        "run": run,
        "reports": reports,
    }
