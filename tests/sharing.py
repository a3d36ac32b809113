"""Sharing records in tests as the service does: with a team, under a live agreement."""

import datetime

from django.utils import timezone

from cohorts.models import ShareBasis
from cohorts.services import grant_share
from iom.models import Agency, OffendingCover, PathwaysCover, SharingAgreement, Team
from iom.services import create_agreement

EVERY_SECTION = {
    "covers_identity": True,
    "offending": OffendingCover.WITH_ARRESTS,
    "covers_intelligence": True,
    "covers_risk": True,
    "covers_controls": True,
    "covers_contacts": True,
    "pathways": PathwaysCover.FULL,
    "covers_documents": True,
}


def agreement_for(*agencies: Agency, name: str = "", ends_in_days=None, **sections):
    """A live agreement naming ``agencies``: every section, unless ``sections`` say otherwise
    (``covers_risk=False``, ``pathways="summary"``, ...)."""
    today = timezone.localdate()
    covered = {**EVERY_SECTION, **sections}
    return create_agreement(
        parties=agencies,
        name=name or f"Agreement {SharingAgreement.objects.count() + 1}",
        purpose="Joint management of the IOM cohort.",
        legal_basis="DPA 2018 Part 3; Crime and Disorder Act 1998 s.115.",
        starts_on=today - datetime.timedelta(days=30),
        review_on=today + datetime.timedelta(days=300),
        ends_on=None if ends_in_days is None else today + datetime.timedelta(days=ends_in_days),
        **covered,
    )


def ensure_agreement(agency: Agency) -> None:
    """Give the agency a live agreement covering everything, unless it has one already."""
    if not SharingAgreement.objects.filter(parties=agency).exists():
        agreement_for(agency)


def team_of(target) -> Team:
    """The team a record is shared with for ``target``: a team, a user's team, or an
    agency's case team (the team the factories put partner users in)."""
    if isinstance(target, Team):
        return target
    if isinstance(target, Agency):
        from tests.factories import case_team_of

        return case_team_of(target)
    if target.team is None:
        from iom.services import sync_groups
        from tests.factories import case_team_of

        target.team = case_team_of(target.agency)
        target.save(update_fields=["team"])
        sync_groups(target)
    return target.team


def share_with(nominal, target, *, by=None, basis=ShareBasis.OFFICER, agreement: bool = True):
    """Share ``nominal`` with ``target`` (a team, a user or an agency), and make sure the
    team's agency has a live agreement (one covering everything) unless ``agreement=False``."""
    team = team_of(target)
    if agreement:
        ensure_agreement(team.agency)
    return grant_share(nominal, team, by=by, basis=basis)
