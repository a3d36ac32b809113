"""Control measures: licences and their conditions, breaches, the sanctions ladder, recall,
testing on licence, bail conditions, civil orders and targeted enforcement."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from cohorts.models import Nominal
from iom.formatting import long_date, long_datetime


class ControlsConfiguration(models.Model):
    """Thresholds an administrator may change. One row."""

    class_a_positive_threshold = models.PositiveSmallIntegerField(
        "Positive Class A tests that reach the recall threshold",
        default=3,
        help_text="Counted within the current licence (since release, or since the last "
        "recall on that licence).",
    )
    missed_test_threshold = models.PositiveSmallIntegerField(
        "Missed tests that count as a failure to engage",
        default=2,
        help_text="Tests on licence the person failed to attend or refused, counted like the "
        "positive tests.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "controls configuration"
        verbose_name_plural = "controls configuration"
        constraints = [
            models.CheckConstraint(
                condition=Q(class_a_positive_threshold__gte=1, missed_test_threshold__gte=1),
                name="controls_thresholds_at_least_one",
            )
        ]

    def __str__(self) -> str:
        return (
            f"Recall threshold: {self.class_a_positive_threshold} positive Class A tests or "
            f"{self.missed_test_threshold} missed tests"
        )

    @classmethod
    def current(cls) -> ControlsConfiguration:
        return cls.objects.order_by("pk").first() or cls.objects.create()


class Licence(models.Model):
    """A period on licence after release from prison, supervised by a probation officer."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="licences")
    release_date = models.DateField()
    licence_expiry_date = models.DateField("Licence expiry date")
    sentence_expiry_date = models.DateField("Sentence expiry date")
    supervising_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="Supervising probation officer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervised_licences",
    )
    offence = models.CharField("Index offence", max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-release_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(licence_expiry_date__gte=models.F("release_date")),
                name="licence_expiry_not_before_release",
            ),
            models.CheckConstraint(
                condition=Q(sentence_expiry_date__gte=models.F("release_date")),
                name="licence_sentence_expiry_not_before_release",
            ),
        ]
        indexes = [models.Index(fields=["nominal", "-release_date"], name="licence_latest")]

    def __str__(self) -> str:
        return (
            f"Licence from {long_date(self.release_date)} to {long_date(self.licence_expiry_date)}"
        )

    def is_current_on(self, day: datetime.date) -> bool:
        return self.release_date <= day <= self.licence_expiry_date


class ConditionType(models.TextChoices):
    STANDARD = "standard", "Standard"
    ADDITIONAL = "additional", "Additional"


