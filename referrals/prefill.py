"""What a referral of a ranked person starts from: the ranking's reasons, the stream its
offending suggests and the lead agency where the record knows it. The referrer checks and
changes them; nothing is sent without them.

Only what the referrer may see goes in: the reasons come from the Risk section, so a user
whose agreements do not cover it gets no reasons (and no stream suggested from them).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cohorts.models import CohortMembership, CohortStream, NationalCategory
from cohorts.risk import explain
from cohorts.risk import queries as risk_queries
from cohorts.risk.models import OffenceCategory, RiskAssessment
from iom.models import LEAD_AGENCY_KINDS, Agency

# Serious acquisitive crime: burglary, robbery and vehicle crime.
SAC_CATEGORIES = frozenset(
    {
        OffenceCategory.BURGLARY_DWELLING,
        OffenceCategory.ROBBERY_PERSONAL,
        OffenceCategory.THEFT_FROM_VEHICLE,
        OffenceCategory.THEFT_OF_VEHICLE,
        OffenceCategory.VEHICLE_INTERFERENCE,
    }
)
OFFENDING_KINDS = frozenset({"detection", "arrest", "intelligence"})
# How many of the ranking's reasons the referral quotes.
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


def suggested_stream(contributions: list[dict]) -> str:
    """SAC when burglary, robbery and vehicle crime carry most of the offending points;
    Violence when violence does; otherwise none (the referrer chooses)."""
    points: dict[str, float] = defaultdict(float)
    for contribution in contributions:
        if contribution.get("kind") in OFFENDING_KINDS and contribution.get("points", 0) > 0:
            category = contribution.get("factor")
            group = (
                CohortStream.SAC
                if category in SAC_CATEGORIES
                else CohortStream.VIOLENCE
                if category == OffenceCategory.VIOLENCE
                else "other"
            )
            points[group] += contribution["points"]
    if not points:
        return ""
    best = max(points, key=points.get)
    return "" if best == "other" else str(best)


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
    stream = suggested_stream(assessment.contributions) if assessment else ""
    return Prefill(
        assessment=assessment,
        stream=stream,
        national_category=NationalCategory.FIXED if stream == CohortStream.SAC else "",
        lead_agency=known_lead_agency(nominal),
        reasons=_reasons_text(assessment) if assessment else "",
    )
