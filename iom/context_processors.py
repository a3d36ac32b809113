from django.conf import settings


def service(request):
    """The service's name and area, and which top-level section the page belongs to."""
    match = getattr(request, "resolver_match", None)
    return {
        "service_name": settings.IOM_SERVICE_NAME,
        "area_name": settings.IOM_AREA_NAME,
        "current_section": match.app_name if match else "",
    }
