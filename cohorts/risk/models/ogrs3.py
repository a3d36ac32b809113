"""OGRS3 beside the RFG ranking: each run's OGRS3 result for everyone it ranks, with the inputs
it used, and the inputs officers recorded or corrected (docs/ogrs3.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cohorts.models import Nominal
from cohorts.risk.ogrs3.reference import OGRS3_V3

from .ranking import RankingRun

OGRS3_CATEGORY_CHOICES = [(c.code, c.label) for c in OGRS3_V3.offence_categories]
OGRS3_BAND_CHOICES = [(b.code, b.label) for b in OGRS3_V3.risk_bands]


class Ogrs3Input(models.TextChoices):
    """The inputs read from the offending history, which an officer may record or correct.

    Sex and date of birth are the person's details, corrected on the person's record."""

    OFFENCE_CATEGORY = "offence_category", "OGRS3 category of the current offence"
    CONVICTION_DATE = "conviction_date", "Date of the current conviction or caution"
    PREVIOUS_SANCTIONS = "previous_sanctions", "Number of previous sanctions"
    FIRST_SANCTION_DATE = "first_sanction_date", "Date of the first sanction"
    FOLLOW_UP_START = "follow_up_start", "Start of follow-up (caution, sentence or release)"


class Ogrs3Correction(models.Model):
    """An officer's value for one OGRS3 input, used instead of the record's until withdrawn."""

    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="ogrs3_corrections")
    field = models.CharField("Input", max_length=30, choices=Ogrs3Input.choices)
    value = models.CharField(max_length=30, help_text="A date (YYYY-MM-DD), count or code.")
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["nominal", "field"],
                condition=Q(withdrawn_at__isnull=True),
                name="ogrs3_correction_one_open_per_input",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_field_display()}: {self.value}"


class Ogrs3Result(models.Model):
    """One person's OGRS3 in one ranking run: the figures, or why there are none, and the inputs.

    ``corrections`` holds, for each input an officer supplied, who, when, why and what the
    record said: ``{"follow_up_start": {"by": ..., "on": ..., "reason": ..., "record": ...}}``.
    Every other input came from the record."""

    run = models.ForeignKey(RankingRun, on_delete=models.CASCADE, related_name="ogrs3_results")
    nominal = models.ForeignKey(Nominal, on_delete=models.PROTECT, related_name="ogrs3_results")
    assessed_on = models.DateField()
    model_version = models.CharField(max_length=60)
    # The inputs used (or found, when the person could not be scored).
    sex = models.CharField(max_length=10, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    offence_category = models.CharField(max_length=30, choices=OGRS3_CATEGORY_CHOICES, blank=True)
    offence_name = models.CharField(max_length=200, blank=True)
    sanction = models.CharField(max_length=10, blank=True)
    conviction_date = models.DateField(null=True, blank=True)
    previous_sanctions = models.PositiveIntegerField(null=True, blank=True)
    first_sanction_date = models.DateField(null=True, blank=True)
    follow_up_start = models.DateField(null=True, blank=True)
    released = models.BooleanField(
        default=False, help_text="Follow-up starts at a release from custody."
    )
    corrections = models.JSONField(default=dict, blank=True)
    # The result, or the input that stopped it and why.
    one_year = models.FloatField(null=True, blank=True)
    two_year = models.FloatField(null=True, blank=True)
    one_year_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    two_year_percent = models.PositiveSmallIntegerField(null=True, blank=True)
    band = models.CharField(max_length=10, choices=OGRS3_BAND_CHOICES, blank=True)
    unscored_input = models.CharField(max_length=30, blank=True)
    unscored_reason = models.CharField(max_length=300, blank=True)
    # A scored result whose inputs an officer should check (a first sanction dated under the
    # age of criminal responsibility, which the published calculator scores all the same).
    check_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-assessed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "nominal"], name="ogrs3_once_per_run")
        ]
        indexes = [models.Index(fields=["nominal", "-assessed_on", "-id"], name="ogrs3_latest")]

    def __str__(self) -> str:
        if self.band:
            return f"OGRS3 {self.two_year_percent}% ({self.get_band_display()})"
        return f"OGRS3 not scored: {self.unscored_reason}"

    @property
    def is_scored(self) -> bool:
        return self.two_year is not None

    @property
    def needs_checking(self) -> bool:
        return bool(self.check_reason)
