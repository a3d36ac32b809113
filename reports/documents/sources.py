"""What each document says, gathered from the apps below ``reports``.

Every read is a constant number of queries. A section that cannot be built fails the render
with its reason (the document is marked failed and says why); nothing is left out silently.
"""

from __future__ import annotations

import base64
import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from cohorts import services as cohort_services
from cohorts.contacts import queries as contact_queries
from cohorts.controls import services as controls_services
from cohorts.controls.queries import Controls, controls_of
from cohorts.models import (
    APPROACH_FOR_ENGAGEMENT,
    Engagement,
    EngagementStatus,
    MembershipStatus,
    Nominal,
)
from cohorts.risk import explain
from cohorts.risk.custody import open_period
from cohorts.risk.models import (
    DetectedOffence,
    DetectionOutcome,
    RiskAssessment,
    RiskOverride,
    SanctionKind,
)
from iom.formatting import long_date
from pathways.models import PathwayAction, PlanPathway

from .recommendations import recommended_bail_conditions

# Offending shown as "recent" in the control-court briefing and the RAG document.
RECENT_OFFENDING_DAYS = 365
# The recall pack lists each drug test of this many days before the document in full, and
# summarises earlier ones as counts per month (the Controls section lists every test).
TESTS_LISTED_IN_FULL_DAYS = 365


@dataclass
class Risk:
    band: str
    band_label: str
    score: Any
    assessed_on: datetime.date
    reasons: list[str]
    override: str = ""


def risk_of(nominal: Nominal) -> Risk | None:
    """The latest risk band and its reasons (largest contributions first), with an officer's
    override in force; None when the person has not been ranked yet."""
    assessment = (
        RiskAssessment.objects.filter(nominal=nominal).order_by("-assessed_on", "-id").first()
    )
    override = RiskOverride.objects.filter(
        nominal=nominal, ended_at__isnull=True, expires_on__gte=timezone.localdate()
    ).first()
    if assessment is None:
        return None
    # The same words as the Risk section, so the pack and the page never disagree.
    reasons = [f"{reason.words}: {reason.points} points" for reason in explain.reasons(assessment)]
    risk = Risk(
        band=assessment.band,
        band_label=assessment.get_band_display(),
        score=assessment.score,
        assessed_on=assessment.assessed_on,
        reasons=reasons,
    )
    if override is not None:
        risk.override = (
            f"Overridden to {override.get_band_display()} until "
            f"{long_date(override.expires_on)}: {override.reason}"
        )
    return risk


def offences_of(nominal: Nominal) -> list | None:
    """Detected offences (charged, convicted, taken into consideration), newest first."""
    return list(
        DetectedOffence.objects.filter(nominal=nominal)
        .select_related("offence_type")
        .order_by("-committed_on", "-id")
    )


def is_conviction(offence) -> bool:
    return getattr(offence, "outcome", "") == "convicted" or (
        getattr(offence, "sanction", "") == "conviction"
    )


@dataclass
class PathwaySupport:
    label: str
    status: str
    need: str
    contact: str
    aims: str
    actions: list = field(default_factory=list)


def support_of(nominal: Nominal) -> list[PathwaySupport] | None:
    """What was offered on each pathway and what came of it."""
    pathways = list(
        PlanPathway.objects.filter(nominal=nominal)
        .select_related("contact_agency")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=PathwayAction.objects.select_related("agency").order_by("due_on", "id"),
            )
        )
        .order_by("pathway", "id")
    )
    return [
        PathwaySupport(
            label=pathway.get_pathway_display(),
            status=pathway.get_status_display(),
            need=pathway.get_need_display() if pathway.need else "Not assessed",
            contact=str(pathway.contact_agency or ""),
            aims=pathway.aims,
            actions=list(pathway.actions.all()),
        )
        for pathway in pathways
    ]


@dataclass
class MonthOfTests:
    """Drug tests of one calendar month, counted."""

    month: datetime.date
    tests: int = 0
    positive: int = 0
    missed: int = 0

    @property
    def negative(self) -> int:
        return self.tests - self.positive - self.missed


