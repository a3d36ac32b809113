"""What of a person's record a user may see: the sections their agency's agreements cover.

``iom.access`` decides *which people* a user may see (the records shared with their team or
with them by name). This module decides *which sections* of those people's records: the IOM
unit sees everything; a partner sees what the live information-sharing agreements naming
their agency cover, and nothing at all when none is live; an administrator sees no case
record.

Every page, list, export, document and API endpoint asks ``terms_for(user)`` (computed once
per request and kept on the user object) rather than checking roles itself.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import models
from django.utils import timezone

from iom.formatting import long_date

from .models import OffendingCover, PathwaysCover, SharingAgreement

# The sections of a person's record an agreement can cover.
IDENTITY = "identity"
OFFENDING = "offending"
ARRESTS = "arrests"
INTELLIGENCE = "intelligence"
RISK = "risk"
CONTROLS = "controls"
CONTACTS = "contacts"
PATHWAYS = "pathways"
PATHWAYS_IN_FULL = "pathways-full"
DOCUMENTS = "documents"

SECTION_NAMES = {
    IDENTITY: "identity",
    OFFENDING: "offending",
    ARRESTS: "arrests",
    INTELLIGENCE: "intelligence",
    RISK: "risk",
    CONTROLS: "control measures",
    CONTACTS: "contacts",
    PATHWAYS: "pathways",
    PATHWAYS_IN_FULL: "pathways in full",
    DOCUMENTS: "documents",
}

# Handling codes under which a report may be shared outside the police: P and C of the 3x5x2
# grading (C with the conditions recorded on the report), 1 to 3 of the older 5x5x5.
SHAREABLE_HANDLING_CODES = ("P", "C", "1", "2", "3")


@dataclass(frozen=True)
class SharingTerms:
    """The sections one user may see of the records shared with them, and why."""

    sections: frozenset[str] = frozenset()
    # The live agreements these terms come from (empty for the IOM unit and for outsiders).
    agreement_ids: tuple[int, ...] = ()
    is_iom_unit: bool = False

    def covers(self, section: str) -> bool:
        return section in self.sections

    @property
    def sees_records(self) -> bool:
        return IDENTITY in self.sections

    @property
    def agreement_id(self) -> int | None:
        """The agreement a consultation or disclosure is made under (the oldest live one)."""
        return self.agreement_ids[0] if self.agreement_ids else None


EVERYTHING = SharingTerms(sections=frozenset(SECTION_NAMES), is_iom_unit=True)
NOTHING = SharingTerms()


def sections_of(agreement: SharingAgreement) -> set[str]:
    sections = set()
    if agreement.covers_identity:
        sections.add(IDENTITY)
    if agreement.offending != OffendingCover.NONE:
        sections.add(OFFENDING)
    if agreement.offending == OffendingCover.WITH_ARRESTS:
        sections.add(ARRESTS)
    if agreement.covers_intelligence:
        sections.add(INTELLIGENCE)
    if agreement.covers_risk:
        sections.add(RISK)
    if agreement.covers_controls:
        sections.add(CONTROLS)
    if agreement.covers_contacts:
        sections.add(CONTACTS)
    if agreement.pathways != PathwaysCover.NONE:
        sections.add(PATHWAYS)
    if agreement.pathways == PathwaysCover.FULL:
        sections.add(PATHWAYS_IN_FULL)
    if agreement.covers_documents:
        sections.add(DOCUMENTS)
    return sections


def ordered(sections) -> list[str]:
    return [section for section in SECTION_NAMES if section in sections]


def agreement_status(agreement: SharingAgreement, on: datetime.date) -> str:
    """ "Live", "Review overdue", "Lapsed" or "Not started" on a date."""
    if agreement.starts_on > on:
        return "Not started"
    if agreement.ends_on is not None and agreement.ends_on < on:
        return "Lapsed"
    if agreement.review_on < on:
        return "Review overdue"
    return "Live"


def agreement_warnings(on: datetime.date | None = None) -> list[str]:
    """What the IOM unit's managers must act on: agreements lapsed in the last 90 days (their
    partners see nothing now) and live ones past their review date. One query."""
    on = on or timezone.localdate()
    warnings = []
    recent = on - datetime.timedelta(days=90)
    for agreement in (
        SharingAgreement.objects.filter(
            models.Q(ends_on__range=(recent, on - datetime.timedelta(days=1)))
            | models.Q(review_on__lt=on, starts_on__lte=on)
        )
        .exclude(ends_on__lt=recent)
        .order_by("name")
    ):
        if agreement.ends_on is not None and agreement.ends_on < on:
            warnings.append(
                f"{agreement.name} lapsed on {long_date(agreement.ends_on)}: its parties see no "
                "records until it is renewed."
            )
        else:
            warnings.append(
                f"{agreement.name} was due for review on {long_date(agreement.review_on)}."
            )
    return warnings


def live_agreements(on: datetime.date | None = None):
    on = on or timezone.localdate()
    return SharingAgreement.objects.filter(starts_on__lte=on).exclude(ends_on__lt=on)


def _compute(user) -> SharingTerms:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return NOTHING
    if user.is_administrator:
        return NOTHING
    if user.sees_whole_cohort:
        return EVERYTHING
    if user.agency_id is None:
        return NOTHING
    agreements = list(live_agreements().filter(parties=user.agency_id).order_by("starts_on", "id"))
    sections: set[str] = set()
    for agreement in agreements:
        sections |= sections_of(agreement)
    return SharingTerms(sections=frozenset(sections), agreement_ids=tuple(a.pk for a in agreements))


def terms_for(user) -> SharingTerms:
    """The user's terms, computed once per user object (one query for a partner)."""
    terms = getattr(user, "_iom_sharing_terms", None)
    if terms is None:
        terms = _compute(user)
        if getattr(user, "is_authenticated", False):
            user._iom_sharing_terms = terms
    return terms


def covers(user, section: str) -> bool:
    return terms_for(user).covers(section)


def intelligence_is_shareable(*, source: str, handling_code: str) -> bool:
    """Whether a partner covered for intelligence may see one report: never an informant's,
    and only under a handling code that permits sharing."""
    return source != "informant" and handling_code in SHAREABLE_HANDLING_CODES


def forget(user) -> None:
    """Drop the cached terms (after the user's team, agency or agreements change)."""
    if hasattr(user, "_iom_sharing_terms"):
        del user._iom_sharing_terms
