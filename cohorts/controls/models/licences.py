"""Licences and their conditions, breaches of them, and the sanctions ladder."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q

from cohorts.models import Nominal
from iom.formatting import long_date


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
    # Set by the recall's return to custody, and by the release that follows it.
    recalled_on = models.DateField("Recalled to custody on", null=True, blank=True)
    re_released_on = models.DateField("Re-released on", null=True, blank=True)
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
            models.CheckConstraint(
                condition=Q(re_released_on__isnull=True)
                | Q(recalled_on__isnull=False, re_released_on__gte=models.F("recalled_on")),
                name="licence_re_release_after_recall",
            ),
        ]
        indexes = [models.Index(fields=["nominal", "-release_date"], name="licence_latest")]

    def __str__(self) -> str:
        return (
            f"Licence from {long_date(self.release_date)} to {long_date(self.licence_expiry_date)}"
        )

    def is_current_on(self, day: datetime.date) -> bool:
        return self.release_date <= day <= self.licence_expiry_date

    def is_recalled_on(self, day: datetime.date) -> bool:
        """Recalled and back in custody on ``day`` (not yet re-released)."""
        return (
            self.recalled_on is not None
            and self.recalled_on <= day
            and (self.re_released_on is None or self.re_released_on > day)
        )


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
