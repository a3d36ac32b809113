"""What a referral of a ranked person starts from: the ranking's reasons, the stream its
offending suggests and the lead agency where the record knows it. The referrer checks and
changes them; nothing is sent without them.

Only what the referrer may see goes in: the reasons come from the Risk section, so a user
whose agreements do not cover it gets no reasons (and no stream suggested from them).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from cohorts.models import CohortMembership, CohortStream, NationalCategory
from cohorts.risk import explain
from cohorts.risk import queries as risk_queries
from cohorts.risk.models import (
    Arrest,
    DetectedOffence,
    OffenceCategory,
    OffenceType,
    RiskAssessment,
)
from iom.models import LEAD_AGENCY_KINDS, Agency

# Serious acquisitive crime: burglary, robbery and vehicle crime, by the offence type's
# category or, where the category is wider ("other" holds business robbery and non-dwelling
# burglary), its OGRS3 category.
SAC_CATEGORIES = frozenset(
    {
        OffenceCategory.BURGLARY_DWELLING,
        OffenceCategory.ROBBERY_PERSONAL,
        OffenceCategory.THEFT_FROM_VEHICLE,
        OffenceCategory.THEFT_OF_VEHICLE,
        OffenceCategory.VEHICLE_INTERFERENCE,
    }
)
SAC_OGRS3_CATEGORIES = frozenset(
    {"burglary_domestic", "burglary_other", "robbery", "theft_from_vehicle", "vehicle_taking"}
)
OFFENDING_KINDS = frozenset({"detection", "arrest", "intelligence"})
# How far back the offences that suggest the stream go, and how many reasons are quoted.
RECENT_DAYS = 365
REASONS_QUOTED = 5


@dataclass(frozen=True)
class Prefill:
    assessment: RiskAssessment | None
    stream: str
    national_category: str
    lead_agency: Agency | None
    reasons: str

    @property
    def initial(self) -> dict:
        """The referral form's initial values: only what is known."""
        values = {"stream": self.stream, "national_category": self.national_category}
        if self.lead_agency is not None:
            values["proposed_lead_agency"] = self.lead_agency.pk
        if self.reasons:
            values["reasons"] = self.reasons
        return {name: value for name, value in values.items() if value}

    @property
    def stream_label(self) -> str:
        return CohortStream(self.stream).label if self.stream else ""


def _stream_of(category: str, ogrs3_category: str = "") -> str:
    if category in SAC_CATEGORIES or ogrs3_category in SAC_OGRS3_CATEGORIES:
        return CohortStream.SAC
    if category == OffenceCategory.VIOLENCE:
        return CohortStream.VIOLENCE
    return ""


def _most_of(weights: dict[str, float]) -> str:
    """The stream that carries most of the weight, if it is a stream at all."""
    if not weights:
        return ""
    return max(weights, key=lambda stream: (weights[stream], stream != ""))


def stream_from_offences(offence_types) -> str:
    """SAC when burglary, robbery and vehicle crime are most of the offences (detections
    and arrests), Violence when violence is; otherwise none (the referrer chooses)."""
    weights: dict[str, float] = defaultdict(float)
    for offence_type in offence_types:
        weights[_stream_of(offence_type.category, offence_type.ogrs3_category)] += 1
    return _most_of(weights)


def stream_from_ranking(contributions: list[dict]) -> str:
    """The same, weighing the ranking's offending factors by their points."""
    weights: dict[str, float] = defaultdict(float)
    for contribution in contributions:
        if contribution.get("kind") in OFFENDING_KINDS and contribution.get("points", 0) > 0:
            weights[_stream_of(contribution.get("factor", ""))] += contribution["points"]
    return _most_of(weights)


def _recent_offence_types(user, nominal, today: datetime.date) -> list[OffenceType]:
    """The offence types of the detections and arrests of the last 12 months the user's
    agreements let them see (none without the Offending section)."""
    since = today - datetime.timedelta(days=RECENT_DAYS)
    types = []
    for model, date_field in ((DetectedOffence, "committed_on"), (Arrest, "arrested_on")):
        rows = risk_queries.visible_history(model, user).filter(
            nominal=nominal, **{f"{date_field}__gte": since}
        )
        types += [row.offence_type for row in rows]
    return types


def known_lead_agency(nominal) -> Agency | None:
    """The record's lead agency, else that of their last time on the cohort, else the one
    lead agency among their offender managers' agencies."""
    if nominal.lead_agency_id and nominal.lead_agency.can_lead:
        return nominal.lead_agency
    last = (
        CohortMembership.objects.filter(nominal=nominal, lead_agency__isnull=False)
        .select_related("lead_agency")
        .order_by("-entered_on", "-id")
        .first()
    )
    if last is not None:
        return last.lead_agency
    agencies = list(
        Agency.objects.filter(
            kind__in=LEAD_AGENCY_KINDS, users__managed_nominals=nominal
        ).distinct()[:2]
    )
    return agencies[0] if len(agencies) == 1 else None


def _reasons_text(assessment: RiskAssessment) -> str:
    reasons = [r for r in explain.reasons(assessment) if not r.is_reduction][:REASONS_QUOTED]
    if not reasons:
        return ""
    lines = [
        f"Ranked {assessment.get_band_display()} (score {assessment.score}) on "
        f"{assessment.assessed_on:%-d %B %Y}, as an emerging threat:"
    ]
    lines += [f"- {reason.words} ({reason.points})" for reason in reasons]
    return "\n".join(lines)


def for_referral(user, nominal) -> Prefill:
    """The prefill of a referral of ``nominal`` by ``user`` (who may see the person)."""
    assessment = (
        risk_queries.visible_assessments(user)
        .filter(nominal=nominal)
        .order_by("-assessed_on", "-id")
        .first()
    )
    stream = stream_from_offences(_recent_offence_types(user, nominal, timezone.localdate())) or (
        stream_from_ranking(assessment.contributions) if assessment else ""
    )
    return Prefill(
        assessment=assessment,
        stream=stream,
        national_category=NationalCategory.FIXED if stream == CohortStream.SAC else "",
        lead_agency=known_lead_agency(nominal),
        reasons=_reasons_text(assessment) if assessment else "",
    )
