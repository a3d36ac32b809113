"""Recall to prison: its status, the decision and the alternatives tried, the fast-tracked
checklist and the dossier for the Public Protection Casework Section."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from cohorts.models import Nominal
from iom.formatting import long_date, long_datetime

from .licences import Breach, Licence, Sanction


class RecallStatus(models.TextChoices):
    """Where a recall is, in the order of probation's own service."""

    BOOKED = "booked", "Booked"
    BEING_ASSESSED = "being-assessed", "Being assessed"
    AWAITING_RETURN = "awaiting-return", "Awaiting return to custody"
    DOSSIER_ISSUED = "dossier-issued", "Dossier issued"
    RETURNED = "returned", "Returned to custody"
    CANCELLED = "cancelled", "Cancelled"
    NOT_RECALLED = "not-recalled", "Not recalled"


# A recall in progress: one of these at a time per person.
OPEN_RECALL_STATUSES = (
    RecallStatus.BOOKED,
    RecallStatus.BEING_ASSESSED,
    RecallStatus.AWAITING_RETURN,
    RecallStatus.DOSSIER_ISSUED,
)
# Decided to recall and countersigned: the checklist goes on past the decision.
PROCEEDING_RECALL_STATUSES = (RecallStatus.AWAITING_RETURN, RecallStatus.DOSSIER_ISSUED)


class RecallGrounds(models.TextChoices):
    RISK = "risk", "Risk has increased"
    CONTACT = "contact", "Contact has broken down"
    BOTH = "both", "Both: risk has increased and contact has broken down"


class RecallType(models.TextChoices):
    STANDARD = "standard", "Standard recall"
    FIXED_TERM = "fixed-term", "Fixed-term recall"
    NO_RECALL = "no-recall", "No recall"


class AlternativeKind(models.TextChoices):
    """What was tried before recall, as the decision lists it."""

    WRITTEN_WARNING = "written-warning", "Written warning"
    DISTRICT_MANAGER_WARNING = "dm-warning", "District Manager's warning"
    EXTRA_REPORTING = "extra-reporting", "Extra reporting"
    ADDITIONAL_CONDITION = "additional-condition", "Additional licence condition"
    DRUG_TEST = "drug-test", "Drug test"
    PATHWAY_ACTION = "pathway-action", "Pathway action"
    CONTACT = "contact", "Contact"
    OTHER = "other", "Other"


# The parts a dossier for the Public Protection Casework Section must hold: (key, label).
DOSSIER_PARTS: tuple[tuple[str, str], ...] = (
    ("licence", "Licence"),
    ("previous_convictions", "Previous convictions"),
    ("risk_assessment", "Risk assessment"),
    ("charge_sheet", "Charge sheet"),
    ("police_report", "Police report"),
)
DOSSIER_PART_KEYS = tuple(key for key, _ in DOSSIER_PARTS)


# The fast-tracked recall checklist (Preston IOMU), in the order the steps usually happen:
# (timestamp field, label).
RECALL_STEPS: tuple[tuple[str, str], ...] = (
    ("probation_contacted_at", "Probation contacted"),
    ("paperwork_completed_at", "Recall paperwork completed"),
    ("ppcs_contacted_at", "Public Protection Casework Section contacted"),
    ("paperwork_received_at", "Recall paperwork received by the IOM unit"),
    ("teams_tasked_at", "Neighbourhood and response teams tasked to arrest"),
    ("returned_to_custody_at", "Arrested and returned to custody"),
)
RECALL_STEP_FIELDS = tuple(name for name, _ in RECALL_STEPS)


