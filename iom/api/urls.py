"""Every app's API routes under /api/. Higher apps add their viewsets to this router."""

from rest_framework.routers import DefaultRouter

from cohorts.api import MembershipViewSet, NominalViewSet
from cohorts.controls.api import (
    BreachViewSet,
    ControlMeasureViewSet,
    DrugTestViewSet,
    LicenceViewSet,
    RecallViewSet,
)
from referrals.api import ReferralViewSet
from reports.api import DocumentViewSet

router = DefaultRouter()
router.register("nominals", NominalViewSet, basename="nominal")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("referrals", ReferralViewSet, basename="referral")
router.register("licences", LicenceViewSet, basename="licence")
router.register("breaches", BreachViewSet, basename="breach")
router.register("drug-tests", DrugTestViewSet, basename="drug-test")
router.register("control-measures", ControlMeasureViewSet, basename="control-measure")
router.register("recalls", RecallViewSet, basename="recall")
router.register("documents", DocumentViewSet, basename="document")

urlpatterns = router.urls
