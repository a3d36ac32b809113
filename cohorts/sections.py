"""The sections of a person's record, shared by every app that adds one.

Each entry is (slug, label, URL name); the URL takes the nominal's ``pk``. Each section is
served by the app that owns its records; ``cohorts`` only names them.
"""

from django.utils import timezone

from iom import audit, sharing
from iom.models import AuditAction

# (slug, label, URL name, what of the record the user's agreements must cover: see
# iom.sharing; None: anyone who may see the person; AUDIT_TRAIL: the IOM unit's managers).
AUDIT_TRAIL = "audit-trail"
SECTIONS = [
    ("summary", "Summary", "cohorts:nominal", None),
    ("offending", "Offending", "cohorts:offending", sharing.OFFENDING),
    ("risk", "Risk", "cohorts:risk", sharing.RISK),
    ("pathways", "Pathways", "pathways:plan", sharing.PATHWAYS),
    ("controls", "Controls", "cohorts:controls", sharing.CONTROLS),
    ("contacts", "Contacts", "cohorts:contacts", sharing.CONTACTS),
    ("documents", "Documents", "reports:documents", sharing.DOCUMENTS),
    ("sharing", "Sharing", "cohorts:sharing", AUDIT_TRAIL),
    ("audit", "Audit", "cohorts:audit", AUDIT_TRAIL),
]


def sections_for(user) -> list[tuple[str, str, str]]:
    """The sections the user may open, for the record's sub-navigation."""
    terms = sharing.terms_for(user)
    shown = []
    for slug, label, url_name, needs in SECTIONS:
        if needs == AUDIT_TRAIL:
            allowed = user.is_iom_manager or (slug == "sharing" and user.sees_whole_cohort)
        else:
            allowed = needs is None or terms.covers(needs)
        if allowed:
            shown.append((slug, label, url_name))
    return shown


def section_context(request, nominal, section: str, **extra) -> dict:
    """What ``cohorts/nominal_base.html`` needs, plus the page's own context."""
    return {
        "nominal": nominal,
        "sections": sections_for(request.user),
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