class Recall(models.Model):
    """A fast-tracked recall to prison, started from a breach, and its checklist."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="recalls")
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="recalls")
    breach = models.ForeignKey(Breach, on_delete=models.PROTECT, related_name="recalls")
    sanction = models.OneToOneField(
        Sanction, on_delete=models.PROTECT, related_name="recall", null=True, blank=True
    )
    status = models.CharField(
        max_length=16, choices=RecallStatus.choices, default=RecallStatus.BOOKED
    )
    reason = models.TextField(help_text="Why recall is being sought.")
    # The decision, as probation's own service records it.
    grounds = models.CharField(
        "Why recall is considered", max_length=10, choices=RecallGrounds.choices, blank=True
    )
    recall_type = models.CharField(max_length=12, choices=RecallType.choices, blank=True)
    decision_rationale = models.TextField("Rationale for the decision", blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    countersigned_at = models.DateTimeField(null=True, blank=True)
    countersigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    countersign_rationale = models.TextField("Manager's rationale", blank=True)
    dossier_issued_at = models.DateTimeField(null=True, blank=True)
    dossier_issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recommendation = models.TextField(
        blank=True,
        help_text="The IOM unit's recommendation to the Public Protection Casework Section.",
    )
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    probation_contacted_at = models.DateTimeField(null=True, blank=True)
    paperwork_completed_at = models.DateTimeField(null=True, blank=True)
    ppcs_contacted_at = models.DateTimeField(null=True, blank=True)
    paperwork_received_at = models.DateTimeField(null=True, blank=True)
    teams_tasked_at = models.DateTimeField(null=True, blank=True)
    returned_to_custody_at = models.DateTimeField(null=True, blank=True)
    cancelled_reason = models.TextField(blank=True)
    # Why a step was ticked after a later one (the checklist keeps its order otherwise).
    out_of_order_reasons = models.JSONField(default=dict, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominal"],
                condition=Q(status__in=[status.value for status in OPEN_RECALL_STATUSES]),
                name="recall_one_open_per_nominal",
            ),
            models.CheckConstraint(
                condition=Q(countersigned_at__isnull=True) | Q(decided_at__isnull=False),
                name="recall_countersigned_after_decision",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | Q(returned_to_custody_at__isnull=False),
                name="recall_returned_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Recall started {long_datetime(self.started_at)} ({self.get_status_display()})"

    @property
    def is_in_progress(self) -> bool:
        return self.status in OPEN_RECALL_STATUSES

    @property
    def is_proceeding(self) -> bool:
        """Decided to recall and countersigned: the checklist goes on past the decision."""
        return self.status in PROCEEDING_RECALL_STATUSES

    @property
    def is_decided(self) -> bool:
        return self.decided_at is not None

    @property
    def is_countersigned(self) -> bool:
        return self.countersigned_at is not None

    @property
    def is_not_recalled(self) -> bool:
        return self.status == RecallStatus.NOT_RECALLED

    def checklist(self) -> list[dict]:
        """Each step with its time, the time since the step before it and since the start."""
        steps = []
        previous = self.started_at
        for name, label in RECALL_STEPS:
            at = getattr(self, name)
            steps.append(
                {
                    "field": name,
                    "label": label,
                    "at": at,
                    "since_previous": (at - previous) if at and previous else None,
                    "since_start": (at - self.started_at) if at else None,
                }
            )
            if at:
                previous = max(previous, at)
        return steps

    @property
    def completed_steps(self) -> int:
        return sum(1 for name in RECALL_STEP_FIELDS if getattr(self, name))

    def elapsed(self, now: datetime.datetime) -> datetime.timedelta:
        """From the start to the return to custody, or to ``now`` while in progress."""
        end = self.returned_to_custody_at or now
        return end - self.started_at


class RecallAlternative(models.Model):
    """One thing tried before recall, chosen from the record (``source`` names the row it
    came from, such as ``sanction:12``) or added by the officer (``source`` empty)."""

    recall = models.ForeignKey(Recall, on_delete=models.CASCADE, related_name="alternatives")
    kind = models.CharField(max_length=24, choices=AlternativeKind.choices)
    source = models.CharField(max_length=40, blank=True)
    on = models.DateField(null=True, blank=True)
    description = models.CharField(max_length=255)
    result = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recall", "source"],
                condition=~Q(source=""),
                name="recall_alternative_once_per_source",
            )
        ]

    def __str__(self) -> str:
        when = f" ({long_date(self.on)})" if self.on else ""
        return f"{self.get_kind_display()}: {self.description}{when}"

    @property
    def from_record(self) -> bool:
        return bool(self.source)


class DossierPart(models.Model):
    """One part of the dossier confirmed present: derived from the record or attached
    outside the system, with who confirmed it and when."""

    recall = models.ForeignKey(Recall, on_delete=models.CASCADE, related_name="dossier_parts")
    part = models.CharField(max_length=24, choices=DOSSIER_PARTS)
    note = models.CharField(max_length=255, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["recall", "part"], name="dossier_part_once")]

    def __str__(self) -> str:
        return f"{self.get_part_display()} confirmed {long_datetime(self.confirmed_at)}"
