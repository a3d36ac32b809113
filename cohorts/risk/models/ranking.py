"""The Red/Amber/Green ranking: the model's versions, runs, assessments and officers' overrides."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from cohorts.models import Nominal
from iom.formatting import long_date
from iom.jobs import Job


class Band(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


# Highest risk first: the order bands sort in.
BAND_ORDER = {Band.RED: 1, Band.AMBER: 2, Band.GREEN: 3}


class RiskModelVersion(models.Model):
    """One version of the scoring model's weights, half-lives and thresholds.

    A version that an assessment has used is never changed: the admin saves a change as a new
    version, and the newest version is the one the next run uses. See docs/risk-model.md.
    """

    number = models.PositiveIntegerField(unique=True)
    parameters = models.JSONField()
    notes = models.TextField(blank=True, help_text="What changed in this version, and why.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-number"]
        verbose_name = "risk model version"

    def __str__(self) -> str:
        return f"Risk model version {self.number}"

    @classmethod
    def current(cls) -> RiskModelVersion:
        version = cls.objects.order_by("-number").first()
        if version is None:
            raise cls.DoesNotExist("No risk model version: run the migrations.")
        return version

    @property
    def is_used(self) -> bool:
        return self.pk is not None and (
            RiskAssessment.objects.filter(model_version=self).exists()
            or RankingRun.objects.filter(model_version=self).exists()
        )


class RunKind(models.TextChoices):
    NIGHTLY = "nightly", "Nightly"
    ON_DEMAND = "on-demand", "Started by a manager"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


FINISHED_RUN_STATUSES = (RunStatus.SUCCEEDED, RunStatus.FAILED)


class RankingRun(Job):
    """One ranking of everyone scored on a date: when, how long, how many, and any error. Its
    worker holds a lease on it (iom/jobs.py, docs/jobs.md)."""

    kind = models.CharField(max_length=10, choices=RunKind.choices)
    run_date = models.DateField()
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    model_version = models.ForeignKey(
        RiskModelVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="runs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    people_scored = models.PositiveIntegerField(default=0)
    members_ranked = models.PositiveIntegerField(default=0)
    emerging_threats = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-run_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["run_date"], condition=Q(kind="nightly"), name="ranking_run_one_nightly"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ranking of {long_date(self.run_date)}"

    @property
    def is_finished(self) -> bool:
        return self.status in FINISHED_RUN_STATUSES


class RiskAssessment(models.Model):
    """One person's score, band and rank in one run, with the points of every factor."""

    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="assessments")
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="risk_assessments")
    model_version = models.ForeignKey(RiskModelVersion, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField()
    score = models.DecimalField(max_digits=9, decimal_places=2)
    band = models.CharField(max_length=5, choices=Band.choices)
    band_order = models.PositiveSmallIntegerField()
    is_member = models.BooleanField(help_text="On the cohort when assessed.")
    rank = models.PositiveIntegerField(
        null=True, blank=True, help_text="Position within the cohort, 1 being the highest score."
    )
    in_custody = models.BooleanField(default=False)
    out_of_area = models.BooleanField(default=False)
    # [{"key", "kind", "label", "count", "since", "points"}], largest first (docs/risk-model.md)
    contributions = models.JSONField(default=list)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["nominal", "run"], name="assessment_once_per_run"),
            # Whoever started it, a run for a date replaces that date's assessments.
            models.UniqueConstraint(
                fields=["nominal", "assessed_on"], name="assessment_once_per_date"
            ),
        ]
        indexes = [
            models.Index(fields=["nominal", "-assessed_on", "-id"], name="assessment_latest")
        ]

    def __str__(self) -> str:
        return f"{self.get_band_display()} ({self.score}) on {long_date(self.assessed_on)}"


class RiskOverride(models.Model):
    """An officer's band for a person, with a reason, in force until it expires or is ended."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="risk_overrides")
    band = models.CharField(max_length=5, choices=Band.choices)
    reason = models.TextField()
    expires_on = models.DateField(help_text="The last day the override applies.")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-set_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominal"],
                condition=Q(ended_at__isnull=True),
                name="risk_override_one_open_per_nominal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_band_display()} until {long_date(self.expires_on)}"

    def is_in_force_on(self, day: datetime.date) -> bool:
        return self.ended_at is None and self.expires_on >= day


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    VALIDATING = "validating", "Checking the rows"
    WRITING = "writing", "Saving"
    SUCCEEDED = "succeeded", "Imported"
    REJECTED = "rejected", "Rejected: nothing was saved"
    FAILED = "failed", "Failed: nothing was saved"


class ImportJob(Job):
    """One import of an offending feed (CSV), its progress and its outcome. Its worker holds a
    lease on it (iom/jobs.py, docs/jobs.md)."""

    source = models.CharField(max_length=40)
    file_name = models.CharField(max_length=255)
    content = models.TextField(help_text="The file as uploaded, so that any worker can read it.")
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_rows = models.PositiveIntegerField(default=0)
    updated_rows = models.PositiveIntegerField(default=0)
    unchanged_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)  # [{"line", "column", "message"}]
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Import of {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.SUCCEEDED, ImportStatus.REJECTED, ImportStatus.FAILED)

    @property
    def percent_done(self) -> int:
        return round(100 * self.processed_rows / self.total_rows) if self.total_rows else 0


class CurrentRisk(models.Model):
    """Each person's latest assessment, kept by ``cohorts.risk.current`` after every run, so
    that the cohort list filters and sorts by band and rank through one indexed join rather
    than a subquery per person. Derived data: the assessments stay the record."""

    nominal = models.OneToOneField(
        Nominal, on_delete=models.CASCADE, primary_key=True, related_name="current_risk"
    )
    assessment_id = models.BigIntegerField(help_text="The assessment these figures are from.")
    assessed_on = models.DateField()
    score = models.DecimalField(max_digits=9, decimal_places=2)
    band = models.CharField(max_length=5, choices=Band.choices)
    band_order = models.PositiveSmallIntegerField()
    rank = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["rank"], name="current_risk_rank"),
            models.Index(fields=["band", "rank"], name="current_risk_band"),
        ]

    def __str__(self) -> str:
        return f"{self.nominal_id}: {self.band} on {long_date(self.assessed_on)}"
