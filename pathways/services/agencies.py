"""The pathways each agency delivers: the defaults of its kind, given once."""

from __future__ import annotations

from django.db import transaction

from iom import audit
from iom.models import AuditAction

from .. import defaults
from ..models import AgencyPathway, AgencyPathwaySettings


@transaction.atomic
def configure_agencies(agencies, *, by=None) -> int:
    """Give each agency without pathway settings the defaults of its kind (bulk inserts).

    Returns how many agencies were configured; agencies already configured are left alone.
    """
    agencies = list(agencies)
    configured = set(
        AgencyPathwaySettings.objects.filter(agency__in=agencies).values_list(
            "agency_id", flat=True
        )
    )
    agencies = [agency for agency in agencies if agency.pk not in configured]
    if not agencies:
        return 0
    AgencyPathwaySettings.objects.bulk_create(
        [AgencyPathwaySettings(agency=agency) for agency in agencies]
    )
    settings = AgencyPathwaySettings.objects.filter(agency__in=agencies).select_related("agency")
    AgencyPathway.objects.bulk_create(
        [
            AgencyPathway(settings=setting, pathway=pathway)
            for setting in settings
            for pathway in defaults.DELIVERED_BY_KIND.get(setting.agency.kind, ())
        ]
    )
    for setting in settings:
        audit.record(
            by,
            AuditAction.COLLECTION,
            setting,
            description=f"Configured the pathways of {setting.agency} from its kind",
        )
    return len(agencies)