@dataclass
class DocumentData:
    """Everything any of the documents shows about one person."""

    nominal: Nominal
    generated_at: datetime.datetime
    requested_by: Any
    controls: Controls
    engagements: list[Engagement]
    risk: Risk | None
    offences: list | None
    support: list[PathwaySupport] | None
    today: datetime.date
    # Contacts since the release of the latest licence, or the last 12 months if earlier,
    # oldest first; only those the requester may see (never an IOM-only one to a partner).
    contacts: list = field(default_factory=list)
    # The photograph as a data: URI (documents fetch nothing), or "".
    photograph_uri: str = ""
    # The open custody period, if the person is inside now, and whether the cohort
    # membership says "in custody" (the documents read the current state, never the licence
    # alone: a person in custody is not "on licence today").
    custody: Any = None
    membership_in_custody: bool = False

    @property
    def in_custody(self) -> bool:
        return self.custody is not None or self.membership_in_custody

    @property
    def on_licence_today(self) -> bool:
        licence = self.controls.current_licence
        return (
            licence is not None and not self.in_custody and not licence.is_recalled_on(self.today)
        )

    @property
    def custody_words(self) -> str:
        """How the custody reads: 'In custody since 3 March 2026 (recall to prison); expected
        release 1 June 2026 (automatic release)', 'In custody', or empty at liberty."""
        period = self.custody
        if period is None:
            return "In custody" if self.membership_in_custody else ""
        words = f"In custody since {period.started_on:%-d %B %Y}"
        if period.kind:
            words += f" ({period.get_kind_display().lower()})"
        if period.expected_release_on:
            words += (
                f"; expected release {period.expected_release_on:%-d %B %Y} "
                f"({period.get_expected_release_basis_display().lower()})"
            )
        return words

    @property
    def recent_contacts(self) -> list:
        """Contacts of the last 12 months (the control-court briefing)."""
        since = self.today - datetime.timedelta(days=RECENT_OFFENDING_DAYS)
        return [c for c in self.contacts if timezone.localdate(c.at) >= since]

    @property
    def recent_contact_counts(self) -> dict[str, int]:
        return contact_queries.counts_by_attendance(self.recent_contacts)

    @property
    def contacts_since_release(self) -> list:
        """Contacts since release on the current (or latest) licence (the recall pack)."""
        licence = self.licence
        if licence is None:
            return []
        return [c for c in self.contacts if timezone.localdate(c.at) >= licence.release_date]

    @property
    def engagement(self) -> Engagement | None:
        return self.engagements[0] if self.engagements else None

    @property
    def approach(self):
        status = self.engagement.status if self.engagement else EngagementStatus.NOT_APPROACHED
        return APPROACH_FOR_ENGAGEMENT[EngagementStatus(status)]

    @property
    def licence(self):
        """The current licence, or the most recent one."""
        controls = self.controls
        return controls.current_licence or (controls.licences[0] if controls.licences else None)

    @property
    def recall(self):
        """The recall in progress, or the most recent one."""
        return self.controls.recall_in_progress or (
            self.controls.recalls[0] if self.controls.recalls else None
        )

    @property
    def not_recalled(self):
        """The latest countersigned decision not to recall (the letter that follows it)."""
        return next((recall for recall in self.controls.recalls if recall.is_not_recalled), None)

    @property
    def dossier_check(self) -> list[dict]:
        recall = self.recall
        return controls_services.dossier_check(recall) if recall is not None else []

    @property
    def previous_convictions_and_cautions(self) -> list | None:
        """Convictions and cautions for offences before the current (or latest) licence's
        release, newest first; every one when there is no licence."""
        if self.offences is None:
            return None
        licence = self.licence
        return [
            offence
            for offence in self.offences
            if offence.sanction in (SanctionKind.CONVICTION, SanctionKind.CAUTION)
            and (licence is None or offence.committed_on < licence.release_date)
        ]

    @property
    def current_charges(self) -> list | None:
        """Offences charged and not yet disposed of."""
        if self.offences is None:
            return None
        return [
            offence
            for offence in self.offences
            if offence.outcome == DetectionOutcome.CHARGED and offence.sanction == SanctionKind.NONE
        ]

    @property
    def offences_on_licence(self) -> list | None:
        """Offences committed while on the current (or latest) licence."""
        licence = self.licence
        if self.offences is None or licence is None:
            return None if self.offences is None else []
        return [
            offence
            for offence in self.offences
            if licence.release_date <= offence.committed_on <= licence.licence_expiry_date
        ]

    @property
    def convictions(self) -> list | None:
        if self.offences is None:
            return None
        return [offence for offence in self.offences if is_conviction(offence)]

    @property
    def recent_offences(self) -> list | None:
        if self.offences is None:
            return None
        since = self.today - datetime.timedelta(days=RECENT_OFFENDING_DAYS)
        return [offence for offence in self.offences if offence.committed_on >= since]

    @property
    def tests_listed_since(self) -> datetime.date:
        """Drug tests on or after this day are listed one by one; earlier ones by month."""
        return self.today - datetime.timedelta(days=TESTS_LISTED_IN_FULL_DAYS)

    @property
    def recent_drug_tests(self) -> list:
        since = self.tests_listed_since
        return [test for test in self.controls.drug_tests if test.tested_on >= since]

    @property
    def earlier_drug_tests_by_month(self) -> list[MonthOfTests]:
        """Tests before ``tests_listed_since``, counted per month, newest month first."""
        since = self.tests_listed_since
        months: dict[datetime.date, MonthOfTests] = {}
        for test in self.controls.drug_tests:
            if test.tested_on >= since:
                continue
            first_day = test.tested_on.replace(day=1)
            month = months.setdefault(first_day, MonthOfTests(month=first_day))
            month.tests += 1
            month.positive += test.is_positive
            month.missed += test.is_missed
        return sorted(months.values(), key=lambda month: month.month, reverse=True)

    @property
    def active_measures(self) -> list:
        return [measure for measure in self.controls.measures if measure.is_active]

    @property
    def recommended_bail_conditions(self) -> list[str]:
        return recommended_bail_conditions(self)


