"""Every app's API routes under /api/. Higher apps add their viewsets to this router."""

from rest_framework.routers import DefaultRouter

from cohorts.api import MembershipViewSet, NominalViewSet
from referrals.api import ReferralViewSet

router = DefaultRouter()
router.register("nominals", NominalViewSet, basename="nominal")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("referrals", ReferralViewSet, basename="referral")

urlpatterns = router.urls
