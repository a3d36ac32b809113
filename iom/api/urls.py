"""Every app's API routes under /api/, collected from the apps themselves.

Each app of the project lists its routes as ``ROUTES`` in its ``api`` module (prefix, viewset,
name); the core imports them by name when the URLconf loads, as the admin discovers each
app's ``admin`` module, so it depends on no app. A new viewset is routed by adding it there.
"""

import importlib
import importlib.util
from pathlib import Path

from django.apps import apps
from django.conf import settings
from rest_framework.routers import DefaultRouter


def app_routes():
    """(prefix, viewset, basename) of every project app's ``api.ROUTES``, in app order."""
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if base not in Path(config.path).resolve().parents:
            continue  # a third-party app
        name = f"{config.name}.api"
        if importlib.util.find_spec(name) is None:
            continue
        yield from getattr(importlib.import_module(name), "ROUTES", ())


router = DefaultRouter()
for prefix, viewset, basename in app_routes():
    router.register(prefix, viewset, basename=basename)

urlpatterns = router.urls