class LicenceCondition(models.Model):
    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="conditions")
    condition_type = models.CharField(max_length=12, choices=ConditionType.choices)
    text = models.TextField()
    is_drug_testing = models.BooleanField(
        "Test on licence",
        default=False,
        help_text="The condition requires the person to take drug tests (test on licence).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["condition_type", "id"]

    def __str__(self) -> str:
        return f"{self.get_condition_type_display()}: {self.text[:60]}"


class Breach(models.Model):
    """A failure to comply with a licence condition, with the evidence for it."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="breaches")
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="breaches")
    condition = models.ForeignKey(
        LicenceCondition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="breaches",
        help_text="The condition breached.",
    )
    occurred_on = models.DateField("Date of the breach")
    evidence = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name_plural = "breaches"
        indexes = [models.Index(fields=["nominal", "-occurred_on"], name="breach_latest")]

    def __str__(self) -> str:
        return f"Breach on {long_date(self.occurred_on)}"


class SanctionLevel(models.IntegerChoices):
    """The sanctions ladder for non-compliance with licence conditions, in order."""

    WRITTEN_WARNING = 1, "Written warning"
    DISTRICT_MANAGER_WARNING = 2, "District Manager's warning"
    RECALL = 3, "Recall to prison"


class Sanction(models.Model):
    """One step on the sanctions ladder of a licence. A step taken before the steps below it
    carries the reason they were skipped."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="sanctions")
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="sanctions")
    breach = models.ForeignKey(
        Breach, on_delete=models.PROTECT, null=True, blank=True, related_name="sanctions"
    )
    level = models.PositiveSmallIntegerField(choices=SanctionLevel.choices)
    issued_on = models.DateField()
    notes = models.TextField(blank=True)
    skip_reason = models.TextField(
        "Why earlier steps were skipped",
        blank=True,
        help_text="Needed when a step is taken before the steps below it.",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["issued_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} on {long_date(self.issued_on)}"


class RecallStatus(models.TextChoices):
    IN_PROGRESS = "in-progress", "In progress"
    RETURNED = "returned", "Returned to custody"
    CANCELLED = "cancelled", "Cancelled"


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
        max_length=12, choices=RecallStatus.choices, default=RecallStatus.IN_PROGRESS
    )
    reason = models.TextField(help_text="Why recall is being sought.")
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
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominal"],
                condition=Q(status="in-progress"),
                name="recall_one_in_progress_per_nominal",
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
        return self.status == RecallStatus.IN_PROGRESS

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


class TestOutcome(models.TextChoices):
    POSITIVE = "positive", "Positive for Class A"
    NEGATIVE = "negative", "Negative for Class A"
    FAILED_TO_ATTEND = "failed-to-attend", "Failed to attend"
    REFUSED = "refused", "Refused"


# Outcomes that count as a failure to engage with testing.
MISSED_OUTCOMES = (TestOutcome.FAILED_TO_ATTEND, TestOutcome.REFUSED)


class DrugTest(models.Model):
    """A drug test on licence."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="drug_tests")
    licence = models.ForeignKey(
        Licence, on_delete=models.PROTECT, null=True, blank=True, related_name="drug_tests"
    )
    tested_on = models.DateField("Date of the test")
    outcome = models.CharField(max_length=20, choices=TestOutcome.choices)
    class_a_substances = models.CharField(
        "Class A drugs found", max_length=120, blank=True, help_text="For example, opiates, cocaine"
    )
    other_substances = models.CharField(
        "Other substances found", max_length=120, blank=True, help_text="For example, cannabis"
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-tested_on", "-id"]
        indexes = [models.Index(fields=["nominal", "-tested_on"], name="drugtest_latest")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome="positive") | ~Q(class_a_substances=""),
                name="drugtest_positive_names_substance",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} on {long_date(self.tested_on)}"

    @property
    def is_positive(self) -> bool:
        return self.outcome == TestOutcome.POSITIVE

    @property
    def is_missed(self) -> bool:
        return self.outcome in MISSED_OUTCOMES


class MeasureCategory(models.TextChoices):
    BAIL = "bail", "Bail condition"
    CIVIL_ORDER = "civil-order", "Civil order"
    ENFORCEMENT = "enforcement", "Targeted enforcement"


class MeasureKind(models.TextChoices):
    REPORT = "report", "Report to a police station"
    RESIDENCE = "residence", "Condition of residence"
    CURFEW = "curfew", "Curfew"
    ELECTRONIC_MONITORING = "electronic-monitoring", "Curfew with electronic monitoring"
    GPS_TAG = "gps-tag", "GPS tag"
    EXCLUSION_ZONE = "exclusion-zone", "Exclusion zone"
    SUPERVISION = "supervision", "Supervision"
    CRIMINAL_BEHAVIOUR_ORDER = "cbo", "Criminal Behaviour Order"
    ACCEPTABLE_BEHAVIOUR_CONTRACT = "abc", "Acceptable Behaviour Contract"
    SECTOR_TARGET = "sector-target", "Sector target"
    DISRUPTION = "disruption", "Disruption"


CATEGORY_OF_KIND = {
    MeasureKind.REPORT: MeasureCategory.BAIL,
    MeasureKind.RESIDENCE: MeasureCategory.BAIL,
    MeasureKind.CURFEW: MeasureCategory.BAIL,
    MeasureKind.ELECTRONIC_MONITORING: MeasureCategory.BAIL,
    MeasureKind.GPS_TAG: MeasureCategory.BAIL,
    MeasureKind.EXCLUSION_ZONE: MeasureCategory.BAIL,
    MeasureKind.SUPERVISION: MeasureCategory.BAIL,
    MeasureKind.CRIMINAL_BEHAVIOUR_ORDER: MeasureCategory.CIVIL_ORDER,
    MeasureKind.ACCEPTABLE_BEHAVIOUR_CONTRACT: MeasureCategory.CIVIL_ORDER,
    MeasureKind.SECTOR_TARGET: MeasureCategory.ENFORCEMENT,
    MeasureKind.DISRUPTION: MeasureCategory.ENFORCEMENT,
}
CURFEW_KINDS = (MeasureKind.CURFEW, MeasureKind.ELECTRONIC_MONITORING)


class MeasureStatus(models.TextChoices):
    ACTIVE = "active", "Active"
    BREACHED = "breached", "Breached"
    ENDED = "ended", "Ended"


class ControlMeasure(models.Model):
    """A bail condition, civil order or targeted-enforcement flag, with its dates and status."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="control_measures")
    category = models.CharField(max_length=12, choices=MeasureCategory.choices)
    kind = models.CharField(max_length=24, choices=MeasureKind.choices)
    details = models.TextField(
        blank=True, help_text="The police station, address, area or terms, as imposed."
    )
    imposed_by = models.CharField(
        max_length=120, blank=True, help_text="The court, agency or officer that imposed it."
    )
    curfew_from = models.TimeField(null=True, blank=True)
    curfew_until = models.TimeField(null=True, blank=True)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.ACTIVE
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["category", "-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="measure_ends_not_before_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["curfew", "electronic-monitoring"])
                | Q(curfew_from__isnull=False, curfew_until__isnull=False),
                name="measure_curfew_has_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {long_date(self.starts_on)}"

    @property
    def is_active(self) -> bool:
        return self.status == MeasureStatus.ACTIVE
