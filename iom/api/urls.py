"""Every app's API routes under /api/. Higher apps add their viewsets to this router."""

from rest_framework.routers import DefaultRouter

from cohorts.api import NominalViewSet

router = DefaultRouter()
router.register("nominals", NominalViewSet, basename="nominal")

urlpatterns = router.urls
