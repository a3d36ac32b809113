"""Every app's API routes under /api/. Higher apps add their viewsets to this router."""

from rest_framework.routers import DefaultRouter

from cohorts.api import MembershipViewSet, NominalViewSet
from cohorts.contacts.api import ContactViewSet
from cohorts.controls.api import (
    BreachViewSet,
    ControlMeasureViewSet,
    DrugTestViewSet,
    LicenceViewSet,
    RecallViewSet,
)
from cohorts.risk.api import (
    ArrestViewSet,
    CustodyPeriodViewSet,
    DetectedOffenceViewSet,
    DynamicFactorViewSet,
    IntelligenceReportViewSet,
    RankingRunViewSet,
    ResidencePeriodViewSet,
    RiskAssessmentViewSet,
)
from pathways.api import PathwayActionViewSet, PathwayPersonViewSet
from referrals.api import ReferralViewSet
from reports.api import DocumentViewSet
from reports.report_api import CohortReportViewSet, DashboardFiguresViewSet

router = DefaultRouter()
router.register("nominals", NominalViewSet, basename="nominal")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("pathway-people", PathwayPersonViewSet, basename="pathway-person")
router.register("pathway-actions", PathwayActionViewSet, basename="pathway-action")
router.register("licences", LicenceViewSet, basename="licence")
router.register("breaches", BreachViewSet, basename="breach")
router.register("drug-tests", DrugTestViewSet, basename="drug-test")
router.register("control-measures", ControlMeasureViewSet, basename="control-measure")
router.register("recalls", RecallViewSet, basename="recall")
router.register("contacts", ContactViewSet, basename="contact")
router.register("documents", DocumentViewSet, basename="document")
router.register("report-figures", DashboardFiguresViewSet, basename="report-figures")
router.register("cohort-reports", CohortReportViewSet, basename="cohort-report")
router.register("risk-assessments", RiskAssessmentViewSet, basename="risk-assessment")
router.register("ranking-runs", RankingRunViewSet, basename="ranking-run")
router.register("detected-offences", DetectedOffenceViewSet, basename="detected-offence")
router.register("arrests", ArrestViewSet, basename="arrest")
router.register("intelligence-reports", IntelligenceReportViewSet, basename="intelligence-report")
router.register("custody-periods", CustodyPeriodViewSet, basename="custody-period")
router.register("residence-periods", ResidencePeriodViewSet, basename="residence-period")
router.register("dynamic-factors", DynamicFactorViewSet, basename="dynamic-factor")

urlpatterns = router.urls