def _contacts_since(controls: Controls, today: datetime.date) -> datetime.date:
    year_ago = today - datetime.timedelta(days=RECENT_OFFENDING_DAYS)
    licence = controls.current_licence or (controls.licences[0] if controls.licences else None)
    return min(licence.release_date, year_ago) if licence is not None else year_ago


def _photograph_uri(nominal: Nominal) -> str:
    content = cohort_services.photograph_bytes(nominal)
    if content is None:
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(content).decode("ascii")


def gather(nominal_id: int, *, requested_by=None, today: datetime.date | None = None):
    """Load one person and everything the documents show. The caller checked access."""
    today = today or timezone.localdate()
    nominal = (
        Nominal.objects.select_related("lead_agency", "neighbourhood")
        .prefetch_related("aliases", "offender_managers__agency")
        .get(pk=nominal_id)
    )
    controls = controls_of(nominal, today, in_full=True)
    return DocumentData(
        nominal=nominal,
        generated_at=timezone.localtime(),
        requested_by=requested_by,
        controls=controls,
        contacts=contact_queries.since(
            nominal, _contacts_since(controls, today), user=requested_by
        ),
        photograph_uri=_photograph_uri(nominal),
        engagements=list(
            Engagement.objects.filter(nominal=nominal)
            .select_related("recorded_by")
            .order_by("-on", "-id")
        ),
        risk=risk_of(nominal),
        offences=offences_of(nominal),
        support=support_of(nominal),
        today=today,
        custody=open_period(nominal),
        membership_in_custody=nominal.memberships.filter(
            status=MembershipStatus.IN_CUSTODY
        ).exists(),
    )
