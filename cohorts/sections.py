"""The sections of a person's record, shared by every app that adds one.

Each entry is (slug, label, URL name); the URL takes the nominal's ``pk``. Each section is
served by the app that owns its records; ``cohorts`` only names them.
"""

from django.utils import timezone

from iom import audit
from iom.models import AuditAction

SECTIONS = [
    ("summary", "Summary", "cohorts:nominal"),
    ("offending", "Offending", "cohorts:offending"),
    ("risk", "Risk", "cohorts:risk"),
    ("pathways", "Pathways", "pathways:plan"),
    ("controls", "Controls", "cohorts:controls"),
    ("documents", "Documents", "reports:documents"),
    ("audit", "Audit", "cohorts:audit"),
]

def section_context(request, nominal, section: str, **extra) -> dict:
    """What ``cohorts/nominal_base.html`` needs, plus the page's own context."""
    return {
        "nominal": nominal,
        "sections": SECTIONS,
        "section": section,
        "today": timezone.localdate(),
        **extra,
    }


def record_consultation(request, nominal, section: str) -> None:
    """Every view of a section of a person's record is a consultation (DPA 2018 s.62)."""
    audit.record(
        audit.actor_from_request(request),
        AuditAction.CONSULTATION,
        nominal,
        nominal=nominal,
        description=f"Viewed the {section} section",
    )
